"""AVG (GDPR) rights: export everything the platform holds about a member, delete an account.

The export is built generically: every table with a column that references `users.id`
contributes the rows that point at the member, so a feature added later is included
without changes here. Secrets (password hash, 2FA secret, recovery-code hashes, the
personal calendar token) are never exported.

Deleting an account erases the personal fields of the user row and keeps the row itself,
so posts stay readable under "Oud-lid" and foreign keys stay valid.
"""

from __future__ import annotations

import base64
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, delete, select

from auth.models import FORMER_MEMBER_NAME, RecoveryCode, User, new_calendar_token
from core import signals
from core.audit import record_audit
from core.db import utcnow
from core.extensions import db
from core.mail import forget_recipient

#: Columns never exported: secrets, not data about the member.
SECRET_COLUMNS = {
    ("users", "password_hash"),
    ("users", "totp_secret"),
    ("users", "calendar_token"),
    ("recovery_codes", "code_hash"),
}
#: References to users that say who handled something *for someone else*; those rows are
#: about other people and stay out of this member's export.
NOT_ABOUT_THE_MEMBER = {
    ("memberships", "decided_by_id"),
    ("event_registrations", "decided_by_id"),
    ("reports", "handled_by_id"),
    ("audit_events", "actor_id"),
    ("post_revisions", "editor_id"),
    ("notifications", "actor_id"),
    ("appeals", "decided_by_id"),
    ("appeals", "handled_by_id"),
}
#: Rows that only describe the member's own use of the platform; removed on deletion.
PERSONAL_TABLES = (
    "recovery_codes",
    "memberships",
    "thread_reads",
    "thread_watches",
    "notifications",
    "notification_preferences",
    "notification_group_mutes",
    "digest_runs",
)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return value


def _row_dict(table: Table, row) -> dict[str, Any]:
    return {
        column.name: _plain(row._mapping[column])
        for column in table.columns
        if (table.name, column.name) not in SECRET_COLUMNS
    }


def _user_reference_columns(table: Table) -> list:
    return [
        column
        for column in table.columns
        if any(fk.column.table.name == "users" for fk in column.foreign_keys)
        and (table.name, column.name) not in NOT_ABOUT_THE_MEMBER
    ]


def export_member_data(user: User) -> dict[str, Any]:
    """Everything about `user` as JSON-ready data: the profile, posts with their earlier
    versions, and the rows of every table that refers to the member (reactions,
    registrations, memberships, notifications and preferences, reports they made, audit
    entries about them …). One query per table."""
    users = User.__table__
    profile = _row_dict(users, db.session.execute(select(users).where(users.c.id == user.id)).one())
    profile["sector"] = user.sector.label if user.sector else None
    profile["function"] = user.function.label if user.function else None
    profile["region"] = user.region.label if user.region else None

    data: dict[str, Any] = {
        "exported_at": utcnow().isoformat(),
        "format": "platform-jep-export/1",
        "profile": profile,
    }
    for table in db.metadata.sorted_tables:
        if table.name == "users":
            continue
        columns = _user_reference_columns(table)
        if not columns:
            continue
        condition = columns[0] == user.id
        for column in columns[1:]:
            condition = condition | (column == user.id)
        rows = db.session.execute(select(table).where(condition).order_by(*table.primary_key))
        data[table.name] = [_row_dict(table, row) for row in rows]

    _nest_revisions(data, user)
    return data


def _nest_revisions(data: dict[str, Any], user: User) -> None:
    """Every earlier version of the member's own posts, whoever made the edit."""
    if "posts" not in data or "post_revisions" not in db.metadata.tables:
        return
    revisions = db.metadata.tables["post_revisions"]
    posts = db.metadata.tables["posts"]
    mine = select(posts.c.id).where(posts.c.author_id == user.id)
    by_post: dict[int, list] = {}
    rows = db.session.execute(
        select(revisions).where(revisions.c.post_id.in_(mine)).order_by(revisions.c.id)
    )
    for row in rows:
        item = _row_dict(revisions, row)
        by_post.setdefault(item["post_id"], []).append(item)
    for post in data["posts"]:
        post["revisions"] = by_post.get(post["id"], [])


# --- deletion -----------------------------------------------------------------------


def delete_account(user: User) -> None:
    """Erase the member's personal data; keep their posts under "Oud-lid".

    Emails to their address are erased from the outbox (and not sent). Kept: the row id (posts, reactions and reports refer to it), created_at, and
    non-identifying settings reset to their defaults. Erased: email (so the address may
    register again), name, organisation, bio, sector, function and region (together with
    a small region they could identify someone), password, 2FA, recovery codes,
    suspension notes and every timestamp of personal activity.
    """
    # Groups and events withdraw the member while their data still exists.
    withdrawn: dict[str, int] = {}
    for _receiver, counts in signals.account_deleting.send(user=user):
        withdrawn.update(counts or {})
    if user.email:
        forget_recipient(user.email)  # queued and sent emails keep no trace of them
    for name in PERSONAL_TABLES:
        table = db.metadata.tables.get(name)
        if table is not None and "user_id" in table.c:
            db.session.execute(delete(table).where(table.c.user_id == user.id))
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.expire(user, ["recovery_codes"])

    user.email = None
    user.display_name = FORMER_MEMBER_NAME
    user.organisation = ""
    user.bio = ""
    user.sector_id = user.function_id = user.region_id = None
    user.password_hash = None
    user.totp_secret = None
    user.totp_enabled_at = None
    user.suspended_reason = None
    user.suspended_until = None
    user.suspended_through = None
    user.email_confirmed_at = user.approved_at = user.terms_accepted_at = None
    user.last_login_at = user.last_post_at = None
    user.digest_opt_in = False
    user.show_organisation = True
    user.show_region = True
    user.language = "nl"
    user.timezone = "Europe/Amsterdam"
    user.role = "member"
    user.calendar_token = new_calendar_token()  # The old feed URL stops working.
    user.status = "deleted"
    user.deleted_at = utcnow()
    user.end_all_sessions()
    record_audit(
        user,
        "account.delete",
        "user",
        user.id,
        subject_user=user,
        details=withdrawn,
    )
    db.session.flush()
    db.session.expire(user, ["sector", "function", "region"])
    signals.member_changed.send(user=user, action="delete", actor=user)
