"""Who may do what in the kennisbank. Pure predicates, no queries.

Editors (kennisredacteuren) write, submit and review; publishing needs a second pair of
eyes: the editor who last changed an item may not publish it, an admin may. Published
items are readable by everyone unless members-only; drafts and items in review only by
editors.
"""

from __future__ import annotations

from groups import policies as group_policies


def _is_member(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active_member


def is_editor(user) -> bool:
    """Kennisredacteuren and admins."""
    return _is_member(user) and user.is_editor


def is_admin(user) -> bool:
    return _is_member(user) and user.is_admin


def can_read_item(user, item) -> bool:
    """Published items for everyone (members-only ones for members); the rest for editors."""
    if is_editor(user):
        return True
    if item.status != "published":
        return False
    return not item.is_members_only or _is_member(user)


def can_create_item(user) -> bool:
    return is_editor(user)


def can_edit_item(user, item) -> bool:
    """Editors change items that are not archived."""
    return is_editor(user) and item.status != "archived"


def can_submit_item(user, item) -> bool:
    """A draft goes to review."""
    return is_editor(user) and item.status == "draft"


def can_reject_item(user, item) -> bool:
    """An item in review goes back to draft (the reviewer has remarks)."""
    return is_editor(user) and item.status == "review"


def can_publish_item(user, item) -> bool:
    """Four eyes: another editor than the one who last changed it; an admin always.

    Quoted authors' consent is checked by the service, which knows the consent rows.
    """
    if is_admin(user):
        return item.status in {"draft", "review"}
    return (
        is_editor(user)
        and item.status == "review"
        and item.changed_by_id is not None
        and item.changed_by_id != user.id
    )


def can_archive_item(user, item) -> bool:
    return is_editor(user) and item.status == "published"


def can_view_history(user, item) -> bool:
    return is_editor(user)


def can_answer_consent(user, consent) -> bool:
    """Only the quoted member answers, and only while the item is not yet published."""
    return (
        _is_member(user)
        and consent.user_id == user.id
        and consent.status in {"pending", "granted", "refused"}
    )


def can_make_faq(user, thread, membership) -> bool:
    """A coordinator of the thread's group or an editor turns an answered question into
    a FAQ draft."""
    if not (thread.is_question and thread.is_answered and thread.is_visible):
        return False
    if not group_policies.can_read_group(user, thread.group, membership):
        return False
    return is_editor(user) or group_policies.can_manage_group(user, thread.group, membership)


def can_follow_theme(user) -> bool:
    return _is_member(user)
