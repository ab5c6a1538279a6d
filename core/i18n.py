"""Language and time: Dutch first, English available, Europe/Amsterdam by default."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import support
from flask import current_app, g, has_app_context, has_request_context, request, session
from flask_babel import (
    format_date,
    format_datetime,
    format_time,
    get_locale,
    get_timezone,
    get_translations,
)
from flask_babel.speaklater import LazyString
from flask_login import current_user
from wtforms.i18n import messages_path

DEFAULT_TIMEZONE = "Europe/Amsterdam"


def select_locale() -> str:
    """The member's choice, then the visitor's choice, then Accept-Language, then nl."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    user_language = getattr(current_user, "language", None)
    if user_language in languages:
        return user_language
    chosen = session.get("language")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or "nl"


def select_timezone() -> str:
    tz = getattr(current_user, "timezone", None) if has_request_context() else None
    return tz or DEFAULT_TIMEZONE


_NO_TRANSLATIONS = support.NullTranslations()


def _language_state() -> tuple[str, str, support.NullTranslations]:
    """(language, time zone, catalogue) of the current context. Flask-Babel works each out
    again, through several context look-ups, for every string; here they are kept on its
    own per-context namespace beside the locale they belong to, so `force_locale` (which
    swaps that locale for a while) and `refresh` are still obeyed."""
    if not has_app_context():
        return "nl", DEFAULT_TIMEZONE, _NO_TRANSLATIONS
    ctx = g.get("_flask_babel")
    if ctx is not None:
        kept = getattr(ctx, "jep_language_state", None)
        locale = getattr(ctx, "babel_locale", None)
        if (
            kept is not None
            and locale is not None
            and kept[0] is locale
            and kept[1] is getattr(ctx, "babel_tzinfo", None)
        ):
            return kept[2]
    locale, zone = get_locale(), get_timezone()
    state = (str(locale or "nl"), str(zone or DEFAULT_TIMEZONE), get_translations())
    g._flask_babel.jep_language_state = (locale, zone, state)
    return state


def gettext(string: str, **variables) -> str:
    """Flask-Babel's `gettext`, with the catalogue looked up once per request."""
    translated = _language_state()[2].ugettext(string)
    return translated % variables if variables else translated


def ngettext(singular: str, plural: str, num: int, **variables) -> str:
    variables.setdefault("num", num)
    return _language_state()[2].ungettext(singular, plural, num) % variables


def lazy_gettext(string: str, **variables) -> LazyString:
    return LazyString(gettext, string, **variables)


def lazy_ngettext(singular: str, plural: str, num: int, **variables) -> LazyString:
    return LazyString(ngettext, singular, plural, num, **variables)


def current_language() -> str:
    return _language_state()[0]


def current_zone_name() -> str:
    return _language_state()[1]


def zone_for(name: str | None) -> ZoneInfo:
    """The named zone; the default one when the name is empty or unknown."""
    try:
        return ZoneInfo(name or DEFAULT_TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIMEZONE)


def local_zone() -> ZoneInfo:
    return zone_for(current_zone_name())


def format_when(value: datetime | None, style: str = "full") -> str:
    """'woensdag 5 oktober 2026, 09:30' in the viewer's zone and language."""
    if value is None:
        return ""
    language, zone, _translations = _language_state()
    return _format_when(value, style, language, zone)


@lru_cache(maxsize=4096)
def _format_when(value: datetime, style: str, _locale: str, _zone: str) -> str:
    # Babel's formatting is slow and a page shows the same moments again and again; the
    # language and zone (which Flask-Babel reads from the request) are part of the key.
    if style == "short":
        return format_datetime(value, "d MMM yyyy, HH:mm")
    if style == "date":
        return format_date(value, "EEEE d MMMM yyyy")
    return format_datetime(value, "EEEE d MMMM yyyy, HH:mm")


def format_span(start: datetime, end: datetime | None) -> str:
    """'woensdag 5 oktober 2026, 09:30–11:30', or both full dates when days differ."""
    if end is None:
        return format_when(start)
    zone = local_zone()
    if start.astimezone(zone).date() == end.astimezone(zone).date():
        return f"{format_when(start)}–{format_time(end, 'HH:mm')}"
    return f"{format_when(start)} – {format_when(end)}"


def format_day(value: date | None) -> str:
    """'31 december 2026': a calendar date as chosen, never shifted through a time zone."""
    if value is None:
        return ""
    return format_date(value, "d MMMM yyyy")


def format_iso_day(value: str | None) -> str:
    """'31 december 2026' from '2026-12-31' (how dates are kept in JSON details)."""
    if not value:
        return ""
    return format_day(date.fromisoformat(value))


def end_of_day_utc(day: date, zone: str | None) -> datetime:
    """The instant `day` ends in `zone` (the start of the next day there), in UTC."""
    local = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone_for(zone))
    return local.astimezone(UTC)


@lru_cache(maxsize=8)
def _wtforms_catalogue(locale: str):
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class _WTFormsTranslations:
    """WTForms' own messages ("Not a valid choice") in the request's language, from a
    catalogue read once per process; Flask-WTF would read the file for every request."""

    def ugettext(self, string: str) -> str:
        return _wtforms_catalogue(current_language()).ugettext(string)

    def ungettext(self, singular: str, plural: str, n: int) -> str:
        return _wtforms_catalogue(current_language()).ungettext(singular, plural, n)


WTFORMS_TRANSLATIONS = _WTFormsTranslations()


def _share_wtforms_translations() -> None:
    request.wtforms_translations = WTFORMS_TRANSLATIONS


def init_app(app) -> None:
    """After Flask-Babel's own init_app, whose Jinja callables these replace."""
    app.before_request(_share_wtforms_translations)
    app.jinja_env.install_gettext_callables(
        gettext=lambda string: _language_state()[2].ugettext(string),
        ngettext=lambda singular, plural, n: _language_state()[2].ungettext(singular, plural, n),
        newstyle=True,
    )
    app.jinja_env.filters["when"] = format_when
    app.jinja_env.filters["span"] = format_span
    app.jinja_env.filters["day"] = format_day
    app.jinja_env.filters["iso_day"] = format_iso_day
    app.jinja_env.globals["current_language"] = current_language
