"""groups.policies as a table: actor × action × group visibility.

Each row lists exactly the actions an actor may take on a group of one visibility; every
other action must be refused. Policies are pure, so plain stand-ins replace the models.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from groups import policies

ACTIONS = {
    "see": policies.can_see_group,
    "read": policies.can_read_group,
    "post": policies.can_post_in_group,
    "join": policies.can_join_group,
    "request": policies.can_request_to_join,
    "leave": policies.can_leave_group,
    "accept": policies.can_accept_invitation,
    "manage": policies.can_manage_group,
    "invite": policies.can_invite_to_group,
    "moderate": policies.can_moderate_group,
}


def user(role="member", status="active", *, authenticated=True, uid=1):
    is_active = authenticated and status == "active"
    return SimpleNamespace(
        id=uid,
        is_authenticated=authenticated,
        is_active_member=is_active,
        is_admin=is_active and role == "admin",
        is_moderator=is_active and role in {"moderator", "admin"},
    )


def membership(status="active", role="member", uid=1):
    return SimpleNamespace(status=status, role=role, user_id=uid)


# actor name -> (user, the user's membership in the group or None)
ACTORS = {
    "visitor": (user(authenticated=False), None),
    "pending": (user(status="pending"), None),
    "suspended member": (user(status="suspended"), membership()),
    "outsider": (user(), None),
    "requester": (user(), membership("requested")),
    "invitee": (user(), membership("invited")),
    "member": (user(), membership()),
    "coordinator": (user(), membership(role="coordinator")),
    "moderator": (user("moderator"), None),
    "admin": (user("admin"), None),
}

NOTHING: set[str] = set()
EXPECTED = {
    "members": {
        "visitor": NOTHING,
        "pending": NOTHING,
        "suspended member": NOTHING,
        "outsider": {"see", "read", "post", "join"},
        "requester": {"see", "read", "post", "join", "leave"},
        "invitee": {"see", "read", "post", "join", "leave", "accept"},
        "member": {"see", "read", "post", "leave"},
        "coordinator": {"see", "read", "post", "leave", "manage", "moderate"},
        "moderator": {"see", "read", "post", "join", "moderate"},
        "admin": {"see", "read", "post", "join", "manage", "moderate"},
    },
    "closed": {
        "visitor": NOTHING,
        "pending": NOTHING,
        "suspended member": NOTHING,
        "outsider": {"see", "request"},
        "requester": {"see", "leave"},
        "invitee": {"see", "request", "leave", "accept"},
        "member": {"see", "read", "post", "leave"},
        "coordinator": {"see", "read", "post", "leave", "manage", "invite", "moderate"},
        # Site moderators read every group to handle reports, but post only where they are members.
        "moderator": {"see", "read", "request", "moderate"},
        "admin": {"see", "read", "request", "manage", "invite", "moderate"},
    },
    "secret": {
        "visitor": NOTHING,
        "pending": NOTHING,
        "suspended member": NOTHING,
        "outsider": NOTHING,
        "requester": {"leave"},  # cannot arise (no requests for secret groups), but harmless
        "invitee": {"see", "leave", "accept"},
        "member": {"see", "read", "post", "leave"},
        "coordinator": {"see", "read", "post", "leave", "manage", "invite", "moderate"},
        # A moderator opens a reported post in a secret group, yet never finds it in a list.
        "moderator": {"read", "moderate"},
        "admin": {"see", "read", "manage", "invite", "moderate"},
    },
}

CASES = [
    (visibility, actor, action)
    for visibility, actors in EXPECTED.items()
    for actor in actors
    for action in ACTIONS
]


@pytest.mark.parametrize(("visibility", "actor", "action"), CASES)
def test_group_policy_table(visibility, actor, action):
    who, own_membership = ACTORS[actor]
    group = SimpleNamespace(visibility=visibility)
    allowed = ACTIONS[action](who, group, own_membership)
    assert allowed is (action in EXPECTED[visibility][actor]), (
        f"{actor} {'may' if allowed else 'may not'} {action} a {visibility} group"
    )


def test_table_covers_every_actor_in_every_visibility():
    for actors in EXPECTED.values():
        assert set(actors) == set(ACTORS)


@pytest.mark.parametrize(
    ("actor", "allowed"),
    [("visitor", False), ("pending", False), ("outsider", False), ("coordinator", False),
     ("moderator", False), ("admin", True)],
)  # fmt: skip
def test_only_admins_create_groups_and_appoint_coordinators(actor, allowed):
    who, _own_membership = ACTORS[actor]
    group = SimpleNamespace(visibility="members")
    assert policies.can_create_group(who) is allowed
    assert policies.can_appoint_coordinator(who, group) is allowed


# remover -> target -> allowed
REMOVALS = {
    "coordinator": {"member": True, "invitee": True, "requester": True, "coordinator": False, "self": False},
    "admin": {"member": True, "invitee": True, "requester": True, "coordinator": True, "self": False},
    "member": {"member": False, "invitee": False, "requester": False, "coordinator": False, "self": False},
    "moderator": {"member": False, "invitee": False, "requester": False, "coordinator": False, "self": False},
}  # fmt: skip
TARGETS = {
    "member": membership(uid=2),
    "invitee": membership("invited", uid=2),
    "requester": membership("requested", uid=2),
    "coordinator": membership(role="coordinator", uid=2),
    "self": membership(role="coordinator", uid=1),
}


@pytest.mark.parametrize(
    ("remover", "target"),
    [(remover, target) for remover in REMOVALS for target in TARGETS],
)
def test_who_may_remove_whom(remover, target):
    who, own_membership = ACTORS[remover]
    group = SimpleNamespace(visibility="closed")
    allowed = policies.can_remove_member(who, group, own_membership, TARGETS[target])
    assert allowed is REMOVALS[remover][target]
