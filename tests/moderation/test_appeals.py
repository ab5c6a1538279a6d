"""Appeals (DSA art. 20): the statement of reasons links to a form; another moderator than
the one who decided upholds or reverses; the member is told; the audit log keeps it."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core.audit import AuditEvent
from core.db import utcnow
from core.extensions import db
from moderation import appeals, services
from moderation.models import Appeal
from moderation.policies import can_decide_appeal, can_handle_appeals
from notifications.models import Notification
from tests.conftest import first_link, sent_emails


@pytest.fixture
def scene(make_user, make_group, make_thread):
    author = make_user("Auteur")
    decider = make_user("Eerste moderator", role="moderator", with_2fa=True)
    other = make_user("Tweede moderator", role="moderator", with_2fa=True)
    thread = make_thread(make_group(), author, title="Zorgen over een leerling")
    return author, decider, other, thread.first_post


def client_for(app, login, user):
    client = app.test_client()
    login(client, user)
    return client


def _appeal_path(author) -> str:
    return first_link(sent_emails(to=author.email)[-1].text_body, "/appeal/")


def _hide_and_appeal(scene, statement="Het was geen naam, maar een voorbeeld."):
    author, decider, _other, post = scene
    services.hide_post(post, decider, "Persoonsgegevens van een jongere")
    db.session.commit()
    case = appeals.case_from_token(_appeal_path(author).rsplit("/", 1)[1])
    appeal = appeals.file_appeal(case, statement)
    db.session.commit()
    return appeal


def _actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


# --- policies -------------------------------------------------------------------------


def _person(pk, role="member"):
    return SimpleNamespace(id=pk, is_authenticated=True, is_active_member=True, role=role,
                           is_moderator=role in {"moderator", "admin"}, is_admin=role == "admin")  # fmt: skip


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        (_person(1, "moderator"), False),  # took the decision
        (_person(2, "moderator"), True),
        (_person(3, "admin"), True),
        (_person(4, "member"), False),
        (_person(5, "moderator"), False),  # filed the appeal (a moderator suspended by another)
    ],
)
def test_only_another_site_moderator_decides_an_appeal(who, allowed):
    appeal = SimpleNamespace(decided_by_id=1, appellant_id=5)
    assert can_decide_appeal(who, appeal) is allowed


def test_appeals_are_handled_by_site_moderators():
    assert can_handle_appeals(_person(1, "moderator"))
    assert not can_handle_appeals(_person(2))


# --- services -------------------------------------------------------------------------


def test_the_statement_of_reasons_links_to_the_appeal_form_instead_of_reply(app, scene):
    author, decider, _other, post = scene
    services.hide_post(post, decider, "Persoonsgegevens van een jongere")
    db.session.commit()
    mail = sent_emails(to=author.email)[-1]
    assert "Antwoord dan op deze e-mail" not in mail.text_body
    assert "/appeal/" in mail.text_body
    assert 'href="http://localhost/appeal/' in mail.html_body
    [note] = db.session.scalars(select(Notification).where(Notification.user_id == author.id))
    assert note.url.startswith("/appeal/")
    assert note.text == "Persoonsgegevens van een jongere"


def test_filing_an_appeal_is_recorded_once_and_audited(app, scene):
    author, decider, _other, _post = scene
    appeal = _hide_and_appeal(scene)
    assert (appeal.status, appeal.appellant_id, appeal.decided_by_id) == ("open", author.id,
                                                                         decider.id)  # fmt: skip
    assert _actions()[-1] == "appeal.submit"
    case = appeals.case_from_token(_appeal_path(author).rsplit("/", 1)[1])
    with pytest.raises(appeals.AppealError):
        appeals.file_appeal(case, "Nog een keer")


def test_the_moderator_who_decided_cannot_decide_the_appeal(app, scene):
    _author, decider, _other, _post = scene
    appeal = _hide_and_appeal(scene)
    with pytest.raises(appeals.AppealError):
        appeals.decide_appeal(appeal, decider, reverse=True, note="Ik vind mezelf gelijk hebben")
    assert appeal.status == "open"


def test_the_database_refuses_the_same_moderator_on_both_sides(app, scene):
    _author, decider, _other, _post = scene
    appeal = _hide_and_appeal(scene)
    appeal.status, appeal.handled_by_id, appeal.handled_at = "upheld", decider.id, utcnow()
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_another_moderator_reverses_a_hidden_post_and_the_member_is_told(app, scene):
    author, _decider, other, post = scene
    appeal = _hide_and_appeal(scene)
    appeals.decide_appeal(appeal, other, reverse=True, note="Geen herleidbare gegevens.")
    db.session.commit()
    assert post.hidden_at is None
    assert appeal.status == "reversed"
    assert appeal.handled_by_id == other.id
    assert _actions()[-2:] == ["post.restore", "appeal.reverse"]
    entry = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "appeal.reverse"))
    assert (entry.actor_id, entry.subject_user_id) == (other.id, author.id)
    assert entry.reason == "Geen herleidbare gegevens."
    mail = sent_emails(to=author.email)[-1]
    assert "teruggedraaid" in mail.text_body
    assert "Geen herleidbare gegevens." in mail.text_body
    notes = db.session.scalars(select(Notification).where(Notification.user_id == author.id))
    assert any("bezwaar is toegekend" in note.title for note in notes)


def test_upholding_keeps_the_decision_and_tells_the_member(app, scene):
    author, _decider, other, post = scene
    appeal = _hide_and_appeal(scene)
    appeals.decide_appeal(appeal, other, reverse=False, note="Het adres was herleidbaar.")
    db.session.commit()
    assert post.hidden_at is not None
    assert appeal.status == "upheld"
    assert "blijft staan" in sent_emails(to=author.email)[-1].text_body
    with pytest.raises(appeals.AppealError):
        appeals.decide_appeal(appeal, other, reverse=True, note="Toch niet")


def test_a_suspended_member_appeals_and_another_moderator_lifts_the_suspension(app, scene):
    author, decider, other, _post = scene
    services.suspend_member(author, decider, "Schelden", date(2030, 1, 31))
    db.session.commit()
    token = _appeal_path(author).rsplit("/", 1)[1]
    appeal = appeals.file_appeal(appeals.case_from_token(token), "Het was een citaat.")
    db.session.commit()
    appeals.decide_appeal(appeal, other, reverse=True, note="Citaat, geen eigen woorden.")
    db.session.commit()
    assert author.status == "active"
    assert _actions()[-2:] == ["member.unsuspend", "appeal.reverse"]


def test_a_forged_or_foreign_appeal_link_finds_nothing(app, scene, make_user):
    author, decider, _other, post = scene
    services.hide_post(post, decider, "Reden")
    db.session.commit()
    token = _appeal_path(author).rsplit("/", 1)[1]
    assert appeals.case_from_token(token + "x") is None
    from moderation.notices import _serializer

    decision_id = appeals.case_from_token(token).decision.id
    stranger = make_user()
    assert appeals.case_from_token(_serializer().dumps([stranger.id, decision_id])) is None


# --- pages ----------------------------------------------------------------------------


def test_the_appeal_flow_through_the_pages(app, scene, login):
    author, decider, other, post = scene
    decider_client = client_for(app, login, decider)
    response = decider_client.post(f"/moderation/posts/{post.id}/hide",
                                   data={"hide-reason": "Naam van een leerling"})  # fmt: skip
    assert response.status_code == 302
    path = _appeal_path(author)

    # No login needed: a suspended member must be able to appeal too.
    anonymous = app.test_client()
    page = anonymous.get(path).get_data(as_text=True)
    assert "Naam van een leerling" in page
    assert anonymous.post(path, data={"statement": ""}).status_code == 400
    assert (
        anonymous.post(path, data={"statement": "Het was een verzonnen naam."}).status_code == 302
    )
    assert "In behandeling" in anonymous.get(path).get_data(as_text=True)

    appeal = db.session.scalar(select(Appeal))
    queue = decider_client.get("/moderation").get_data(as_text=True)
    assert "/moderation/appeals" in queue
    listing = decider_client.get("/moderation/appeals").get_data(as_text=True)
    assert "Het was een verzonnen naam." in listing
    own = decider_client.get(f"/moderation/appeals/{appeal.id}").get_data(as_text=True)
    assert "Een andere moderator beslist erover." in own
    refused = decider_client.post(f"/moderation/appeals/{appeal.id}/decide",
                                  data={"outcome": "reversed", "note": "Mag ik zelf"})  # fmt: skip
    assert refused.status_code == 403

    other_client = client_for(app, login, other)
    missing_note = other_client.post(f"/moderation/appeals/{appeal.id}/decide",
                                     data={"outcome": "reversed", "note": ""})  # fmt: skip
    assert missing_note.status_code == 400
    done = other_client.post(f"/moderation/appeals/{appeal.id}/decide",
                             data={"outcome": "reversed", "note": "Verzonnen naam, akkoord."})  # fmt: skip
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Appeal, appeal.id).status == "reversed"
    assert "Verzonnen naam, akkoord." in anonymous.get(path).get_data(as_text=True)


def test_members_cannot_open_the_appeals_queue(app, scene, login, make_user):
    member_client = client_for(app, login, make_user())
    assert member_client.get("/moderation/appeals").status_code in {403, 404}
    assert app.test_client().get("/appeal/not-a-token").status_code == 404


def test_the_appeals_list_runs_a_fixed_number_of_queries(app, login, make_user, make_group,
                                                          make_thread):  # fmt: skip
    from tests.conftest import count_queries

    decider = make_user(role="moderator", with_2fa=True)
    reviewer = client_for(app, login, make_user(role="moderator", with_2fa=True))

    def add(n):
        for _ in range(n):
            author = make_user()
            thread = make_thread(make_group(), author)
            services.hide_post(thread.first_post, decider, "Reden")
            db.session.commit()
            token = _appeal_path(author).rsplit("/", 1)[1]
            appeals.file_appeal(appeals.case_from_token(token), "Oneens")
            db.session.commit()

    add(2)
    with count_queries() as few:
        assert reviewer.get("/moderation/appeals").status_code == 200
    add(8)
    with count_queries() as many:
        page = reviewer.get("/moderation/appeals").get_data(as_text=True)
    assert page.count("Oneens") == 10
    assert many.count == few.count
