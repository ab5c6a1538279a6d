"""The advice pages: asking (with the acute guidance and the privacy guard), the
conversation, the queue, and listings that run a fixed number of queries."""

from __future__ import annotations

import re

from sqlalchemy import select

from advice import services
from advice.models import AdviceQuestion
from core.extensions import db
from tests.conftest import count_queries

ASK = {
    "subject": "Leerling uit zich over aanslag",
    "body": "**Situatie**\nEen leerling (16) zegt dat hij de aanslag begrijpt.",
    "urgency": "normaal",
    "kind": "adviseur",
    "theme": "0",
    "sector": "0",
    "region": "0",
}


def test_the_ask_form_prefills_sector_and_region_and_offers_the_case_template(app, member_client):
    client, member = member_client
    page = client.get("/advies/new").get_data(as_text=True)
    assert f'<option selected value="{member.sector_id}">' in page
    templated = client.get("/advies/new?template=1").get_data(as_text=True)
    assert "Waargenomen feiten" in templated
    assert "112" in page  # the acute guidance is always in the form's hint


def test_asking_files_the_question_and_shows_it(app, member_client):
    client, member = member_client
    response = client.post("/advies/new", data=ASK)
    question = db.session.scalar(select(AdviceQuestion))
    assert response.headers["Location"].endswith(f"/advies/{question.id}")
    assert question.asker_id == member.id
    page = client.get(f"/advies/{question.id}").get_data(as_text=True)
    assert "Leerling uit zich over aanslag" in page
    assert "Eerste antwoord uiterlijk" in page


