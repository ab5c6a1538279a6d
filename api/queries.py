"""Read-side selects for the API: tokens, and the viewer's memberships in bulk."""

from __future__ import annotations

from sqlalchemy import select

from api.models import ApiToken
from core.extensions import db
from groups.models import Membership


def tokens_of(user_id: int) -> list[ApiToken]:
    """A member's tokens, live and revoked, newest first."""
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user_id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def token_of(user_id: int, token_id: int) -> ApiToken | None:
    return db.session.scalar(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user_id)
    )


def memberships_in(user, group_ids) -> dict[int, Membership]:
    """The viewer's Membership per group id, in one query (for policies on a list)."""
    ids = list(set(group_ids))
    if not ids or not getattr(user, "is_authenticated", False):
        return {}
    rows = db.session.scalars(
        select(Membership).where(Membership.user_id == user.id, Membership.group_id.in_(ids))
    )
    return {row.group_id: row for row in rows}
