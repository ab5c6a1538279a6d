"""Who may do what with threads and posts. Pure predicates, no queries.

Each takes the acting user, the object and the user's Membership row in the thread's group
(or None); callers load that membership once (`groups.queries.membership_for`). They build
on `groups.policies`, so group visibility rules live in one place.
"""

from __future__ import annotations

from groups import policies as group_policies


def _is_member(user) -> bool:
    # Suspended, pending and deleted accounts are not active members: they may not post.
    return bool(getattr(user, "is_authenticated", False)) and user.is_active_member


def _is_author(user, obj) -> bool:
    return _is_member(user) and obj.author_id is not None and obj.author_id == user.id


def can_moderate_thread(user, thread, membership) -> bool:
    """Coordinators of the thread's group and site moderators."""
    return group_policies.can_moderate_group(user, thread.group, membership)


def can_start_thread(user, group, membership) -> bool:
    """Open a new thread in a group."""
    return group_policies.can_post_in_group(user, group, membership)


def can_read_thread(user, thread, membership) -> bool:
    """See the thread at all. Hidden or deleted threads only for its moderators."""
    if not group_policies.can_read_group(user, thread.group, membership):
        return False
    return thread.is_visible or can_moderate_thread(user, thread, membership)


def can_reply(user, thread, membership) -> bool:
    """Post a reply: readable, postable group, thread neither locked nor removed."""
    return (
        can_read_thread(user, thread, membership)
        and group_policies.can_post_in_group(user, thread.group, membership)
        and thread.is_visible
        and not thread.is_locked
    )


def can_edit_post(user, post, thread, membership) -> bool:
    """Authors edit their own posts while the post is shown and the thread is open."""
    return (
        _is_author(user, post)
        and can_read_thread(user, thread, membership)
        and not post.is_removed
        and not thread.is_locked
    )


def can_delete_post(user, post, thread, membership) -> bool:
    """Authors delete (softly) their own posts; moderators hide through moderation."""
    return (
        _is_author(user, post)
        and can_read_thread(user, thread, membership)
        and not (post.deleted_at)
    )


def can_react(user, post, thread, membership) -> bool:
    """'Nuttig' and 'bedankt' on other people's visible posts in a group one may post in."""
    return (
        can_read_thread(user, thread, membership)
        and group_policies.can_post_in_group(user, thread.group, membership)
        and not post.is_removed
        and not _is_author(user, post)
    )


def can_accept_answer(user, post, thread, membership) -> bool:
    """The asker or a coordinator (or admin) marks a visible reply to a question."""
    if not (thread.is_question and can_read_thread(user, thread, membership)):
        return False
    if post.id == thread.first_post_id or post.thread_id != thread.id or post.is_removed:
        return False
    return _is_author(user, thread) or group_policies.can_manage_group(
        user, thread.group, membership
    )


def can_view_history(user, thread, membership) -> bool:
    """Earlier versions of posts: coordinators of the group and site moderators."""
    return can_read_thread(user, thread, membership) and can_moderate_thread(
        user, thread, membership
    )


def can_pin_thread(user, thread, membership) -> bool:
    """Pinning orders the group's list: its coordinators (and admins)."""
    return can_read_thread(user, thread, membership) and group_policies.can_manage_group(
        user, thread.group, membership
    )


def can_lock_thread(user, thread, membership) -> bool:
    """Coordinators of the group, admins and site moderators."""
    return can_read_thread(user, thread, membership) and (
        group_policies.can_manage_group(user, thread.group, membership)
        or can_moderate_thread(user, thread, membership)
    )


def can_move_thread(user, thread, membership) -> bool:
    """Move out of a group the user manages (the target is checked separately)."""
    return can_read_thread(user, thread, membership) and group_policies.can_manage_group(
        user, thread.group, membership
    )


def can_move_thread_to(user, group, membership) -> bool:
    """A group a thread may be moved into: one the user manages too."""
    return group_policies.can_manage_group(user, group, membership)
