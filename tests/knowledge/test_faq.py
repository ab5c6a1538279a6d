"""From conversation to knowledge: a FAQ draft from an answered question, with consent."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.extensions import db
from knowledge import faq, services
from knowledge.models import KnowledgeConsent, KnowledgeItem
from notifications.models import Notification
from tests.conftest import first_link, sent_emails
from tests.factories import join, make_group, post_reply, post_thread
from tests.knowledge.conftest import signed_in_client


@pytest.fixture
def answered(make_user):
    """A question thread with an accepted answer: (thread, asker, answerer, coordinator)."""
    from forum.services import accept_answer

    asker = make_user("Anna Docent", sector="onderwijs")
    answerer = make_user("Bram Wijkagent", sector="politie")
    coordinator = make_user("Carla Coördinator")
    group = make_group("Regio Twente")
    join(group, asker)
    join(group, answerer)
    join(group, coordinator, role="coordinator")
    thread = post_thread(
        group,
        asker,
        title="Hoe praat ik met een leerling over complotfilmpjes?",
        body="Een leerling deelt steeds filmpjes over complotten in de klas.",
        kind="question",
    )
    answer = post_reply(thread, answerer, body="Vraag eerst wat hem aanspreekt in de filmpjes.")
    accept_answer(thread, answer, asker)
    db.session.commit()
    return thread, asker, answerer, coordinator


def test_a_coordinator_makes_a_faq_draft_that_quotes_without_names(app, answered):
    thread, asker, answerer, coordinator = answered
    client = signed_in_client(app, coordinator)
    response = client.post(f"/threads/{thread.id}/to-kennisbank")
    assert response.status_code == 302
    item = db.session.scalar(select(KnowledgeItem))
    assert item.kind == "faq"
    assert item.status == "draft"
    assert item.source_thread_id == thread.id
    assert "> Een leerling deelt steeds filmpjes" in item.body_source
    assert "> Vraag eerst wat hem aanspreekt" in item.body_source
    assert asker.display_name not in item.body_source
    assert answerer.display_name not in item.body_source


def test_the_quoted_authors_are_asked_in_app_and_by_email(app, answered):
    thread, asker, answerer, coordinator = answered
    faq.make_faq_draft(thread, coordinator)
    db.session.commit()
    consents = list(db.session.scalars(select(KnowledgeConsent)))
    assert {c.user_id for c in consents} == {asker.id, answerer.id}
    assert all(c.status == "pending" for c in consents)
    notes = db.session.scalars(select(Notification).where(Notification.kind == "knowledge_consent"))
    assert {n.user_id for n in notes} == {asker.id, answerer.id}
    assert len(sent_emails(to=answerer.email, kind="knowledge_consent")) == 1


def test_an_author_who_makes_the_draft_has_consented_already(app, answered, make_user):
    thread, asker, _answerer, _coordinator = answered
    item = faq.make_faq_draft(thread, asker)
    mine = db.session.scalar(
        select(KnowledgeConsent).where(
            KnowledgeConsent.item_id == item.id, KnowledgeConsent.user_id == asker.id
        )
    )
    assert mine.status == "granted"


def test_a_member_who_is_no_coordinator_or_editor_cannot_make_a_faq(app, answered, make_user):
    thread, _asker, answerer, _coordinator = answered
    client = signed_in_client(app, answerer)
    assert client.post(f"/threads/{thread.id}/to-kennisbank").status_code == 403
    outsider = signed_in_client(app, make_user())
    # A members-visible group: the outsider may read it but not make a FAQ.
    assert outsider.post(f"/threads/{thread.id}/to-kennisbank").status_code == 403


def test_an_unanswered_question_cannot_become_a_faq(app, make_user):
    editor = make_user(role="editor")
    group = make_group()
    join(group, editor)
    thread = post_thread(group, editor, kind="question")
    client = signed_in_client(app, editor)
    assert client.post(f"/threads/{thread.id}/to-kennisbank").status_code == 403


def test_the_button_shows_on_the_thread_for_the_coordinator_only(app, answered):
    thread, asker, _answerer, coordinator = answered
    page = signed_in_client(app, coordinator).get(f"/threads/{thread.id}").get_data(as_text=True)
    assert "Maak een FAQ-concept" in page
    page = signed_in_client(app, asker).get(f"/threads/{thread.id}").get_data(as_text=True)
    assert "Maak een FAQ-concept" not in page


def test_publishing_waits_for_every_quoted_author(app, answered, make_user):
    thread, _asker, _answerer, _coordinator = answered
    anna, bram = make_user(role="editor"), make_user(role="editor")
    item = faq.make_faq_draft(thread, anna)
    services.submit_item(item, anna)
    with pytest.raises(services.ConsentMissing):
        services.publish_item(item, bram)
    for consent in faq.consents_for(item):
        faq.answer_consent(consent, consent.user, granted=True)
    services.publish_item(item, bram)
    assert item.status == "published"


def test_a_refusal_blocks_until_the_text_is_removed(app, answered, make_user):
    thread, asker, answerer, _coordinator = answered
    anna, bram = make_user(role="editor"), make_user(role="editor")
    item = faq.make_faq_draft(thread, anna)
    by_user = {c.user_id: c for c in faq.consents_for(item)}
    faq.answer_consent(by_user[asker.id], asker, granted=True)
    faq.answer_consent(by_user[answerer.id], answerer, granted=False)
    with pytest.raises(services.KnowledgeError):
        faq.mark_text_removed(by_user[answerer.id], anna)
    body = item.body_source.replace("> Vraag eerst wat hem aanspreekt in de filmpjes.", "")
    services.update_item(item, anna, services.item_data_from(item, body=body))
    faq.mark_text_removed(by_user[answerer.id], anna)
    services.submit_item(item, anna)
    services.publish_item(item, bram)
    assert item.status == "published"


def test_the_email_link_opens_a_page_whose_button_records_the_answer(app, answered):
    thread, _asker, answerer, coordinator = answered
    faq.make_faq_draft(thread, coordinator)
    db.session.commit()
    email = sent_emails(to=answerer.email, kind="knowledge_consent")[0]
    link = first_link(email.text_body, "/kennisbank/toestemming/t/")
    anonymous = app.test_client()
    page = anonymous.get(link)
    assert page.status_code == 200
    assert "Vraag eerst wat hem aanspreekt" in page.get_data(as_text=True)
    consent = db.session.scalar(
        select(KnowledgeConsent).where(KnowledgeConsent.user_id == answerer.id)
    )
    assert consent.status == "pending"  # opening the link decides nothing
    anonymous.post(link.split("?")[0], data={"answer": "yes"})
    db.session.refresh(consent)
    assert consent.status == "granted"


def test_a_forged_consent_token_is_404(app):
    assert app.test_client().get("/kennisbank/toestemming/t/nep").status_code == 404


def test_a_member_answers_in_the_app_and_cannot_answer_for_someone_else(app, answered):
    thread, asker, answerer, coordinator = answered
    faq.make_faq_draft(thread, coordinator)
    db.session.commit()
    consent = db.session.scalar(
        select(KnowledgeConsent).where(KnowledgeConsent.user_id == answerer.id)
    )
    assert (
        signed_in_client(app, asker).get(f"/kennisbank/toestemming/{consent.id}").status_code == 404
    )
    client = signed_in_client(app, answerer)
    assert "Hoe praat ik" in client.get("/kennisbank/toestemming").get_data(as_text=True)
    client.post(f"/kennisbank/toestemming/{consent.id}", data={"answer": "no"})
    db.session.refresh(consent)
    assert consent.status == "refused"


def test_a_thread_with_a_bsn_is_not_turned_into_a_faq(app, make_user):
    from forum.services import accept_answer

    editor = make_user(role="editor")
    group = make_group()
    join(group, editor)
    thread = post_thread(group, editor, kind="question", body="Vraag over een leerling.")
    answer = post_reply(thread, editor, body="Noem nooit een nummer.", privacy_checked=True)
    answer.body_source = "Het bsn 111222333 hoort hier niet."
    accept_answer(thread, answer, editor)
    db.session.commit()
    with pytest.raises(faq.PrivacyBlocked):
        faq.make_faq_draft(thread, editor)