def test_an_acute_question_shows_the_emergency_guidance_at_once(app, member_client):
    client, _ = member_client
    response = client.post("/advies/new", data=ASK | {"urgency": "acuut"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Bel 112" in page
    assert "Veilig Thuis" in page
    assert 'id="acute-guidance"' in page


def test_bad_input_keeps_what_was_typed_and_explains(app, member_client):
    client, _ = member_client
    response = client.post("/advies/new", data=ASK | {"subject": "Kort", "urgency": "heel erg"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Een onderwerp heeft 5 tot 150 tekens." in page
    assert "begrijpt" in page
    assert db.session.scalar(select(AdviceQuestion)) is None


def test_the_privacy_guard_warns_and_keeps_the_text(app, member_client):
    client, _ = member_client
    body = "Zijn moeder is bereikbaar op 06-12345678."
    response = client.post("/advies/new", data=ASK | {"body": body})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "telefoonnummer" in page
    assert "<mark" in page
    response = client.post("/advies/new", data=ASK | {"body": body, "privacy_checked": "y"})
    assert response.status_code == 302


def test_the_asker_replies_closes_and_rates_in_one_click(app, member_client, make_user):
    client, _member = member_client
    adviser = make_user(role="adviser")
    client.post("/advies/new", data=ASK)
    question = db.session.scalar(select(AdviceQuestion))
    services.post_message(question, adviser, "Bespreek het met de mentor.")
    db.session.commit()
    client.post(f"/advies/{question.id}", data={"body": "Dank, dat doe ik."})
    client.post(f"/advies/{question.id}/close", data={"outcome": "beantwoord", "faq_consent": "y"})
    client.post(f"/advies/{question.id}/rate", data={"rating": "helped"})
    db.session.expire_all()
    question = db.session.get(AdviceQuestion, question.id)
    assert (question.status, question.rating, question.faq_consent) == ("closed", "helped", True)
    page = client.get(f"/advies/{question.id}").get_data(as_text=True)
    assert "Je gaf aan: dit hielp." in page


def test_the_queue_lists_acute_questions_first(app, make_user, login, ask_advice):
    adviser = make_user(role="adviser")
    ask_advice(make_user(), subject="Gewone vraag over school")
    ask_advice(make_user(), subject="Acute dreiging op school", urgency="acuut")
    client = app.test_client()
    login(client, adviser)
    page = client.get("/advies/queue").get_data(as_text=True)
    assert page.index("Acute dreiging") < page.index("Gewone vraag")


def _listing_queries(client, path: str) -> int:
    client.get(path)  # warm up: session and caches
    with count_queries() as counter:
        assert client.get(path).status_code == 200
    return counter.count


def test_the_queue_and_my_questions_run_a_fixed_number_of_queries(
    app, make_user, login, ask_advice
):
    adviser, asker = make_user(role="adviser"), make_user()
    adviser_client, asker_client = app.test_client(), app.test_client()
    login(adviser_client, adviser)
    login(asker_client, asker)

    def add(count):
        for n in range(count):
            question = ask_advice(asker, subject=f"Vraag nummer {n} over school")
            services.post_message(question, make_user(role="adviser"), "Antwoord.")
        db.session.commit()

    add(2)
    few = (
        _listing_queries(adviser_client, "/advies/queue?show=all"),
        _listing_queries(asker_client, "/advies"),
    )
    add(15)
    many = (
        _listing_queries(adviser_client, "/advies/queue?show=all"),
        _listing_queries(asker_client, "/advies"),
    )
    assert many == few


def test_joining_the_sparring_pool_keeps_the_choices(app, member_client):
    from core.taxonomy import Tag

    client, _member = member_client
    tag = db.session.scalars(select(Tag)).first()
    response = client.post(
        "/advies/sparringpool",
        data={"themes": [str(tag.id)], "availability": "wekelijks", "is_available": "y"},
    )
    assert response.status_code == 302
    page = client.get("/advies/sparringpool").get_data(as_text=True)
    assert re.search(rf'<input checked[^>]*value="{tag.id}"', page)


def test_the_team_numbers_page_shows_aggregates_only(app, make_user, login, ask_advice):
    adviser = make_user(role="adviser")
    asker = make_user("Zeer Herkenbare Naam")
    ask_advice(asker, subject="Onderwerp dat niet op de cijferpagina hoort")
    client = app.test_client()
    login(client, adviser)
    page = client.get("/advies/cijfers").get_data(as_text=True)
    assert "Totaal" in page
    assert "Zeer Herkenbare Naam" not in page
    assert "Onderwerp dat niet" not in page


def _consented_question(make_user, ask_advice):
    asker, adviser = make_user(), make_user(role="adviser")
    question = ask_advice(asker, subject="Leerling deelt filmpjes in de klas")
    services.post_message(question, adviser, "Bespreek het met de mentor.")
    services.close_question(question, asker, "beantwoord", faq_consent=True)
    db.session.commit()
    return question, adviser


def test_an_adviser_makes_a_kennisbank_faq_draft_and_editors_get_the_link(
    app, make_user, login, ask_advice
):
    from knowledge.models import KnowledgeItem

    question, adviser = _consented_question(make_user, ask_advice)
    client = app.test_client()
    login(client, adviser)
    page = client.get(f"/advies/{question.id}").get_data(as_text=True)
    assert "Maak er een FAQ-concept van" in page
    response = client.post(f"/advies/{question.id}/faq", follow_redirects=True)
    page = response.get_data(as_text=True)
    item = db.session.scalar(select(KnowledgeItem))
    assert (item.kind, item.status, item.is_members_only) == ("faq", "draft", True)
    assert "FAQ-concept in de kennisbank" in page
    assert "Maak er een FAQ-concept van" not in page
    assert f"/kennisbank/{item.slug}" not in page  # an adviser cannot open drafts
    assert client.post(f"/advies/{question.id}/faq").status_code == 403  # once
    admin = app.test_client()
    login(admin, make_user(role="admin"))
    page = admin.get(f"/advies/{question.id}").get_data(as_text=True)
    assert f'href="/kennisbank/{item.slug}"' in page
    assert admin.get(f"/kennisbank/{item.slug}").status_code == 200


def test_the_faq_page_lists_the_kennisbank_drafts_from_advice(app, make_user, login, ask_advice):
    from advice import faq

    question, adviser = _consented_question(make_user, ask_advice)
    item = faq.make_faq_draft(question, adviser)
    db.session.commit()
    editor, adviser_client = app.test_client(), app.test_client()
    login(editor, make_user(role="editor"))
    login(adviser_client, adviser)
    page = editor.get("/advies/faq").get_data(as_text=True)
    assert item.title in page
    assert "Concept" in page
    assert f'href="/kennisbank/{item.slug}"' in page
    assert 'href="/kennisbank/redactie"' in page
    page = adviser_client.get("/advies/faq").get_data(as_text=True)
    assert item.title in page
    assert f'href="/kennisbank/{item.slug}"' not in page
    assert 'href="/kennisbank/redactie"' not in page


def test_the_listings_run_at_most_three_and_five_queries(app, make_user, login, ask_advice):
    adviser, asker = make_user(role="adviser"), make_user()
    adviser_client, asker_client = app.test_client(), app.test_client()
    login(adviser_client, adviser)
    login(asker_client, asker)
    for n in range(3):
        ask_advice(asker, subject=f"Vraag nummer {n} over school")
    # the user, the questions, the unread notifications
    assert _listing_queries(adviser_client, "/advies/queue?show=all") <= 3
    # and on the member's page the sparring proposals and pool membership
    assert _listing_queries(asker_client, "/advies") <= 5


def test_a_conversation_runs_a_fixed_number_of_queries_whatever_its_length(
    app, make_user, login, ask_advice
):
    adviser, asker = make_user(role="adviser"), make_user()
    make_user(role="adviser")  # someone to hand the question over to
    question = ask_advice(asker, subject="Een lang gesprek")
    services.take_question(question, adviser)
    db.session.commit()
    path = f"/advies/{question.id}"
    adviser_client, asker_client = app.test_client(), app.test_client()
    login(adviser_client, adviser)
    login(asker_client, asker)

    def add(count):
        for n in range(count):
            services.post_message(question, adviser, f"Antwoord {n}.")
            services.post_message(question, make_user(), f"Aanvulling {n}.")
        db.session.commit()

    add(1)
    few = (_listing_queries(adviser_client, path), _listing_queries(asker_client, path))
    add(10)
    many = (_listing_queries(adviser_client, path), _listing_queries(asker_client, path))
    assert many == few
    page = adviser_client.get(path).get_data(as_text=True)
    assert "Antwoord 9." in page
    assert 'name="adviser_id"' in page  # the assigned adviser may hand it over
