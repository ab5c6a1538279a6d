"""Signals between features (blinker). Senders fire them after flushing, inside the
request's transaction, so receivers may add rows (notifications, search index, outbox)
that commit or roll back together with the change.

Receivers connect in their feature's `views.init_app(app)` or at import of a module
imported there.
"""

from blinker import Namespace

_signals = Namespace()

#: A new thread was created. kwargs: thread (forum.models.Thread), post (its opening Post).
#: Members mentioned in the opening post are on `post.mentioned_user_ids` (not stored).
thread_created = _signals.signal("thread-created")

#: A reply was posted. kwargs: post (forum.models.Post), mentioned_user_ids (list[int])
post_created = _signals.signal("post-created")

#: A post's body changed (edit or redaction). kwargs: post, editor (User | None)
post_edited = _signals.signal("post-edited")

#: A post was hidden, restored or deleted by moderation or its author.
#: kwargs: post, action ("hide" | "restore" | "delete" | "redact"), actor (User | None), reason (str)
#: and, for "hide" by moderation, appeal_path (str: the site path where the author can
#: read the decision and contest it)
post_moderated = _signals.signal("post-moderated")

#: A thread was hidden/restored/locked/moved/changed. kwargs: thread, action (str), actor
thread_changed = _signals.signal("thread-changed")

#: A reply was accepted as the answer to a question. kwargs: thread, post, actor
answer_accepted = _signals.signal("answer-accepted")

#: An event was created, changed or cancelled. kwargs: event, action ("create" | "update" |
#: "cancel"), changes (dict of field -> (old, new)), actor
event_changed = _signals.signal("event-changed")

#: A member's account was suspended, deleted or otherwise changed status.
#: kwargs: user, action ("suspend" | "unsuspend" | "delete"), actor
member_changed = _signals.signal("member-changed")

#: Moderation tells a member something in the app: the outcome of their report or of
#: their appeal, a statement of reasons. Moderation sends the (service) email itself.
#: kwargs: user (User to tell), title (str, already in their language), text (str),
#: url (str, a site path), actor (User | None), thread_id (int | None)
member_notice = _signals.signal("member-notice")
