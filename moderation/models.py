"""Moderation records: reports and their review."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from auth.models import User
from core.audit import AuditEvent
from core.db import utcnow
from core.extensions import db
from core.i18n import lazy_gettext as _l
from forum.models import Post

REPORT_REASONS = (
    "terroristische_inhoud",
    "haatzaaien",
    "persoonsgegevens_jongere",
    "acuut_gevaar",
    "ongepast_gedrag",
    "overig",
)
REPORT_REASON_LABELS = {
    "terroristische_inhoud": _l("Terroristische inhoud"),
    "haatzaaien": _l("Haatzaaien of discriminatie"),
    "persoonsgegevens_jongere": _l("Persoonsgegevens van een jongere"),
    "acuut_gevaar": _l("Bedreiging of acuut gevaar"),
    "ongepast_gedrag": _l("Ongepast gedrag"),
    "overig": _l("Iets anders"),
}
REPORT_STATUSES = ("open", "resolved", "dismissed")
REPORT_STATUS_LABELS = {
    "open": _l("Open"),
    "resolved": _l("Afgehandeld"),
    "dismissed": _l("Afgewezen"),
}


class Report(db.Model):
    """A member's report about a post; handled in the moderation queue."""

    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    reporter_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    reason: Mapped[str] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="open")
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    handled_at: Mapped[datetime | None]
    resolution_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    post: Mapped[Post] = relationship()
    reporter: Mapped[User | None] = relationship(foreign_keys=[reporter_id])
    handled_by: Mapped[User | None] = relationship(foreign_keys=[handled_by_id])

    __table_args__ = (
        CheckConstraint("reason IN ('" + "', '".join(REPORT_REASONS) + "')", name="reason_known"),
        CheckConstraint("status IN ('open', 'resolved', 'dismissed')", name="status_known"),
        Index("ix_reports_status_created_at", "status", "created_at"),
    )

    @property
    def reason_label(self) -> str:
        return str(REPORT_REASON_LABELS.get(self.reason, self.reason))

    @property
    def status_label(self) -> str:
        return str(REPORT_STATUS_LABELS.get(self.status, self.status))

    @property
    def is_open(self) -> bool:
        return self.status == "open"


#: Decisions a member may contest (DSA art. 20): those that come with a statement of reasons.
APPEALABLE_ACTIONS = ("post.hide", "thread.hide", "member.suspend")
APPEAL_STATUSES = ("open", "upheld", "reversed")
APPEAL_STATUS_LABELS = {
    "open": _l("In behandeling"),
    "upheld": _l("Besluit blijft staan"),
    "reversed": _l("Besluit teruggedraaid"),
}


class Appeal(db.Model):
    """A member's appeal against a moderation decision (an audit entry about them).

    Decided by another moderator than the one who took the decision: the policy, the
    service and a check constraint each refuse the same moderator.
    """

    __tablename__ = "appeals"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(
        ForeignKey("audit_events.id", ondelete="CASCADE"), unique=True
    )
    appellant_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # Copied from the decision, so the database can hold the "another moderator" rule.
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    statement: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="open")
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    handled_at: Mapped[datetime | None]
    outcome_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    decision: Mapped[AuditEvent] = relationship()
    appellant: Mapped[User | None] = relationship(foreign_keys=[appellant_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    handled_by: Mapped[User | None] = relationship(foreign_keys=[handled_by_id])

    __table_args__ = (
        CheckConstraint("status IN ('open', 'upheld', 'reversed')", name="status_known"),
        CheckConstraint(
            "handled_by_id IS NULL OR decided_by_id IS NULL OR handled_by_id <> decided_by_id",
            name="another_moderator",
        ),
        Index("ix_appeals_status_created_at", "status", "created_at"),
    )

    @property
    def status_label(self) -> str:
        return str(APPEAL_STATUS_LABELS.get(self.status, self.status))

    @property
    def is_open(self) -> bool:
        return self.status == "open"
