"""The advice policies as a table: who may do what with a question."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from advice import policies


def person(uid: int, role: str = "member", status: str = "active"):
    return SimpleNamespace(
        id=uid,
        is_authenticated=True,
        is_active_member=status == "active",
        is_adviser=status == "active" and role in {"adviser", "admin"},
        is_admin=status == "active" and role == "admin",
        is_editor=status == "active" and role in {"editor", "admin"},
    )


ASKER, PARTNER, OTHER = person(1), person(2), person(3)
ADVISER, COLLEAGUE, ADMIN = person(4, "adviser"), person(5, "adviser"), person(6, "admin")
EDITOR, SUSPENDED_ASKER = person(7, "editor"), person(1, status="suspended")
VISITOR = SimpleNamespace(is_authenticated=False)


def question(**fields):
    values = {"asker_id": 1, "partner_id": 2, "adviser_id": 4, "status": "open",
              "rating": None, "faq_consent": False, "erased_at": None, "faq_item_id": None}  # fmt: skip
    values.update(fields)
    q = SimpleNamespace(**values)
    q.is_closed = q.status == "closed"
    q.is_erased = q.erased_at is not None
    return q


OPEN, CLOSED = question(), question(status="closed")
CONSENTED, ERASED = question(status="closed", faq_consent=True), question(erased_at=1)
DRAFTED = question(status="closed", faq_consent=True, faq_item_id=9)


@pytest.mark.parametrize(
    ("predicate", "user", "q", "allowed"),
    [
        (policies.can_read_question, ASKER, OPEN, True),
        (policies.can_read_question, PARTNER, OPEN, True),
        (policies.can_read_question, OTHER, OPEN, False),
        (policies.can_read_question, ADVISER, OPEN, True),
        (policies.can_read_question, COLLEAGUE, OPEN, True),
        (policies.can_read_question, ADMIN, OPEN, True),
        (policies.can_read_question, EDITOR, OPEN, False),
        (policies.can_read_question, VISITOR, OPEN, False),
        (policies.can_read_question, SUSPENDED_ASKER, OPEN, False),
        (policies.can_read_question, ADVISER, ERASED, False),
        (policies.can_reply, ASKER, OPEN, True),
        (policies.can_reply, ASKER, CLOSED, False),
        (policies.can_reply, PARTNER, OPEN, True),
        (policies.can_see_internal_notes, ADVISER, OPEN, True),
        (policies.can_see_internal_notes, ASKER, OPEN, False),
        (policies.can_see_internal_notes, PARTNER, OPEN, False),
        (policies.can_take, ADVISER, OPEN, False),  # already theirs
        (policies.can_take, COLLEAGUE, OPEN, True),
        (policies.can_take, ASKER, OPEN, False),
        (policies.can_hand_over, ADVISER, OPEN, True),
        (policies.can_hand_over, COLLEAGUE, OPEN, False),
        (policies.can_hand_over, ADMIN, OPEN, True),
        (policies.can_close, ASKER, OPEN, True),
        (policies.can_close, PARTNER, OPEN, False),
        (policies.can_close, COLLEAGUE, OPEN, True),
        (policies.can_close, ADVISER, CLOSED, False),
        (policies.can_rate, ASKER, CLOSED, True),
        (policies.can_rate, ASKER, OPEN, False),
        (policies.can_rate, ASKER, question(status="closed", rating="helped"), False),
        (policies.can_rate, ADVISER, CLOSED, False),
        (policies.can_give_faq_consent, ASKER, CLOSED, True),
        (policies.can_give_faq_consent, ADVISER, CLOSED, False),
        (policies.can_flag_faq, ADVISER, CONSENTED, True),
        (policies.can_flag_faq, ADVISER, CLOSED, False),
        (policies.can_flag_faq, ASKER, CONSENTED, False),
        (policies.can_flag_faq, ADVISER, DRAFTED, False),  # once: the draft exists
    ],
)
def test_question_policies(predicate, user, q, allowed):
    assert predicate(user, q) is allowed


@pytest.mark.parametrize(
    ("predicate", "user", "allowed"),
    [
        (policies.can_ask, OTHER, True),
        (policies.can_ask, VISITOR, False),
        (policies.can_ask, SUSPENDED_ASKER, False),
        (policies.can_advise, ADVISER, True),
        (policies.can_advise, ADMIN, True),
        (policies.can_advise, EDITOR, False),
        (policies.can_advise, OTHER, False),
        (policies.can_read_faq_drafts, EDITOR, True),
        (policies.can_read_faq_drafts, ADVISER, True),
        (policies.can_read_faq_drafts, OTHER, False),
        (policies.can_join_pool, OTHER, True),
        (policies.can_join_pool, VISITOR, False),
    ],
)
def test_member_policies(predicate, user, allowed):
    assert predicate(user) is allowed


@pytest.mark.parametrize(
    ("user", "status", "partner_id", "allowed"),
    [
        (OTHER, "proposed", None, True),
        (OTHER, "declined", None, False),
        (OTHER, "proposed", 2, False),  # someone else accepted first
        (PARTNER, "proposed", None, False),  # not their proposal
    ],
)
def test_only_the_proposed_partner_answers_an_open_proposal(user, status, partner_id, allowed):
    proposal = SimpleNamespace(user_id=3, status=status, question=question(partner_id=partner_id))
    assert policies.can_answer_proposal(user, proposal) is allowed
