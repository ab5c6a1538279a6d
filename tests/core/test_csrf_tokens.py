"""CSRF tokens are signed once per session and process (`core.security`): every page of
a session carries the same valid token, another session gets its own, and a post with
the kept token (or a token of another session) is judged as before."""

from __future__ import annotations

import re

TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def tokens(client, path: str = "/auth/login") -> list[str]:
    return TOKEN.findall(client.get(path).get_data(as_text=True))


def test_every_page_of_a_session_carries_the_same_token_and_it_is_valid(app):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    first, second = tokens(client), tokens(client)
    assert first
    assert first[0] == second[0]
    assert len(app.extensions["signed_csrf_tokens"]) == 1

    response = client.post("/taal", data={"language": "en", "csrf_token": second[0]})
    assert response.status_code in (302, 303)


def test_another_session_gets_its_own_token_and_cannot_use_the_first(app):
    app.config["WTF_CSRF_ENABLED"] = True
    anna, bram = app.test_client(), app.test_client()
    annas, brams = tokens(anna)[0], tokens(bram)[0]
    assert annas != brams
    assert bram.post("/taal", data={"language": "en", "csrf_token": annas}).status_code == 400
    assert anna.post("/taal", data={"language": "en", "csrf_token": annas}).status_code in (
        302,
        303,
    )
