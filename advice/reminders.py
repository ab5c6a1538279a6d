"""What beat does for the advice desk: remind the assigned adviser (or the sparring
partner) once before a question goes late, and send each adviser a morning overview.

Exactly once, also when a task is retried or two schedulers run: the reminder first
claims the question with a conditional UPDATE of `reminder_sent_at` (only one
transaction can change it from NULL), and its email carries the idempotency key
`advice-reminder:<question>:<person>`, which the outbox refuses twice. The overview's key
is `advice-overview:<adviser>:<local date>`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import or_, select, update
from sqlalchemy.orm import selectinload

from advice import clock
from advice.models import AdviceQuestion
from advice.notices import absolute, question_path, tell
from advice.queries import queue_order
from auth.models import User
from core.db import utcnow
from core.extensions import db
from core.i18n import gettext as _
from core.mail import queue_email

DEFAULT_REMINDER_HOURS = 24
DEFAULT_OVERVIEW_HOUR = 8


def send_due_reminders(now: datetime | None = None, hours: int | None = None) -> int:
    """Remind whoever holds a question whose first answer is due within `hours`
    (ADVICE_REMINDER_HOURS, default 24). Returns how many reminders were queued."""
    now = now or utcnow()
    if hours is None:
        hours = int(current_app.config.get("ADVICE_REMINDER_HOURS", DEFAULT_REMINDER_HOURS))
    candidates = db.session.scalars(
        select(AdviceQuestion)
        .where(
            AdviceQuestion.status != "closed",
            AdviceQuestion.first_answered_at.is_(None),
            AdviceQuestion.reminder_sent_at.is_(None),
            or_(AdviceQuestion.adviser_id.is_not(None), AdviceQuestion.partner_id.is_not(None)),
            AdviceQuestion.due_at > now,
            AdviceQuestion.due_at <= now + timedelta(hours=hours),
        )
        .options(selectinload(AdviceQuestion.adviser), selectinload(AdviceQuestion.partner))
    ).all()
    sent = 0
    for question in candidates:
        claimed = db.session.execute(
            update(AdviceQuestion)
            .where(AdviceQuestion.id == question.id, AdviceQuestion.reminder_sent_at.is_(None))
            .values(reminder_sent_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if not claimed:
            continue
        db.session.expire(question, ["reminder_sent_at"])
        person = question.adviser or question.partner
        if tell(
            person,
            lambda subject=question.subject: _(
                "Herinnering: adviesvraag „%(subject)s” moet snel een antwoord hebben",
                subject=subject,
            ),
            question_path(question.id),
            idempotency_key=f"advice-reminder:{question.id}:{person.id}",
        ):
            sent += 1
    db.session.flush()
    return sent


def _overview_recipients() -> list[User]:
    return list(
        db.session.scalars(
            select(User).where(User.role == "adviser", User.status == "active").order_by(User.id)
        )
    )


def send_morning_overviews(now: datetime | None = None, hour: int | None = None) -> int:
    """On working days at `hour` (ADVICE_OVERVIEW_HOUR, default 8) in each adviser's own
    zone: the open questions that are theirs or nobody's, what is late and what is due
    today. Run hourly; an adviser with nothing open gets no email."""
    now = now or utcnow()
    if hour is None:
        hour = int(current_app.config.get("ADVICE_OVERVIEW_HOUR", DEFAULT_OVERVIEW_HOUR))
    advisers = [
        adviser
        for adviser in _overview_recipients()
        if adviser.email
        and now.astimezone(ZoneInfo(adviser.timezone or "Europe/Amsterdam")).hour == hour
        and clock.is_working_day(now.astimezone(clock.ZONE).date())
    ]
    if not advisers:
        return 0
    open_questions = list(
        db.session.scalars(
            select(AdviceQuestion)
            .where(AdviceQuestion.status != "closed", AdviceQuestion.erased_at.is_(None))
            .order_by(*queue_order())
        )
    )
    sent = 0
    for adviser in advisers:
        mine = [q for q in open_questions if q.adviser_id in (None, adviser.id)]
        if not mine:
            continue
        zone = ZoneInfo(adviser.timezone or "Europe/Amsterdam")
        local_date = now.astimezone(zone).date()
        end_of_day = datetime.combine(local_date + timedelta(days=1), datetime.min.time(), zone)
        items = [
            {
                "subject": q.subject,
                "urgency": q.urgency,
                "url": absolute(question_path(q.id)),
                "is_late": q.is_late(now),
                "is_due_today": q.is_waiting_for_first_answer and q.due_at < end_of_day,
                "is_mine": q.adviser_id == adviser.id,
            }
            for q in mine
        ]
        with force_locale(adviser.language or "nl"):
            subject = _("Adviesvragen voor vandaag: %(count)d open", count=len(items))
        if queue_email(
            adviser.email,
            "advice/overview",
            subject=subject,
            context={
                "user": adviser,
                "items": items,
                "late": sum(1 for i in items if i["is_late"]),
                "due_today": sum(1 for i in items if i["is_due_today"] and not i["is_late"]),
                "queue_url": absolute("/advies/queue"),
            },
            locale=adviser.language or "nl",
            kind="advice",
            idempotency_key=f"advice-overview:{adviser.id}:{local_date.isoformat()}",
        ):
            sent += 1
    return sent
