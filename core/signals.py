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

#: A kennisbank item was created, changed or changed status. No sender, kwargs only:
#: item (knowledge.models.KnowledgeItem), action ("create" | "update" | "submit" |
#: "reject" | "publish" | "archive"), actor (User | None). Search reindexes the item;
#: `action == "publish"` is the moment it became readable.
knowledge_item_changed = _signals.signal("knowledge-item-changed")

#: A member quoted in a FAQ draft is asked for consent. No sender, kwargs only:
#: consent (knowledge.models.KnowledgeConsent), item, actor (User who made the draft).
#: The knowledge feature emails the member itself; notifications adds the in-app note.
knowledge_consent_requested = _signals.signal("knowledge-consent-requested")
