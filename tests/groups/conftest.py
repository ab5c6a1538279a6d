"""Fixtures for the groups tests: a logged-in client per member."""

from __future__ import annotations
