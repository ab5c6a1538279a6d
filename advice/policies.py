"""Who may do what at the advice desk. Pure predicates of the user and the question.

A question is private: only the asker, the advisers (and admins, who are advisers too)
and the accepted sparring partner may know it exists; everyone else gets 404.
"""

from __future__ import annotations


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active_member


def can_ask(user) -> bool:
    """Every active member may ask the advice desk a question."""
    return _active(user)


def can_advise(user) -> bool:
    """Advisers and admins work the queue and see the team's numbers."""
    return _active(user) and user.is_adviser


def is_asker(user, question) -> bool:
    return _active(user) and question.asker_id == user.id


def is_partner(user, question) -> bool:
    return _active(user) and question.partner_id is not None and question.partner_id == user.id


def can_read_question(user, question) -> bool:
    """The asker, the accepted sparring partner and every adviser; not once erased."""
    if question.is_erased:
        return False
    return is_asker(user, question) or is_partner(user, question) or can_advise(user)


def can_reply(user, question) -> bool:
    """Everyone who reads an open question may write in its conversation."""
    return can_read_question(user, question) and not question.is_closed


def can_see_internal_notes(user, question) -> bool:
    """Internal notes are for advisers; the asker and the partner never see them."""
    return can_advise(user) and can_read_question(user, question)


def can_take(user, question) -> bool:
    """An adviser takes an open question that is not already theirs."""
    return can_advise(user) and not question.is_closed and question.adviser_id != user.id


def can_hand_over(user, question) -> bool:
    """The assigned adviser (or an admin) hands an open question to another adviser."""
    if not can_advise(user) or question.is_closed:
        return False
    return question.adviser_id == user.id or user.is_admin


def can_close(user, question) -> bool:
    """The asker or an adviser closes an open question."""
    if question.is_closed or not can_read_question(user, question):
        return False
    return is_asker(user, question) or can_advise(user)


def can_rate(user, question) -> bool:
    """The asker rates a closed question once."""
    return is_asker(user, question) and question.is_closed and question.rating is None


def can_give_faq_consent(user, question) -> bool:
    """Only the asker decides whether their question may become an anonymised FAQ."""
    return is_asker(user, question) and not question.is_erased


def can_flag_faq(user, question) -> bool:
    """An adviser turns a closed question into a kennisbank FAQ draft, with the asker's
    consent, once."""
    return (
        can_advise(user)
        and question.is_closed
        and question.faq_consent
        and not question.is_erased
        and question.faq_item_id is None
    )


def can_answer_proposal(user, proposal) -> bool:
    """The proposed partner accepts or declines a proposal that is still open."""
    return (
        _active(user)
        and proposal.user_id == user.id
        and proposal.status == "proposed"
        and not proposal.question.is_closed
        and proposal.question.partner_id is None
    )


def can_join_pool(user) -> bool:
    """Every active member may offer to be a sparring partner."""
    return _active(user)


def can_read_faq_drafts(user) -> bool:
    """Editors (who write the kennisbank) and advisers see the FAQ drafts made from advice."""
    return _active(user) and (user.is_editor or user.is_adviser)
