"""The posts of the thread page as HTML fragments, each rendered once and then served from
a per-process cache.

A fragment's key is a `PostView`: everything its HTML is made of — the body, the counts,
the author's name and sector, the moderation state, what the viewer may do with the post —
plus the language and time zone. An edited, hidden, deleted or reacted-to post therefore
gets a new key and its old text can never be served again; nothing has to be invalidated,
and a view that differs in any permission renders its own fragment. Members in the same
situation (most readers of a post) share one fragment. The CSRF token is not in a fragment:
a per-process placeholder is, replaced in the finished page by the viewer's own token.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from flask import current_app, render_template
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from core.fragments import FragmentCache
from core.i18n import current_language, current_zone_name
from forum import policies

CSRF_PLACEHOLDER = f"csrf-placeholder-{secrets.token_hex(16)}"


@dataclass(frozen=True, slots=True)
class PostView:
    """One post as one viewer sees it: plain values only, hashable."""

    id: int
    thread_id: int
    kind: str  # "opening", "reply" or "accepted" (the answer shown apart at the top)
    author_id: int | None
    author_name: str | None  # None: a former member
    sector_label: str | None
    created_at: datetime
    edited_at: datetime | None
    state: (
        str  # "shown", "hidden" (the text withheld), "hidden-shown" (author, moderators), "deleted"
    )
    hidden_reason: str | None
    body_html: str
    is_own: bool
    is_answer: bool
    in_reply_to: str | None
    useful_count: int
    thanks_count: int
    mine_useful: bool
    mine_thanks: bool
    can_react: bool
    can_reply: bool
    can_edit: bool
    can_view_history: bool
    can_accept: bool
    can_delete: bool
    can_report: bool
    can_moderate: bool


def fragment_cache(app=None) -> FragmentCache:
    app = app or current_app
    return app.extensions.setdefault("forum_fragments", FragmentCache())


def _macros():
    """The macros of forum/_post.html, made once per app with the placeholder in scope."""
    found = current_app.extensions.get("forum_post_macros")
    if found is None:
        template = current_app.jinja_env.get_template("forum/_post.html")
        found = template.make_module({"csrf_placeholder": CSRF_PLACEHOLDER})
        current_app.extensions["forum_post_macros"] = found
    return found


class PostRenderer:
    """Builds the `PostView` of each post for one viewer on one page and returns its
    fragment. Thread-wide decisions are taken once, per-post ones through the policies."""

    def __init__(self, user, thread, membership, view, *, may_moderate: bool, can_reply: bool):
        self.user = user
        self.thread = thread
        self.membership = membership
        self.mine = view.my_reactions if view else set()
        self.may_moderate = may_moderate
        self.can_reply = can_reply
        self.can_view_history = policies.can_view_history(user, thread, membership)
        endpoints = current_app.view_functions
        self.reports = "moderation.report_post" in endpoints
        self.moderates = may_moderate and "moderation.moderate_post" in endpoints
        self.context = (current_language(), current_zone_name())
        self.cache = fragment_cache()
        self.macros = _macros()

    def __call__(self, post, kind: str = "reply", in_reply_to: str | None = None) -> Markup:
        post_view = self.view_of(post, kind, in_reply_to)
        return self.cache.get((post_view, self.context), lambda: self.macros.article(post_view))

    def view_of(self, post, kind: str, in_reply_to: str | None) -> PostView:
        user, thread, membership = self.user, self.thread, self.membership
        author = post.author
        is_own = post.author_id is not None and post.author_id == user.id
        if post.deleted_at:
            state = "deleted"
        elif post.hidden_at:
            state = "hidden-shown" if is_own or self.may_moderate else "hidden"
        else:
            state = "shown"
        gone = author is None or author.is_deleted
        sector = None if gone or author.sector is None else author.sector.label
        return PostView(
            id=post.id,
            thread_id=thread.id,
            kind=kind,
            author_id=None if gone else author.id,
            author_name=None if gone else author.public_name,
            sector_label=sector,
            created_at=post.created_at,
            edited_at=post.edited_at,
            state=state,
            hidden_reason=post.hidden_reason if state == "hidden-shown" else None,
            body_html=post.body_html if state in ("shown", "hidden-shown") else "",
            is_own=is_own,
            is_answer=thread.accepted_post_id == post.id,
            in_reply_to=in_reply_to,
            useful_count=post.useful_count,
            thanks_count=post.thanks_count,
            mine_useful=(post.id, "useful") in self.mine,
            mine_thanks=(post.id, "thanks") in self.mine,
            can_react=policies.can_react(user, post, thread, membership),
            can_reply=self.can_reply and not post.hidden_at,
            can_edit=policies.can_edit_post(user, post, thread, membership),
            can_view_history=self.can_view_history and post.edited_at is not None,
            can_accept=policies.can_accept_answer(user, post, thread, membership),
            can_delete=policies.can_delete_post(user, post, thread, membership),
            can_report=self.reports and not post.hidden_at and not is_own,
            can_moderate=self.moderates,
        )


def render_page(template: str, **context) -> str:
    """Render a page that shows post fragments, then put the viewer's CSRF token where
    the fragments hold the placeholder."""
    html = render_template(template, csrf_placeholder=CSRF_PLACEHOLDER, **context)
    return html.replace(CSRF_PLACEHOLDER, generate_csrf())
