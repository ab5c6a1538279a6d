"""Signals between features (blinker): how a lower layer tells the layers above it.

ONE convention. Senders fire after flushing, inside the request's transaction, with no
sender and keyword arguments only:

    signals.post_created.send(post=post, mentioned_user_ids=ids)

so receivers may add rows (notifications, search index, outbox) that commit or roll
back together with the change. Receivers are `def on_x(sender, *, kw, **extra)` (blinker
passes `sender`, always None here) and connect in their feature's `views.init_app(app)`
or a function called from it (`weak=False`, the same function each time).

Senders and receivers (keep ARCHITECTURE.md in step):

| signal           | sent by                                   | received by                      |
|------------------|-------------------------------------------|----------------------------------|
| thread_created   | forum.services                            | search.index                     |
| post_created     | forum.services                            | notifications, search.index      |
| post_edited      | forum.services, moderation.services       | search.index                     |
| post_moderated   | forum.services, moderation.services       | notifications, search.index      |
| thread_changed   | forum.services, moderation.services       | notifications, search.index      |
| answer_accepted  | forum.services                            | notifications, search.index      |
| event_changed    | events.services                           | notifications, search.index      |
| member_changed   | auth.services, auth.avg, moderation       | search.index                     |
| account_deleting | auth.avg                                  | groups, events                   |
"""

from blinker import Namespace

_signals = Namespace()

#: A new thread was created. kwargs: thread (forum.models.Thread), post (its opening Post).
#: Members mentioned in the opening post are on `post.mentioned_user_ids` (not stored).
thread_created = _signals.signal("thread-created")

#: A reply was posted. kwargs: post (forum.models.Post), mentioned_user_ids (list[int])
post_created = _signals.signal("post-created")

#: A post's body changed (edit or redaction); for an opening post the thread's title and
#: tags may have changed too. kwargs: post, editor (User | None)
post_edited = _signals.signal("post-edited")

#: A post was hidden, restored or deleted by moderation or its author.
#: kwargs: post, action ("hide" | "restore" | "delete" | "redact"), actor (User | None), reason (str)
#: and, for "hide" by moderation, appeal_path (str: the site path where the author can
#: read the decision and contest it)
post_moderated = _signals.signal("post-moderated")

#: A thread was hidden/restored/locked/pinned/moved or lost its accepted answer.
#: kwargs: thread, action ("hide" | "restore" | "lock" | "unlock" | "pin" | "unpin" | "move" |
#: "unaccept"), actor (User | None), reason (str, "" when none was given)
thread_changed = _signals.signal("thread-changed")

#: A reply was accepted as the answer to a question. kwargs: thread, post, actor
answer_accepted = _signals.signal("answer-accepted")

#: An event was created, changed or cancelled. kwargs: event, action ("create" | "update" |
#: "cancel"), changes (dict of field -> (old, new)), actor
event_changed = _signals.signal("event-changed")

#: A member's account changed status or profile (what search shows of its author).
#: kwargs: user, action ("suspend" | "unsuspend" | "delete" | "update"), actor (User | None)
member_changed = _signals.signal("member-changed")

#: An account is about to be erased (AVG): features withdraw it from what it takes part
#: in (groups, event registrations) while its data still exists. kwargs: user.
#: Receivers may return a dict of counts; they end up in the audit entry's details.
account_deleting = _signals.signal("account-deleting")

#: A feature below notifications (the advice desk) asks for an in-app notification.
#: kwargs: user (the recipient, auth.models.User), kind (str, e.g. "advice"), title (str,
#: already in the recipient's language), url (str, a path), actor (User | None).
#: The feature sends its own email, if any; the receiver only adds the in-app row.
notice_requested = _signals.signal("notice-requested")

#: Moderation tells a member something in the app: the outcome of their report or of
#: their appeal, a statement of reasons. Moderation sends the (service) email itself.
#: kwargs: user (User to tell), title (str, already in their language), text (str),
#: url (str, a site path), actor (User | None), thread_id (int | None)
member_notice = _signals.signal("member-notice")

#: A kennisbank item was created, changed or changed status. No sender, kwargs only:
#: item (knowledge.models.KnowledgeItem), action ("create" | "update" | "submit" |
#: "reject" | "publish" | "archive"), actor (User | None). Search reindexes the item;
#: `action == "publish"` is the moment it became readable.
knowledge_item_changed = _signals.signal("knowledge-item-changed")

#: A member quoted in a FAQ draft is asked for consent. No sender, kwargs only:
#: consent (knowledge.models.KnowledgeConsent), item, actor (User who made the draft).
#: The knowledge feature emails the member itself; notifications adds the in-app note.
knowledge_consent_requested = _signals.signal("knowledge-consent-requested")
