"""@mentions: `@[Fatima El Amrani]` or `@Fatima_El_Amrani` names a member.

A display name is not unique and contains spaces, so a mention is the exact display name
in brackets, or the name with underscores for spaces. It resolves only to one active
member who may read the group; ambiguous or unknown names stay plain text. Resolved
mentions become Markdown links to the member page *before* rendering, so the stored HTML
carries the link and goes through the same sanitiser as everything else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import has_request_context, url_for
from sqlalchemy import func, select

from core.extensions import db

_BRACKETED = r"@\[(?P<bracketed>[^\]\n]{2,120})\]"
_UNDERSCORED = r"(?<![\w@/])@(?P<underscored>[^\W_][\w\-']*(?:_[\w\-']+)+)"
MENTION = re.compile(rf"{_BRACKETED}|{_UNDERSCORED}")
# Code is shown literally: never look for mentions inside it.
_CODE = re.compile(r"```.*?(?:```|\Z)|`[^`\n]*`", re.DOTALL)
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~])")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    name: str


def find_mentions(source: str) -> list[Mention]:
    """Mentions outside code, in order, with the display name they spell."""
    code_spans = [(m.start(), m.end()) for m in _CODE.finditer(source)]
    found = []
    for match in MENTION.finditer(source):
        if any(s <= match.start() < e for s, e in code_spans):
            continue
        raw = match.group("bracketed") or match.group("underscored").replace("_", " ")
        name = " ".join(raw.split())
        if name:
            found.append(Mention(match.start(), match.end(), name))
    return found


def resolve_mentions(source: str, group) -> dict[str, object]:
    """Map lower-cased display names to the one active member who may read `group`."""
    from auth.models import User
    from groups.models import Membership
    from groups.policies import can_read_group

    names = {m.name.lower() for m in find_mentions(source)}
    if not names:
        return {}
    users = list(
        db.session.scalars(
            select(User).where(User.status == "active", func.lower(User.display_name).in_(names))
        )
    )
    memberships = {
        m.user_id: m
        for m in db.session.scalars(
            select(Membership).where(
                Membership.group_id == group.id, Membership.user_id.in_([u.id for u in users])
            )
        )
    }
    by_name: dict[str, list] = {}
    for user in users:
        if can_read_group(user, group, memberships.get(user.id)):
            by_name.setdefault(user.display_name.lower(), []).append(user)
    # Two readers with the same name: linking either would be a guess.
    return {name: found[0] for name, found in by_name.items() if len(found) == 1}


def member_path(user_id: int) -> str:
    if has_request_context():
        return url_for("auth.member_page", user_id=user_id)
    from flask import current_app

    return current_app.url_map.bind("localhost").build("auth.member_page", {"user_id": user_id})


def link_mentions(source: str, group) -> tuple[str, list[int]]:
    """Markdown with resolved mentions turned into links, and the mentioned member ids."""
    mentions = find_mentions(source)
    if not mentions:
        return source, []
    members = resolve_mentions(source, group)
    parts: list[str] = []
    ids: list[int] = []
    position = 0
    for mention in mentions:
        user = members.get(mention.name.lower())
        if user is None:
            continue
        label = _MARKDOWN_SPECIAL.sub(r"\\\1", "@" + user.display_name)
        parts.append(source[position : mention.start])
        parts.append(f"[{label}]({member_path(user.id)})")
        position = mention.end
        if user.id not in ids:
            ids.append(user.id)
    parts.append(source[position:])
    return "".join(parts), ids
