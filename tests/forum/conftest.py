"""Forum fixtures: posting intervals off (tests post quickly) and small factories."""

from __future__ import annotations

import pytest

from tests.forum import factories


@pytest.fixture
def app_config() -> dict:
    return {"POST_MIN_INTERVAL_SECONDS": 0, "NEW_MEMBER_POST_MIN_INTERVAL_SECONDS": 0}


@pytest.fixture
def make_group(app):
    return factories.create_group


@pytest.fixture
def add_member(app):
    return factories.add_member


@pytest.fixture
def make_thread(app):
    return factories.create_thread


@pytest.fixture
def make_reply(app):
    return factories.create_reply
