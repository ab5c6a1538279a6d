"""The token pages under /account/security/tokens."""

from __future__ import annotations

import re

from sqlalchemy import select

from api.models import ApiToken
from core.extensions import db
from tests.api.conftest import bearer


def create(client, **fields):
    data = {"name": "Agenda intranet", "scope": "read", "lifetime": "90", **fields}
    return client.post("/account/security/tokens", data=data)


def test_the_security_page_links_to_the_tokens(member_client):
    client, _ = member_client
    page = client.get("/account/security").get_data(as_text=True)
    assert 'href="/account/security/tokens"' in page


def test_a_new_token_is_shown_once_and_then_only_its_prefix(member_client):
    client, _ = member_client
    response = create(client, scope="write")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    secret = re.search(r'value="(jep_[^"]+)"', response.get_data(as_text=True))[1]
    assert client.get("/api/v1/me", headers=bearer(secret)).get_json()["token"]["scopes"] == [
        "read",
        "write",
    ]
    later = client.get("/account/security/tokens").get_data(as_text=True)
    assert secret not in later
    assert "Agenda intranet" in later
    assert secret[:10] in later


def test_a_form_with_errors_keeps_what_was_typed(member_client):
    client, _ = member_client
    response = create(client, name="x", scope="admin")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'value="x"' in page
    assert 'role="alert"' in page
    assert db.session.scalar(select(ApiToken)) is None


def test_revoking_is_a_post_and_the_token_stops_working(member_client):
    client, _ = member_client
    page = create(client).get_data(as_text=True)
    secret = re.search(r'value="(jep_[^"]+)"', page)[1]
    token = db.session.scalar(select(ApiToken))
    assert client.get(f"/account/security/tokens/{token.id}/revoke").status_code == 405
    response = client.post(f"/account/security/tokens/{token.id}/revoke")
    assert response.status_code == 302
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 401
    assert "ingetrokken" in client.get("/account/security/tokens").get_data(as_text=True)


def test_nobody_revokes_someone_elses_token(app, member_client, make_user, issue_token):
    client, _ = member_client
    issue_token(make_user())
    token = db.session.scalar(select(ApiToken))
    assert client.post(f"/account/security/tokens/{token.id}/revoke").status_code == 404
    db.session.refresh(token)
    assert token.revoked_at is None


def test_visitors_are_sent_to_the_login(client):
    response = client.get("/account/security/tokens")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]
