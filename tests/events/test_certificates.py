"""Proof of attendance: what it states, its verification code and the public check."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.db import utcnow
from core.extensions import db
from events import certificates, registrations, services
from events.models import Event, Registration


@pytest.fixture
def attended(app, make_user, make_group, make_event, login):
    """A member marked present at a past SKJ training, logged in: (client, user, event)."""
    member = make_user("Sanne Bakker")
    member.organisation = "Jeugdzorg Utrecht"
    group = make_group(members=[member])
    event = make_event(group, title="Training signaleren", capacity=10, hours=3,
                       accreditation_register="SKJ", accreditation_points=4)  # fmt: skip
    registrations.register_for_event(event, member)
    event.starts_at = utcnow() - timedelta(hours=4)
    event.ends_at = event.starts_at + timedelta(hours=2, minutes=30)
    registrations.mark_attendance(event, {member.id})
    db.session.commit()
    client = app.test_client()
    login(client, member)
    return client, member, event


def _code(event: Event, user) -> str:
    registration = registrations.active_registration(event.id, user.id)
    return registration.certificate_code


def test_marking_attendance_gives_an_unguessable_verification_code(attended, make_user):
    _client, member, event = attended
    code = _code(event, member)
    assert code is not None
    assert len(code) >= 20
    other = make_user()
    registrations.register_for_event(event, other, now=event.starts_at - timedelta(days=1))
    registrations.mark_attendance(event, {member.id, other.id})
    assert _code(event, member) == code
    assert _code(event, other) not in {None, code}


def test_codes_use_no_look_alike_characters_and_verify_in_lower_case_too(app, attended):
    _client, member, event = attended
    code = _code(event, member)
    assert len(code) == 24
    assert not set(code) & set("ILOU")
    assert app.test_client().get(f"/certificaten/{code.lower()}").status_code == 200


def test_absent_participants_get_no_code(app, make_user, make_group, make_event):
    member = make_user()
    event = make_event(make_group(members=[member]))
    registrations.register_for_event(event, member)
    registrations.mark_attendance(event, set())
    assert _code(event, member) is None


def test_duration_is_counted_in_hours_rounded_to_a_quarter(attended):
    _client, _member, event = attended
    assert certificates.duration_hours(event) == certificates.Decimal("2.5")
    assert certificates.format_hours(event, "nl") == "2,5"
    assert certificates.format_hours(event, "en") == "2.5"


def test_the_certificate_page_states_what_an_accreditation_body_asks_for(attended):
    client, member, event = attended
    response = client.get(f"/events/{event.id}/certificate")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    for fact in ("Platform JEP", "Sanne Bakker", "Jeugdzorg Utrecht", "Training signaleren",
                 "2,5 uur", "SKJ", "Accreditatiepunten", _code(event, member),
                 f"http://localhost/certificaten/{_code(event, member)}"):  # fmt: skip
        assert fact in page, fact


def test_the_pdf_carries_the_verification_code(attended):
    client, member, event = attended
    response = client.get(f"/events/{event.id}/certificate.pdf")
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF")
    assert f"/certificaten/{_code(event, member)}".encode() in response.data


def test_anyone_can_check_a_certificate_and_sees_only_minimal_facts(app, attended):
    _client, member, event = attended
    anonymous = app.test_client()
    response = anonymous.get(f"/certificaten/{_code(event, member)}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "is echt" in page
    for fact in ("Sanne Bakker", "Training signaleren", "2,5 uur"):
        assert fact in page
    assert "Jeugdzorg Utrecht" not in page
    assert member.email not in page
    assert "Stadhuisplein" not in page


@pytest.mark.parametrize("code", ["onbekend", "A" * 20, "x" * 300])
def test_unknown_codes_are_not_found(app, attended, code):
    assert app.test_client().get(f"/certificaten/{code}").status_code == 404


def test_withdrawn_attendance_no_longer_verifies(app, attended):
    _client, member, event = attended
    code = _code(event, member)
    registrations.mark_attendance(event, set())
    db.session.commit()
    assert app.test_client().get(f"/certificaten/{code}").status_code == 404


def test_a_certificate_of_a_cancelled_event_no_longer_verifies(app, attended):
    _client, member, event = attended
    code = _code(event, member)
    services.cancel_event(event, actor=None, reason="Dubbel ingevoerd")
    db.session.commit()
    assert app.test_client().get(f"/certificaten/{code}").status_code == 404


def test_attendance_recorded_before_codes_existed_gets_one_on_first_view(attended):
    client, member, event = attended
    registration = db.session.get(
        Registration, registrations.active_registration(event.id, member.id).id
    )
    registration.certificate_code = None
    db.session.commit()
    assert client.get(f"/events/{event.id}/certificate").status_code == 200
    db.session.expire_all()
    assert _code(event, member)


def test_someone_else_cannot_open_my_certificate(app, attended, make_user, login):
    _client, _member, event = attended
    other = make_user()
    client = app.test_client()
    login(client, other)
    assert client.get(f"/events/{event.id}/certificate").status_code in {403, 404}
    assert client.get(f"/events/{event.id}/certificate.pdf").status_code in {403, 404}


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True}])
def test_the_public_check_is_rate_limited(app, attended):
    anonymous = app.test_client()
    statuses = [anonymous.get(f"/certificaten/guess{n:04d}").status_code for n in range(31)]
    assert statuses[:30] == [404] * 30
    assert statuses[30] == 429
