"""Advice desk services: asking, the first answer, closing, FAQ drafts in the kennisbank."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from advice import faq, services
from advice.errors import AdviceError
from core.extensions import db
from tests.conftest import sent_emails

AMS = ZoneInfo("Europe/Amsterdam")


def _notifications(user):
    from notifications.models import Notification

    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)))


def test_asking_sets_the_due_date_two_working_days_later(app, make_user, ask_advice):
    asker = make_user()
    question = ask_advice(asker, now=datetime(2026, 12, 4, 15, 0, tzinfo=AMS))
    assert question.due_at.astimezone(AMS) == datetime(2026, 12, 8, 17, 0, tzinfo=AMS)
    assert question.status == "open"
    assert question.body_html.startswith("<p>")


def test_a_bsn_next_to_its_keyword_blocks_the_question(app, make_user):
    with pytest.raises(services.PrivacyGuardError) as caught:
        services.ask_question(
            make_user(),
            services.NewQuestion(subject="Vraag over een leerling", body="Zijn BSN is 111222333."),
        )
    assert caught.value.is_blocked


def test_a_phone_number_needs_the_checkbox_and_is_then_remembered(app, make_user, ask_advice):
    asker = make_user()
    body = "De moeder belde vanaf 06-12345678."
    with pytest.raises(services.PrivacyGuardError):
        ask_advice(asker, body=body)
    question = ask_advice(asker, body=body, privacy_checked=True)
    assert question.privacy_override is True


def test_an_acute_question_tells_every_adviser_at_once(app, make_user, ask_advice):
    adviser = make_user(role="adviser")
    ask_advice(make_user(), urgency="acuut")
    assert [m.kind for m in sent_emails(to=adviser.email)] == ["advice"]
    assert len(_notifications(adviser)) == 1


def test_the_first_answer_meets_the_service_level_and_tells_the_asker(app, make_user, ask_advice):
    asker, adviser = make_user(), make_user(role="adviser")
    question = ask_advice(asker)
    services.post_message(question, adviser, "Goed dat je dit vraagt. Wat zegt de mentor?")
    db.session.commit()
    assert question.first_answered_at is not None
    assert question.adviser_id == adviser.id  # answering an unassigned question takes it
    assert question.status == "answered"
    emails = sent_emails(to=asker.email)
    assert len(emails) == 1
    assert "Wat zegt de mentor" not in emails[0].text_body  # content stays on the platform
    assert f"/advies/{question.id}" in emails[0].text_body
    assert [n.url for n in _notifications(asker)] == [f"/advies/{question.id}"]


def test_an_internal_note_is_no_answer_and_tells_nobody(app, make_user, ask_advice):
    asker, adviser = make_user(), make_user(role="adviser")
    question = ask_advice(asker)
    note = services.post_message(question, adviser, "Eerst overleggen.", internal=True)
    db.session.commit()
    assert note.is_internal
    assert question.first_answered_at is None
    assert sent_emails(to=asker.email) == []


def test_the_asker_cannot_write_an_internal_note(app, make_user, ask_advice):
    asker = make_user()
    question = ask_advice(asker)
    message = services.post_message(question, asker, "Aanvulling.", internal=True)
    assert message.is_internal is False


def test_a_question_is_closed_once_and_rated_once(app, make_user, ask_advice):
    asker, adviser = make_user(), make_user(role="adviser")
    question = ask_advice(asker)
    assert services.close_question(question, adviser, "beantwoord") is True
    assert services.close_question(question, asker, "anders") is False
    assert question.outcome == "beantwoord"
    assert services.rate_question(question, asker, "helped") is True
    assert services.rate_question(question, asker, "not_helped") is False
    assert question.rating == "helped"
    with pytest.raises(AdviceError):
        services.post_message(question, asker, "Nog iets.")


def test_handing_over_tells_the_new_adviser(app, make_user, ask_advice):
    first, second = make_user(role="adviser"), make_user(role="adviser")
    question = ask_advice(make_user())
    services.take_question(question, first)
    services.hand_over(question, first, second)
    db.session.commit()
    assert question.adviser_id == second.id
    assert len(_notifications(second)) == 1
    with pytest.raises(AdviceError):
        services.hand_over(question, second, make_user())  # not an adviser


def test_a_faq_draft_needs_consent_and_lands_anonymised_in_the_kennisbank(
    app, make_user, ask_advice
):
    from core.audit import AuditEvent
    from knowledge.models import KnowledgeItem, KnowledgeVersion

    asker, adviser = make_user(), make_user(role="adviser")
    question = ask_advice(
        asker, body="Bel me op 06-12345678 over de leerling.", privacy_checked=True
    )
    services.post_message(question, adviser, "Praat eerst met de zorgcoördinator.")
    services.post_message(question, adviser, "Intern: ken ik deze school?", internal=True)
    services.post_message(question, asker, "Dank, ik bel de school van Jan.")
    services.close_question(question, asker, "beantwoord", faq_consent=False)
    with pytest.raises(AdviceError):
        faq.make_faq_draft(question, adviser)
    services.set_faq_consent(question, asker, True)
    item = faq.make_faq_draft(question, adviser)
    db.session.commit()
    assert (item.kind, item.status, item.is_members_only) == ("faq", "draft", True)
    assert question.faq_item_id == item.id
    assert item.title == question.subject
    assert "06-12345678" not in item.body_source
    assert "[…]" in item.body_source
    assert "zorgcoördinator" in item.body_source
    assert "Intern" not in item.body_source
    assert "school van Jan" not in item.body_source
    assert asker.display_name not in item.body_source
    assert db.session.scalar(select(KnowledgeVersion.number).where(
        KnowledgeVersion.item_id == item.id)) == 1  # fmt: skip
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"knowledge.create", "advice.faq_draft"} <= actions
    assert faq.make_faq_draft(question, adviser).id == item.id  # once per question
    assert db.session.scalar(select(func.count()).select_from(KnowledgeItem)) == 1


def test_the_faq_draft_outlives_the_erased_question(app, make_user, ask_advice):
    from advice import queries, retention

    asker, adviser = make_user(), make_user(role="adviser")
    question = ask_advice(asker)
    services.post_message(question, adviser, "Een antwoord dat blijft.")
    services.close_question(question, asker, "beantwoord", faq_consent=True)
    item = faq.make_faq_draft(question, adviser)
    retention.erase_questions([question.id])
    db.session.commit()
    assert db.session.get(type(item), item.id) is not None
    assert [i.id for i in queries.faq_drafts()] == [item.id]
    with pytest.raises(AdviceError):
        faq.make_faq_draft(db.session.get(type(question), question.id), adviser)


def test_of_two_advisers_at_once_only_the_first_links_a_draft(app, make_user, ask_advice):
    from sqlalchemy.orm.attributes import set_committed_value

    asker, adviser = make_user(), make_user(role="adviser")
    question = ask_advice(asker)
    services.post_message(question, adviser, "Een antwoord.")
    services.close_question(question, asker, "beantwoord", faq_consent=True)
    first = faq.make_faq_draft(question, adviser)
    colleague = make_user(role="adviser")  # (commits: loads the question afresh)
    # The second adviser loaded the question before the first one's draft was linked.
    set_committed_value(question, "faq_item", None)
    set_committed_value(question, "faq_item_id", None)
    with pytest.raises(AdviceError):
        faq.make_faq_draft(question, colleague)
    db.session.expire_all()
    assert db.session.get(type(question), question.id).faq_item_id == first.id
