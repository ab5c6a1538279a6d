"""Who sees which insight, as a table of role × region."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from insight.policies import (
    can_read_signal_notes,
    can_signal,
    can_subscribe_quarterly,
    can_view_national,
    can_view_region,
)

OWN, OTHER = 1, 2


@dataclass
class FakeUser:
    status: str = "active"
    role: str = "member"
    region_id: int | None = OWN
    is_authenticated: bool = True

    @property
    def is_active_member(self):
        return self.status == "active"

    @property
    def is_policy_officer(self):
        return self.is_active_member and self.role in {"policy", "admin"}


@dataclass
class FakeRegion:
    id: int


@dataclass
class FakeThread:
    hidden_at: object = None
    deleted_at: object = None


MEMBER = FakeUser()
PENDING = FakeUser(status="pending")
SUSPENDED = FakeUser(status="suspended")
POLICY = FakeUser(role="policy")
VISITOR = FakeUser(is_authenticated=False, status="", region_id=None)
COORDINATOR = FakeUser()  # with OTHER in `coordinated`


@pytest.mark.parametrize(
    ("user", "coordinated", "national", "own", "other", "notes_other"),
    [
        (MEMBER, frozenset(), True, True, False, False),
        (POLICY, frozenset(), True, True, True, False),
        (COORDINATOR, frozenset({OTHER}), True, True, True, True),
        (PENDING, frozenset(), False, False, False, False),
        (SUSPENDED, frozenset({OTHER}), False, False, False, False),
        (VISITOR, frozenset(), False, False, False, False),
    ],
)
def test_access_matrix(user, coordinated, national, own, other, notes_other):
    assert can_view_national(user) is national
    assert can_view_region(user, FakeRegion(OWN), coordinated) is own
    assert can_view_region(user, FakeRegion(OTHER), coordinated) is other
    assert can_read_signal_notes(user, FakeRegion(OTHER), coordinated) is notes_other


def test_a_policy_officer_does_not_read_the_sentences_of_signals():
    assert not can_read_signal_notes(POLICY, FakeRegion(OWN))


def test_only_policy_officers_get_the_quarterly_email():
    assert can_subscribe_quarterly(POLICY)
    assert can_subscribe_quarterly(FakeUser(role="admin"))
    assert not can_subscribe_quarterly(MEMBER)
    assert not can_subscribe_quarterly(FakeUser(role="policy", status="suspended"))


@pytest.mark.parametrize(
    ("user", "thread", "readable", "allowed"),
    [
        (MEMBER, FakeThread(), True, True),
        (MEMBER, FakeThread(), False, False),
        (MEMBER, FakeThread(hidden_at=1), True, False),
        (MEMBER, FakeThread(deleted_at=1), True, False),
        (FakeUser(region_id=None), FakeThread(), True, False),
        (PENDING, FakeThread(), True, False),
    ],
)
def test_who_may_mark_a_thread_as_a_signal(user, thread, readable, allowed):
    assert can_signal(user, thread, readable) is allowed
