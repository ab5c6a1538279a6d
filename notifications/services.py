"""Notifications: create in-app rows, queue immediate emails, react to feature signals.

Receivers run inside the sender's transaction (see core.signals), so the notification
rows and their outbox emails commit or roll back together with the post or event.
"""

from __future__ import annotations

import logging
from datetime import datetime

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import insert, select, update

from auth.models import User
from core.db import utcnow
from core.extensions import db
from core.i18n import gettext as _
from core.mail import queue_emails, render_email
from core.text import absolute_links_html, excerpt, html_to_email_text, html_to_text
from events.models import Registration
from groups.models import Group, Membership
from groups.policies import can_read_group
from notifications.models import GroupMute, Notification
from notifications.preferences import members_wanting_email
from notifications.unsubscribe import unsubscribe_url

log = logging.getLogger(__name__)

#: Notification kind -> the email stream a member can switch off for it.
EMAIL_STREAM = {
    "reply": "replies",
    "watch": "replies",
    "mention": "mentions",
    "answer": "answers",
    "event_change": "event_changes",
    "reminder": "reminders",
}


def absolute(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else current_app.config["BASE_URL"] + url


def thread_url(thread_id: int, post_id: int | None = None) -> str:
    """Path of a thread (the forum's public URL contract), optionally at one post."""
    return f"/threads/{thread_id}" + (f"#post-{post_id}" if post_id else "")


def notify(
    user: User,
    kind: str,
    title: str,
    url: str,
    actor: User | None = None,
    *,
    text: str = "",
    thread_id: int | None = None,
    post_id: int | None = None,
    event_id: int | None = None,
    email: bool = True,
    body_html: str = "",
) -> Notification:
    """Add an in-app notification for `user` and, when `email` and the member wants that
    stream (see EMAIL_STREAM), queue an immediate email with one-click unsubscribe.

    `title` and `text` (plain text) should already be in the member's language. `text`
    goes into the email; `body_html`, a post's stored (sanitised) HTML, is shown in full
    in the email instead: as HTML in the HTML part, as plain text in the text part, links
    absolute in both. Never pass the body of a post from a closed or secret group. Other features
    (moderation's statement of reasons, events) may call this directly. Flushes.
    """
    [note] = notify_many(
        [(user, kind, title)], url, actor, text=text, thread_id=thread_id, post_id=post_id,
        event_id=event_id, email=email, body_html=body_html,
    )  # fmt: skip
    return note


def notify_many(
    recipients: list[tuple[User, str, str]],
    url: str,
    actor: User | None = None,
    *,
    text: str = "",
    thread_id: int | None = None,
    post_id: int | None = None,
    event_id: int | None = None,
    email: bool = True,
    body_html: str = "",
) -> list[Notification]:
    """`notify` for many members about the same thing: `recipients` are (member, kind,
    title in the member's language), each member once. A fixed number of statements
    whatever their number (the notifications in one INSERT, the preferences in one
    query, the emails in one INSERT), and the post's text prepared for email once, not
    per member. Flushes."""
    rows = [
        {
            "user_id": user.id,
            "kind": kind,
            "actor_id": actor.id if actor is not None else None,
            "thread_id": thread_id,
            "post_id": post_id,
            "event_id": event_id,
            "title": title[:300],
            "text": text,
            "url": url[:500],
        }
        for user, kind, title in recipients
    ]
    if not rows:
        return []
    # One INSERT … RETURNING on every database (the ORM's unit of work writes row by
    # row on SQLite when it must keep the order); matched back by member.
    by_user = {
        note.user_id: note
        for note in db.session.scalars(insert(Notification).returning(Notification), rows)
    }
    if len(by_user) != len(rows):
        raise ValueError("notify_many takes each member once")
    notes = [by_user[user.id] for user, _kind, _title in recipients]
    if not email:
        return notes
    wanted = members_wanting_email(
        (user, EMAIL_STREAM[kind]) for user, kind, _title in recipients if kind in EMAIL_STREAM
    )
    if not wanted:
        return notes
    base_url = current_app.config["BASE_URL"]
    shared = {
        "text": text,
        "body_text": html_to_email_text(body_html, base_url) if body_html else "",
        "body_html": absolute_links_html(body_html, base_url) if body_html else "",
        "url": absolute(url),
        "actor_name": actor.public_name if actor is not None else None,
    }
    messages = []
    for note, (user, kind, title) in zip(notes, recipients, strict=True):
        stream = EMAIL_STREAM.get(kind)
        if (user.id, stream) not in wanted:
            continue
        messages.append(
            render_email(
                user.email,
                "notifications/notification",
                subject=title,
                context={**shared, "user": user, "title": title},
                locale=user.language or "nl",
                kind="notification",
                # The notification is new, so its key is too; one INSERT for all emails.
                idempotency_key=f"notification:{note.id}",
                unsubscribe_url=unsubscribe_url(user, stream),
            )
        )
    queue_emails(messages)
    return notes


def mark_all_read(user_id: int, now: datetime | None = None) -> int:
    """Mark every unread notification of a member read. Returns how many. Flushes."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=now or utcnow())
    )
    db.session.flush()
    return result.rowcount or 0


def set_group_mutes(user_id: int, muted_group_ids: set[int], allowed_group_ids: set[int]) -> None:
    """Replace the member's muted groups (only among `allowed_group_ids`). Flushes."""
    wanted = muted_group_ids & allowed_group_ids
    existing = {
        mute.group_id: mute
        for mute in db.session.scalars(select(GroupMute).where(GroupMute.user_id == user_id))
    }
    for group_id, mute in existing.items():
        if group_id not in wanted and group_id in allowed_group_ids:
            db.session.delete(mute)
    for group_id in wanted - existing.keys():
        db.session.add(GroupMute(user_id=user_id, group_id=group_id))
    db.session.flush()


# --- who hears about a new post -------------------------------------------------------


def _readers(group: Group, user_ids: set[int]) -> dict[int, User]:
    """Of `user_ids`, the active members who may read `group` and did not mute it.
    One query whatever the number of recipients."""
    if not user_ids:
        return {}
    muted = select(GroupMute.id).where(GroupMute.group_id == group.id, GroupMute.user_id == User.id)
    rows = db.session.execute(
        select(User, Membership)
        .outerjoin(Membership, (Membership.user_id == User.id) & (Membership.group_id == group.id))
        .where(User.id.in_(user_ids), User.status == "active", ~muted.exists())
    ).all()
    return {user.id: user for user, membership in rows if can_read_group(user, group, membership)}


def notify_new_post(post, mentioned_user_ids=()) -> list[Notification]:
    """Tell the thread's author, the parent post's author, watchers and mentioned members
    about a reply. Never the author of the reply; respects thread and group muting and
    who may read the group. Each member gets at most one notification per post."""
    from forum.models import ThreadWatch

    if post.hidden_at is not None or post.deleted_at is not None:
        return []
    thread = post.thread
    group = thread.group
    reasons: dict[int, str] = {}
    watches = db.session.execute(
        select(ThreadWatch.user_id, ThreadWatch.level).where(ThreadWatch.thread_id == thread.id)
    ).all()
    # Later assignments win: a mention is more specific than a reply, a reply than a watch.
    for user_id, level in watches:
        if level == "watch":
            reasons[user_id] = "watch"
    if thread.author_id:
        reasons[thread.author_id] = "reply"
    if post.parent_id and post.parent is not None and post.parent.author_id:
        reasons[post.parent.author_id] = "reply"
    for user_id in mentioned_user_ids or ():
        reasons[int(user_id)] = "mention"
    reasons.pop(post.author_id, None)
    for user_id in {user_id for user_id, level in watches if level == "mute"}:
        # A mention still reaches someone who muted the thread: it is addressed to them.
        if reasons.get(user_id) != "mention":
            reasons.pop(user_id, None)
    readers = _readers(group, set(reasons))
    actor = post.author
    actor_name = actor.public_name if actor is not None else _("Oud-lid")
    # Case content never leaves the platform: no post text for closed or secret groups.
    show_text = group.visibility == "members"
    recipients = []
    for user_id, kind in reasons.items():
        user = readers.get(user_id)
        if user is None:
            continue
        with force_locale(user.language or "nl"):
            if kind == "mention":
                title = _("%(name)s noemde je in „%(title)s”", name=actor_name, title=thread.title)
            elif kind == "reply":
                title = _("%(name)s reageerde op „%(title)s”", name=actor_name, title=thread.title)
            else:
                title = _("Nieuwe reactie in „%(title)s”", title=thread.title)
        recipients.append((user, kind, title))
    return notify_many(
        recipients,
        thread_url(thread.id, post.id),
        actor,
        text=excerpt(html_to_text(post.body_html), 300) if show_text else "",
        thread_id=thread.id,
        post_id=post.id,
        body_html=post.body_html if show_text else "",
    )


def notify_answer_accepted(thread, post, actor=None) -> Notification | None:
    """Tell the author of the accepted answer (unless they accepted it themselves)."""
    author = post.author
    if author is None or author.status != "active":
        return None
    if actor is not None and actor.id == author.id:
        return None
    if not _readers(thread.group, {author.id}):
        return None
    with force_locale(author.language or "nl"):
        title = _("Je antwoord op „%(title)s” is gekozen als beste antwoord", title=thread.title)
    return notify(
        author,
        "answer",
        title,
        thread_url(thread.id, post.id),
        actor,
        thread_id=thread.id,
        post_id=post.id,
        # Case content never leaves the platform: the answer's text for open groups only.
        body_html=post.body_html if thread.group.visibility == "members" else "",
    )


def notify_post_hidden(
    post, actor=None, reason: str = "", appeal_path: str | None = None
) -> Notification | None:
    """In-app statement of reasons for the author of a hidden post, linking to where they
    can contest it (or to the thread). The email is sent by moderation (a service message
    that cannot be unsubscribed from)."""
    author = post.author
    if author is None or author.status not in {"active", "suspended"}:
        return None
    with force_locale(author.language or "nl"):
        title = _("Je bericht in „%(title)s” is verborgen", title=post.thread.title)
    return notify(
        author,
        "moderation",
        title,
        appeal_path or thread_url(post.thread_id),
        actor,
        text=reason or "",
        thread_id=post.thread_id,
        post_id=post.id,
        email=False,
    )


def notify_event_changed(event, action: str, actor=None) -> list[Notification]:
    """In-app notification for everyone registered for a changed or cancelled event.
    The events feature sends the emails itself."""
    if action not in {"update", "cancel"}:
        return []
    user_ids = set(
        db.session.scalars(
            select(Registration.user_id).where(
                Registration.event_id == event.id,
                Registration.status.in_(("confirmed", "waitlisted")),
            )
        )
    )
    if actor is not None:
        user_ids.discard(actor.id)
    if not user_ids:
        return []
    users = db.session.scalars(
        select(User).where(User.id.in_(user_ids), User.status == "active")
    ).all()
    notes = []
    for user in users:
        with force_locale(user.language or "nl"):
            if action == "cancel":
                title = _("Bijeenkomst „%(title)s” gaat niet door", title=event.title)
            else:
                title = _("Bijeenkomst „%(title)s” is gewijzigd", title=event.title)
        notes.append(
            notify(
                user,
                "event_change",
                title,
                f"/events/{event.id}",
                actor,
                text=event.cancellation_reason if action == "cancel" else "",
                event_id=event.id,
                email=False,
            )
        )
    return notes


# --- signal receivers (connected in views.init_app) ----------------------------------


def on_post_created(sender, post=None, mentioned_user_ids=(), **extra) -> None:
    if post is not None:
        notify_new_post(post, mentioned_user_ids or ())


def on_answer_accepted(sender, thread=None, post=None, actor=None, **extra) -> None:
    if thread is not None and post is not None:
        notify_answer_accepted(thread, post, actor)


def on_post_moderated(sender, post=None, action=None, actor=None, reason="", appeal_path=None,
                      **extra) -> None:  # fmt: skip
    if post is not None and action == "hide":
        notify_post_hidden(post, actor, reason or "", appeal_path)


def on_event_changed(sender, event=None, action=None, actor=None, **extra) -> None:
    if event is not None and action:
        notify_event_changed(event, action, actor)


def on_notice_requested(sender, user=None, kind="", title="", url="", actor=None, **extra) -> None:
    if user is not None and title:
        notify(user, kind or "notice", title, url, actor, email=False)


def on_member_notice(sender, user=None, title="", text="", url="", actor=None, thread_id=None,
                     **extra) -> None:  # fmt: skip
    if user is not None and user.status in {"active", "suspended"}:
        notify(user, "moderation", title, url, actor, text=text or "", thread_id=thread_id,
               email=False)  # fmt: skip


def on_knowledge_consent_requested(sender=None, consent=None, item=None, actor=None, **extra):
    """In-app note for a member quoted in a FAQ draft (the kennisbank emails them)."""
    user = consent.user if consent is not None else None
    if user is None or user.status != "active":
        return
    with force_locale(user.language or "nl"):
        title = _("Mag je tekst in de kennisbank? „%(title)s”", title=item.title)
    notify(user, "knowledge_consent", title, f"/kennisbank/toestemming/{consent.id}", actor,
           email=False)  # fmt: skip


def connect_receivers() -> None:
    from core import signals

    signals.notice_requested.connect(on_notice_requested, weak=False)
    signals.post_created.connect(on_post_created, weak=False)
    signals.answer_accepted.connect(on_answer_accepted, weak=False)
    signals.post_moderated.connect(on_post_moderated, weak=False)
    signals.event_changed.connect(on_event_changed, weak=False)
    signals.member_notice.connect(on_member_notice, weak=False)
    signals.knowledge_consent_requested.connect(on_knowledge_consent_requested, weak=False)
