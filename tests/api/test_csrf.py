"""CSRF: token requests are exempt, everything else under /api/v1 is checked."""

from __future__ import annotations

import pytest

from tests.api.conftest import bearer
from tests.factories import make_group


@pytest.fixture
def app_config() -> dict:
    return {"WTF_CSRF_ENABLED": True}


def test_a_token_request_needs_no_csrf_token_but_a_cookie_request_does(
    client, make_user, issue_token, schedule_event
):
    event = schedule_event(make_group(slug="open"))
    token = issue_token(make_user(), write=True)
    with_token = client.post(f"/api/v1/events/{event.id}/register", headers=bearer(token))
    assert with_token.status_code == 200
    without = client.post(f"/api/v1/events/{event.id}/register")
    assert without.status_code == 400
    assert without.get_json()["error"]["code"] == "bad_request"
