"""Per-token rate limits through the app's limiter, answered in the API's error shape."""

from __future__ import annotations

import pytest

from tests.api.conftest import bearer


@pytest.fixture
def app_config() -> dict:
    return {"RATELIMIT_ENABLED": True, "API_RATE_LIMIT": "3 per minute"}


def test_each_token_has_its_own_budget_and_429_is_json(client, make_user, issue_token):
    first, second = issue_token(make_user()), issue_token(make_user())
    for _ in range(3):
        assert client.get("/api/v1/me", headers=bearer(first)).status_code == 200
    limited = client.get("/api/v1/me", headers=bearer(first))
    assert limited.status_code == 429
    assert limited.get_json()["error"]["code"] == "rate_limited"
    assert "Retry-After" in limited.headers
    assert client.get("/api/v1/me", headers=bearer(second)).status_code == 200


def test_visitors_are_limited_per_address(client):
    for _ in range(3):
        assert client.get("/api/v1/regions").status_code == 200
    assert client.get("/api/v1/regions").status_code == 429
