"""Who may open which advice URL: asker, accepted sparring partner, another member, an
adviser, an admin and a visitor, on every route of the advice desk. A question is 404 for
everyone who may not read it, and its content never shows up for them."""

from __future__ import annotations

import pytest

from core.extensions import db

SUBJECT = "Broer van leerling lijkt te radicaliseren"
ROLES = ("asker", "partner", "other", "adviser", "admin", "visitor")

# (method, path template, state the question needs, form data) -> expected status per role.
# 302 for a visitor is the redirect to the login page.
MATRIX = [
    ("GET", "/advies", "open", {}, {"asker": 200, "partner": 200, "other": 200, "adviser": 200, "admin": 200}),
    ("GET", "/advies/new", "open", {}, {"asker": 200, "partner": 200, "other": 200, "adviser": 200, "admin": 200}),
    ("GET", "/advies/{id}", "open", {}, {"asker": 200, "partner": 200, "other": 404, "adviser": 200, "admin": 200}),
    ("POST", "/advies/{id}", "open", {"body": "Een bericht."}, {"asker": 302, "partner": 302, "other": 404, "adviser": 302, "admin": 302}),
    ("POST", "/advies/{id}/close", "open", {"outcome": "beantwoord"}, {"asker": 302, "partner": 403, "other": 404, "adviser": 302, "admin": 302}),
    ("POST", "/advies/{id}/rate", "closed", {"rating": "helped"}, {"asker": 302, "partner": 403, "other": 404, "adviser": 403, "admin": 403}),
    ("POST", "/advies/{id}/consent", "closed", {"consent": "y"}, {"asker": 302, "partner": 403, "other": 404, "adviser": 403, "admin": 403}),
    ("POST", "/advies/{id}/faq", "consented", {}, {"asker": 403, "partner": 403, "other": 404, "adviser": 302, "admin": 302}),
    ("POST", "/advies/{id}/take", "open", {}, {"asker": 403, "partner": 403, "other": 404, "adviser": 302, "admin": 302}),
    ("POST", "/advies/{id}/handover", "assigned", {"adviser_id": "{colleague}"}, {"asker": 403, "partner": 403, "other": 404, "adviser": 302, "admin": 302}),
    ("POST", "/advies/{id}/sparring/accept", "proposed", {}, {"asker": 404, "partner": 404, "other": 404, "adviser": 404, "admin": 404}),
    ("POST", "/advies/{id}/sparring/decline", "proposed", {}, {"asker": 404, "partner": 404, "other": 404, "adviser": 404, "admin": 404}),
    ("GET", "/advies/queue", "open", {}, {"asker": 403, "partner": 403, "other": 403, "adviser": 200, "admin": 200}),
    ("GET", "/advies/cijfers", "open", {}, {"asker": 403, "partner": 403, "other": 403, "adviser": 200, "admin": 200}),
    ("GET", "/advies/faq", "open", {}, {"asker": 403, "partner": 403, "other": 403, "adviser": 200, "admin": 200}),
    ("GET", "/advies/sparringpool", "open", {}, {"asker": 200, "partner": 200, "other": 200, "adviser": 200, "admin": 200}),
    ("POST", "/advies/sparringpool", "open", {"availability": "maandelijks"}, {"asker": 302, "partner": 302, "other": 302, "adviser": 302, "admin": 302}),
    ("POST", "/advies/sparringpool/leave", "open", {}, {"asker": 302, "partner": 302, "other": 302, "adviser": 302, "admin": 302}),
]  # fmt: skip


@pytest.fixture
def people(make_user):
    return {
        "asker": make_user("Vera Vrager", sector="onderwijs"),
        "partner": make_user("Paul Partner"),
        "other": make_user("Otto Ander"),
        "adviser": make_user("Ada Adviseur", role="adviser"),
        "colleague": make_user("Cor Collega", role="adviser"),
        "admin": make_user("Bea Beheer", role="admin"),
        "candidate": make_user("Kees Kandidaat"),
    }


def _question(people, ask_advice, state: str):
    from advice import services
    from advice.models import SparringProposal

    question = ask_advice(people["asker"], subject=SUBJECT, kind="sparringpartner")
    question.partner_id = people["partner"].id
    if state == "assigned":
        question.adviser_id = people["adviser"].id
    if state in {"closed", "consented"}:
        services.close_question(
            question, people["asker"], "beantwoord", faq_consent=state == "consented"
        )
    if state == "proposed":
        question.partner_id = None
        db.session.add(SparringProposal(question_id=question.id, user_id=people["candidate"].id))
    db.session.commit()
    return question


@pytest.mark.parametrize("role", ROLES)
def test_every_advice_url_answers_each_role_as_the_matrix_says(
    app, people, ask_advice, login, role
):
    client = app.test_client()
    if role != "visitor":
        login(client, people[role])
    for method, template, state, data, expected in MATRIX:
        question = _question(people, ask_advice, state)
        path = template.format(id=question.id)
        form = {k: v.format(colleague=people["colleague"].id) for k, v in data.items()}
        response = client.get(path) if method == "GET" else client.post(path, data=form)
        want = expected.get(role, 302)
        assert response.status_code == want, f"{role}: {method} {path} ({state})"
        if role == "visitor":
            assert "/auth/login" in response.headers["Location"]
        if want in {403, 404} or role == "visitor":
            assert SUBJECT not in response.get_data(as_text=True), f"{role}: {method} {path}"


def test_a_proposed_partner_may_accept_and_then_reads_the_conversation(
    app, people, ask_advice, login
):
    question = _question(people, ask_advice, "proposed")
    client = app.test_client()
    login(client, people["candidate"])
    assert client.get(f"/advies/{question.id}").status_code == 404
    assert SUBJECT in client.get("/advies").get_data(as_text=True)  # the proposal
    response = client.post(f"/advies/{question.id}/sparring/accept")
    assert response.status_code == 302
    assert SUBJECT in client.get(f"/advies/{question.id}").get_data(as_text=True)


def test_internal_notes_are_shown_to_advisers_only(app, people, ask_advice, login):
    from advice import services

    question = _question(people, ask_advice, "assigned")
    services.post_message(
        question, people["adviser"], "Notitie: overleg met Veilig Thuis.", internal=True
    )
    db.session.commit()
    for role, visible in (("adviser", True), ("admin", True), ("asker", False), ("partner", False)):
        client = app.test_client()
        login(client, people[role])
        body = client.get(f"/advies/{question.id}").get_data(as_text=True)
        assert ("overleg met Veilig Thuis" in body) is visible, role


def test_an_erased_question_is_404_even_for_advisers(app, people, ask_advice, login):
    from advice.retention import erase_questions

    question = _question(people, ask_advice, "closed")
    erase_questions([question.id])
    db.session.commit()
    client = app.test_client()
    login(client, people["adviser"])
    assert client.get(f"/advies/{question.id}").status_code == 404
