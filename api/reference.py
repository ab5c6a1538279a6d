"""The OpenAPI document as a page: operations per tag and the schemas, as plain data
for `templates/api/reference.html` (no client-side renderer: the CSP allows none)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from core.text import render_markdown

METHOD_ORDER = {"get": 0, "post": 1}


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    required: bool
    description: str


@dataclass(frozen=True)
class OperationView:
    id: str
    method: str
    path: str
    summary: str
    description: Markup
    scope: str
    needs_token: bool
    parameters: list[Field]
    responses: list[tuple[str, str, str]]  # (status, description, schema)


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def type_of(schema: dict[str, Any]) -> str:
    """A short human reading of a JSON schema: 'string (date-time) | null', 'array of Post'."""
    if "$ref" in schema:
        return _ref_name(schema["$ref"])
    if "anyOf" in schema:
        return " | ".join(type_of(part) for part in schema["anyOf"])
    types = schema.get("type", "object")
    types = types if isinstance(types, list) else [types]
    shown = []
    for kind in types:
        if kind == "array":
            shown.append("array of " + type_of(schema.get("items", {})))
        elif kind == "string" and schema.get("format"):
            shown.append(f"string ({schema['format']})")
        else:
            shown.append(kind)
    text = " | ".join(shown)
    if "enum" in schema:
        text += ": " + ", ".join(str(value) for value in schema["enum"])
    return text


def _fields(schema: dict[str, Any]) -> list[Field]:
    required = set(schema.get("required", ()))
    return [
        Field(name, type_of(prop), name in required, prop.get("description", ""))
        for name, prop in schema.get("properties", {}).items()
    ]


def _response_schema(response: dict[str, Any]) -> str:
    schema = response.get("content", {}).get("application/json", {}).get("schema")
    return type_of(schema) if schema else ""


def operations_by_tag(spec: dict[str, Any]) -> dict[str, list[OperationView]]:
    result: dict[str, list[OperationView]] = {}
    for path, methods in spec["paths"].items():
        for method, op in sorted(methods.items(), key=lambda m: METHOD_ORDER.get(m[0], 9)):
            security = op.get("security", [])
            scopes = [scope for item in security for scope in item.get("token", [])]
            parameters = [
                Field(
                    f"{p['name']} ({p['in']})",
                    type_of(p.get("schema", {})),
                    bool(p.get("required")),
                    p.get("description", ""),
                )
                for p in op.get("parameters", [])
            ]
            responses = [
                (status, response.get("description", ""), _response_schema(response))
                for status, response in op["responses"].items()
            ]
            view = OperationView(
                id=op["operationId"], method=method.upper(), path=path, summary=op["summary"],
                description=render_markdown(op.get("description", "")),
                scope=scopes[0] if scopes else "", needs_token={} not in security,
                parameters=parameters, responses=responses,
            )  # fmt: skip
            result.setdefault(op["tags"][0], []).append(view)
    return result


def schemas(spec: dict[str, Any]) -> list[tuple[str, list[Field]]]:
    return [
        (name, _fields(schema)) for name, schema in sorted(spec["components"]["schemas"].items())
    ]


def page_context(spec: dict[str, Any]) -> dict[str, Any]:
    return {
        "info": spec["info"],
        "server": spec["servers"][0]["url"],
        "tags": operations_by_tag(spec),
        "schemas": schemas(spec),
    }
