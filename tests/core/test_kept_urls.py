"""Templates build each URL once per process (core.templating.kept_url_for), and the URL
is still exactly what Flask's url_for builds."""

from __future__ import annotations

from flask import render_template_string, url_for

from core.templating import kept_url_for


def test_a_kept_url_is_the_url_flask_builds(sqlite_app):
    with sqlite_app.test_request_context("/"):
        first = kept_url_for("knowledge.list_items", page=2, kind="interventie")
        assert first == url_for("knowledge.list_items", page=2, kind="interventie")
        assert kept_url_for("knowledge.list_items", page=2, kind="interventie") is first
        # Same values in another order: another query string, another key.
        assert kept_url_for("knowledge.list_items", kind="interventie", page=2) == url_for(
            "knowledge.list_items", kind="interventie", page=2
        )
        # True and 1 are equal keys in a dict, not equal URLs.
        assert kept_url_for("knowledge.list_items", page=True) == url_for(
            "knowledge.list_items", page=True
        )
        assert kept_url_for("knowledge.list_items", page=1).endswith("page=1")


def test_the_script_root_is_part_of_the_key(sqlite_app):
    with sqlite_app.test_request_context("/"):
        plain = kept_url_for("groups.list_groups")
    with sqlite_app.test_request_context("/", base_url="http://localhost/jep"):
        mounted = kept_url_for("groups.list_groups")
    assert mounted == "/jep" + plain


def test_unhashable_values_and_external_urls_are_built_as_before(sqlite_app):
    with sqlite_app.test_request_context("/"):
        assert kept_url_for("knowledge.list_items", theme=["a", "b"]) == url_for(
            "knowledge.list_items", theme=["a", "b"]
        )
        assert kept_url_for("groups.list_groups", _external=True).startswith("http://")
    kept = sqlite_app.extensions["kept_urls"]
    assert all("_external" not in str(key) for key in kept)


def test_templates_use_it(sqlite_app):
    with sqlite_app.test_request_context("/"):
        html = render_template_string("{{ url_for('groups.list_groups') }}")
        assert html == url_for("groups.list_groups")
    assert any(key[1] == "groups.list_groups" for key in sqlite_app.extensions["kept_urls"])
