"""Account services: registration, confirmation, approval, passwords, 2FA."""

from __future__ import annotations

import pyotp
import pytest

from auth import services
from auth.models import User
from auth.passwords import password_problems, verify_password
from auth.tokens import make_reset_token, read_confirm_token, read_reset_token
from core.extensions import db
from core.taxonomy import Function, Region, Sector
from tests.conftest import sent_emails, term


def registration(email="nieuw@gemeente.nl", **overrides):
    values = {
        "email": email,
        "password": "een lange zin als wachtwoord",
        "display_name": "Sanne de Vries",
        "organisation": "Gemeente Utrecht",
        "sector_id": term(Sector).id,
        "function_id": term(Function).id,
        "region_id": term(Region).id,
    }
    values.update(overrides)
    return services.Registration(**values)


def test_registration_creates_a_pending_account_and_emails_a_link(app):
    user = services.register_member(registration())
    db.session.commit()
    assert user.status == "pending"
    assert user.email_confirmed_at is None
    assert user.digest_opt_in is False
    [mail] = sent_emails(to="nieuw@gemeente.nl")
    assert "/auth/confirm/" in mail.text_body


def test_names_and_organisations_lose_directional_overrides(app, make_user):
    user = services.register_member(
        registration(display_name="\u202eSanne\u202c Bakker", organisation="Gemeente\u2066 Ede")
    )
    assert (user.display_name, user.organisation) == ("Sanne Bakker", "Gemeente Ede")
    member = make_user()
    services.update_profile(member, services.ProfileUpdate(
        display_name="Anna \u202dde Vries", organisation="\u2067Politie", sector_id=member.sector_id,
        function_id=member.function_id, region_id=member.region_id, bio="Hallo \u202ewereld",
        language="nl", timezone="Europe/Amsterdam", show_organisation=True, show_region=True,
    ))  # fmt: skip
    assert (member.display_name, member.organisation) == ("Anna de Vries", "Politie")
    assert member.bio == "Hallo \u202ewereld\u202c"


def test_registering_a_known_address_creates_nothing_and_tells_the_owner(app, make_user):
    owner = make_user(email="bekend@gemeente.nl")
    assert services.register_member(registration(email="Bekend@Gemeente.nl")) is None
    db.session.commit()
    assert db.session.query(User).count() == 1
    [mail] = sent_emails(to=owner.email)
    assert "al een account" in mail.text_body


def test_confirmation_approves_allow_listed_domains_at_once(app):
    app.config["APPROVED_EMAIL_DOMAINS"] = "politie.nl, @gemeente.nl"
    user = services.register_member(registration(email="a@gemeente.nl"))
    assert services.confirm_email(user) == "approved"
    db.session.commit()
    assert user.status == "active"
    assert any("goedgekeurd" in m.subject for m in sent_emails(to=user.email))


def test_confirmation_waits_for_an_admin_otherwise(app):
    user = services.register_member(registration(email="a@school.nl"))
    assert services.confirm_email(user) == "waiting"
    assert services.confirm_email(user) == "already"
    db.session.commit()
    assert user.status == "pending"
    assert user in services.pending_members()


def test_domains_added_by_an_admin_approve_automatically(app, make_user):
    admin = make_user(role="admin")
    services.add_approved_domain("@Jeugdzorg.nl", admin)
    assert services.add_approved_domain("jeugdzorg.nl", admin) is None
    user = services.register_member(registration(email="b@jeugdzorg.nl"))
    assert services.confirm_email(user) == "approved"


def test_rejection_emails_the_reason(app, make_user):
    admin = make_user(role="admin")
    user = services.register_member(registration(email="c@example.org"))
    services.reject_member(user, admin, "Geen professional in het jeugddomein.")
    db.session.commit()
    assert user.status == "rejected"
    mail = sent_emails(to="c@example.org")[-1]
    assert "Geen professional in het jeugddomein." in mail.text_body


def test_confirm_token_round_trips_and_rejects_tampering(app, make_user):
    user = make_user(status="pending")
    token = services.make_confirm_token(user) if hasattr(services, "make_confirm_token") else None
    from auth.tokens import make_confirm_token

    token = make_confirm_token(user)
    assert read_confirm_token(token)["uid"] == user.id
    assert read_confirm_token(token[:-2] + "xx") is None


def test_reset_token_is_single_use(app, make_user):
    user = make_user()
    token = make_reset_token(user)
    assert read_reset_token(token, lambda uid: db.session.get(User, uid)) == user
    services.change_password(user, "een ander lang wachtwoord")
    assert read_reset_token(token, lambda uid: db.session.get(User, uid)) is None


def test_changing_the_password_ends_other_sessions(app, make_user):
    user = make_user()
    version = user.session_version
    services.change_password(user, "een ander lang wachtwoord")
    assert user.session_version == version + 1
    assert verify_password(user.password_hash, "een ander lang wachtwoord")


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("kort", False),
        ("elf-tekens!", False),
        ("twaalf tekens", True),
        ("sanne.devries@gemeente.nl", False),
        ("mijn sanne.devries wachtwoord", False),
        ("Sanne de Vries 2026!", False),
    ],
)
def test_password_rules(password, ok):
    problems = password_problems(password, email="sanne.devries@gemeente.nl", name="Sanne de Vries")
    assert (problems == []) is ok


def test_unknown_address_authenticates_to_none(app):
    assert services.authenticate("niemand@example.org", "wat dan ook maar") is None


def test_totp_enrolment_gives_single_use_recovery_codes(app, make_user):
    user = make_user()
    secret = services.new_totp_secret()
    codes = services.enable_2fa(user, secret)
    db.session.commit()
    assert len(codes) == 10
    assert user.has_2fa
    assert all(code not in {r.code_hash for r in user.recovery_codes} for code in codes)
    assert services.verify_second_factor(user, pyotp.TOTP(secret).now())
    assert services.verify_second_factor(user, codes[0])
    assert not services.verify_second_factor(user, codes[0])
    assert not services.verify_second_factor(user, "000000")


def test_expired_suspension_is_lifted_at_login(app, make_user):
    from datetime import timedelta

    from core.db import utcnow

    user = make_user(status="suspended", suspended_reason="x")
    user.suspended_until = utcnow() - timedelta(minutes=1)
    services.lift_expired_suspension(user)
    assert user.status == "active"
