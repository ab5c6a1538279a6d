"""core.i18n keeps the language, zone and catalogue once per request and locale: every
string still follows the request's language, `force_locale` and `refresh`."""

from __future__ import annotations

from flask import render_template_string
from flask_babel import force_locale, refresh

from core.i18n import (
    current_language,
    current_zone_name,
    gettext,
    lazy_gettext,
    ngettext,
)


def test_strings_follow_the_request_language(sqlite_app):
    with sqlite_app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert current_language() == "en"
        assert gettext("Groepen") == "Groups"
        assert str(lazy_gettext("Groepen")) == "Groups"
        assert render_template_string("{{ _('Groepen') }}") == "Groups"


def test_dutch_by_default(sqlite_app):
    # (A test's app context spans the test, and Flask-Babel keeps the language on it:
    # one request per test.)
    with sqlite_app.test_request_context("/"):
        assert current_language() == "nl"
        assert gettext("Groepen") == "Groepen"
        assert current_zone_name() == "Europe/Amsterdam"


def test_force_locale_switches_and_switches_back(sqlite_app):
    with sqlite_app.test_request_context("/"):
        assert gettext("Groepen") == "Groepen"
        with force_locale("en"):
            assert current_language() == "en"
            assert gettext("Groepen") == "Groups"
            assert render_template_string("{{ _('Groepen') }}") == "Groups"
        assert current_language() == "nl"
        assert gettext("Groepen") == "Groepen"
        assert render_template_string("{{ _('Groepen') }}") == "Groepen"


def test_refresh_reads_the_choice_again(sqlite_app):
    with sqlite_app.test_request_context("/") as ctx:
        assert gettext("Groepen") == "Groepen"
        ctx.session["language"] = "en"
        refresh()
        assert gettext("Groepen") == "Groups"


def test_plurals_and_variables(sqlite_app):
    with sqlite_app.test_request_context("/"):
        assert (
            ngettext("%(num)d nieuwe reactie", "%(num)d nieuwe reacties", 1) == "1 nieuwe reactie"
        )
        assert ngettext("%(num)d nieuwe reactie", "%(num)d nieuwe reacties", 3) == (
            "3 nieuwe reacties"
        )
        with force_locale("en"):
            assert "replies" in ngettext("%(num)d nieuwe reactie", "%(num)d nieuwe reacties", 3)


def test_outside_a_request_the_msgid_is_returned():
    assert gettext("Groepen") == "Groepen"
    assert current_language() == "nl"
