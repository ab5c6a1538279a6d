"""The quarterly summary email for policy officers (opt-in).

A daily beat task calls `send_quarterly_summaries`; each subscriber gets the summary of
the last complete quarter once: the outbox row's idempotency key is
`insight:<user>:<quarter>`, so a second run (or a second beat) queues nothing. Bulk mail:
RFC 8058 one-click unsubscribe with a signed token that needs no login.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import force_locale
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from auth.models import User
from core.extensions import db
from core.i18n import lazy_gettext as _l
from core.mail import queue_emails, render_email
from core.urls import external_url
from insight.models import QuarterlySubscription
from insight.periods import Period, last_complete_quarter
from insight.policies import can_subscribe_quarterly
from insight.queries import national_rows, region_figures

SALT = "insight-unsubscribe"
NATIONAL_REGION_KEYS = {"landelijk"}


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def make_unsubscribe_token(user_id: int) -> str:
    return _serializer().dumps(["insight-quarterly", user_id])


def read_unsubscribe_token(token: str) -> int | None:
    """The user id in a valid token, or None."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, list) or len(data) != 2 or data[0] != "insight-quarterly":
        return None
    return data[1] if isinstance(data[1], int) else None


def idempotency_key(user_id: int, quarter: str) -> str:
    return f"insight:{user_id}:{quarter}"


@dataclass(frozen=True)
class Summary:
    period: Period
    figures: object | None  # RegionFigures for a region, None for the national view
    national: list | None


def _summary(user: User, period: Period, cache: dict) -> Summary:
    """The figures for the user's region (national for Landelijk or no region), computed
    once per region and language in a run: labels are in the reader's language."""
    region, language = user.region, user.language or "nl"
    if region is None or region.key in NATIONAL_REGION_KEYS:
        if (language, None) not in cache:
            cache[(language, None)] = national_rows(period)
        return Summary(period, None, cache[(language, None)])
    if (language, region.id) not in cache:
        cache[(language, region.id)] = region_figures(region, period)
    return Summary(period, cache[(language, region.id)], None)


def send_quarterly_summaries(now: datetime) -> int:
    """Queue the last complete quarter's summary for every subscribed policy officer who
    has not had it yet. Flushes only; returns the number of emails queued."""
    period = last_complete_quarter(now)
    users = db_subscribers()
    messages, cache = [], {}
    for user in users:
        if not can_subscribe_quarterly(user) or not user.email:
            continue
        language = user.language or "nl"
        with force_locale(language):
            summary = _summary(user, period, cache)
            region_label = summary.figures.region.label if summary.figures else None
        subject = (
            _l(
                "Kwartaaloverzicht %(quarter)s: %(region)s",
                quarter=period.label,
                region=region_label,
            )
            if region_label
            else _l("Kwartaaloverzicht %(quarter)s: alle regio's", quarter=period.label)
        )
        slug = summary.figures.region.key if summary.figures else None
        page_url = (
            external_url("insight.region", slug=slug, periode=period.key)
            if slug
            else external_url("insight.overview", periode=period.key)
        )
        messages.append(
            render_email(
                user.email,
                "insight/quarterly",
                subject=subject,
                context={"user": user, "summary": summary, "page_url": page_url},
                locale=language,
                kind="insight",
                idempotency_key=idempotency_key(user.id, period.key),
                unsubscribe_url=external_url(
                    "insight.unsubscribe", token=make_unsubscribe_token(user.id)
                ),
            )
        )
    return len(queue_emails(messages))


def db_subscribers() -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(QuarterlySubscription, QuarterlySubscription.user_id == User.id)
            .order_by(User.id)
        )
    )
