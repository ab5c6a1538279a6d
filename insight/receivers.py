"""Reactions of the insight feature to other features' signals (core/signals.py)."""

from __future__ import annotations

from core import signals
from insight.services import set_quarterly_subscription


def _forget_subscription(_sender=None, *, user=None, action: str = "", **_kwargs) -> None:
    """A deleted account keeps no quarterly email subscription (AVG). Its signals stay,
    without a name, like its posts."""
    if action == "delete" and user is not None:
        set_quarterly_subscription(user.id, False)


def connect_receivers() -> None:
    signals.member_changed.connect(_forget_subscription, weak=False)
