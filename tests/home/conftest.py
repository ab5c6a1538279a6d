"""Fixtures for the dashboard tests: a logged-in client per member (as for groups)."""

from __future__ import annotations

from tests.groups.conftest import client_for

__all__ = ["client_for"]
