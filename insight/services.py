"""Operations of the insight feature: signals and the quarterly email subscription.
Typed functions on plain values; they flush, never commit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select

from core.db import upsert_insert, utcnow
from core.extensions import db
from core.privacy.guard import ScanResult, scan_text
from insight.models import NOTE_MAX, QuarterlySubscription, Signal


class SignalError(Exception):
    """The signal cannot be saved as given."""


class SignalPrivacyError(SignalError):
    """The sentence contains personal data: blocked, or warned and not confirmed.
    Carries the scan (positions only, never the values)."""

    def __init__(self, scan: ScanResult) -> None:
        super().__init__("privacy guard")
        self.scan = scan

    @property
    def is_blocked(self) -> bool:
        return self.scan.is_blocked

    @property
    def labels(self) -> list[str]:
        findings = {f.kind: f for f in self.scan.findings}
        return [str(findings[kind].label) for kind in self.scan.kinds]


def mark_signal(
    thread, user, note: str, *, privacy_checked: bool = False, now: datetime | None = None
) -> Signal | None:
    """Mark `thread` as a signal from `user`'s region with one sentence of context.

    The privacy guard applies as to posts: a block cannot be saved, a warning only when
    the member confirmed the text is not traceable. Returns the new signal, or None when
    the member had already marked this thread (the unique constraint decides, so a
    double click or two tabs make one signal).
    """
    note = " ".join((note or "").split())
    if not note or len(note) > NOTE_MAX:
        raise SignalError("note length")
    if user.region_id is None:
        raise SignalError("no region")
    scan = scan_text(note)
    if scan.is_blocked or (scan.has_warnings and not privacy_checked):
        raise SignalPrivacyError(scan)
    insert = upsert_insert(db.session.get_bind().dialect.name)(Signal)
    signal_id = db.session.scalar(
        insert.values(
            thread_id=thread.id,
            user_id=user.id,
            region_id=user.region_id,
            note=note,
            created_at=now or utcnow(),
        )
        .on_conflict_do_nothing(index_elements=["thread_id", "user_id"])
        .returning(Signal.id)
    )
    return None if signal_id is None else db.session.get(Signal, signal_id)


def withdraw_signal(thread, user) -> bool:
    """Remove the member's own signal on `thread`; False when there was none."""
    result = db.session.execute(
        delete(Signal).where(Signal.thread_id == thread.id, Signal.user_id == user.id)
    )
    return bool(result.rowcount)


def is_subscribed(user) -> bool:
    return (
        db.session.scalar(
            select(QuarterlySubscription.id).where(QuarterlySubscription.user_id == user.id)
        )
        is not None
    )


def set_quarterly_subscription(user_id: int, subscribed: bool) -> None:
    """Opt in to (or out of) the quarterly summary email; idempotent."""
    if subscribed:
        insert = upsert_insert(db.session.get_bind().dialect.name)(QuarterlySubscription)
        db.session.execute(
            insert.values(user_id=user_id, created_at=utcnow()).on_conflict_do_nothing(
                index_elements=["user_id"]
            )
        )
    else:
        db.session.execute(
            delete(QuarterlySubscription).where(QuarterlySubscription.user_id == user_id)
        )
    db.session.flush()
