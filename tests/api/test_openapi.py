"""The OpenAPI document is valid, complete, and readable as a page."""

from __future__ import annotations

import re

from openapi_spec_validator import validate

from api.registry import OPERATIONS


def test_the_document_is_a_valid_openapi_3_1_document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"] == "3.1.0"
    validate(document)


def test_every_api_route_is_documented_and_every_documented_operation_exists(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    documented = {
        (method.upper(), path)
        for path, operations in document["paths"].items()
        for method in operations
    }
    routed = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/") and rule.endpoint.startswith("api.v1."):
            path = re.sub(r"<(?:[^:>]+:)?(\w+)>", r"{\1}", rule.rule)
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                routed.add((method, path))
    assert routed - documented == {("GET", "/api/v1/openapi.json")}
    assert documented <= routed
    assert len(documented) == len(OPERATIONS)


def test_write_operations_need_the_write_scope_in_the_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    register = paths["/api/v1/events/{event_id}/register"]["post"]
    assert register["security"] == [{"token": ["write"]}]
    assert {} in paths["/api/v1/events"]["get"]["security"]  # Visitors may call it.


def test_the_document_is_public_and_cacheable(client):
    response = client.get("/api/v1/openapi.json", headers={"Origin": "https://partner.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    again = client.get("/api/v1/openapi.json", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_the_reference_page_lists_every_operation_and_schema(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for operation in OPERATIONS:
        assert f'id="{operation.endpoint}"' in page
    assert 'id="schema-Event"' in page
    assert "<script" not in page.split("</main>")[0].split("<main")[1]
    assert "Authorization: Bearer" in page
