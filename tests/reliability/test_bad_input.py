"""Bad input is refused cleanly on every route: generated from the URL map, so new
routes are covered without anyone remembering to add them."""

from __future__ import annotations

import pytest
from werkzeug.routing import Rule

from composition import create_app

# Routes that must accept a POST without a CSRF token (RFC 8058 one-click unsubscribe).
CSRF_EXEMPT_ENDPOINTS = {"notifications.unsubscribe"}

NASTY_VALUES = [
    "nul\x00byte",
    "control\x01\x02\x1b[31m characters",
    "'; DROP TABLE users; --",
    '" OR 1=1 --',
    "Robert'); DELETE FROM posts WHERE ('1'='1",
    "\ud7ff\ufffe",
    "x" * 30_000,
]
COMMON_FIELDS = ["title", "body", "email", "display_name", "organisation", "reason", "note",
                 "q", "kind", "description", "location", "parent_id", "password", "code",
                 "domain", "role", "capacity", "starts_at", "ends_at"]  # fmt: skip


def post_rules(app) -> list[Rule]:
    return [
        rule
        for rule in app.url_map.iter_rules()
        if "POST" in (rule.methods or set()) and not rule.endpoint.startswith("test")
    ]


def build_path(rule: Rule) -> str:
    values = {}
    for name in rule.arguments:
        converter = rule._converters[name]
        if "Integer" in converter.__class__.__name__:
            values[name] = 1
        elif hasattr(converter, "items"):  # <any(a, b):name> takes one of its values
            values[name] = sorted(converter.items)[0]
        else:
            values[name] = "x"
    return rule.build(values)[1]


def test_every_post_route_refuses_a_missing_csrf_token(app, member_client):
    client, _ = member_client
    app.config["WTF_CSRF_ENABLED"] = True
    rules = [r for r in post_rules(app) if r.endpoint not in CSRF_EXEMPT_ENDPOINTS]
    assert len(rules) >= 10
    for rule in rules:
        response = client.post(build_path(rule), data={"body": "x"})
        assert response.status_code == 400, f"{rule.rule} answered {response.status_code}"


def test_every_post_route_survives_nasty_input(app, member_client):
    client, _ = member_client
    app.config["RENDER_500_IN_TESTS"] = True
    for rule in post_rules(app):
        for value in NASTY_VALUES:
            data = dict.fromkeys(COMMON_FIELDS, value)
            response = client.post(build_path(rule), data=data)
            assert response.status_code < 500, f"{rule.rule} with {value[:20]!r}"


def test_invalid_utf8_in_a_form_is_not_a_server_error(app, client):
    app.config["RENDER_500_IN_TESTS"] = True
    response = client.post(
        "/auth/login",
        data=b"email=\xff\xfe%C3%28&password=\xc3\x28",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code < 500


def test_every_get_route_survives_nasty_query_parameters(app, member_client):
    client, _ = member_client
    app.config["RENDER_500_IN_TESTS"] = True
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or set()) or rule.endpoint == "static":
            continue
        for value in NASTY_VALUES[:5]:
            response = client.get(
                build_path(rule), query_string={"q": value, "page": value, "group": value}
            )
            assert response.status_code < 500, f"{rule.rule} with {value[:20]!r}"


def test_unknown_host_is_refused_in_production(tmp_path, monkeypatch):
    monkeypatch.setenv("PRODUCTION", "1")
    monkeypatch.setenv("SECRET_KEY", "a-production-secret-that-is-long-enough")
    monkeypatch.setenv("BASE_URL", "https://jep.example.nl")
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    client = app.test_client()
    assert client.get("/over", headers={"Host": "jep.example.nl"}).status_code == 200
    assert client.get("/over", headers={"Host": "evil.example"}).status_code == 400


def test_logged_in_pages_are_not_stored(member_client):
    client, _ = member_client
    assert client.get("/account/profile").headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", ["/", "/auth/login"])
def test_cookies_are_httponly_and_samesite(client, path):
    client.get(path)
    client.post("/taal", data={"language": "nl"})
    for cookie in [client.get_cookie("session")]:
        assert cookie.http_only
        assert cookie.same_site == "Lax"
