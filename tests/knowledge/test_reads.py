"""Reads of kennisbank items are counted as an aggregate: (item, region, day) → count,
once per member, item and day, and nothing that says who read what."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import func, inspect, select

from core.extensions import db
from core.taxonomy import Region
from knowledge.models import KnowledgeReadCount
from knowledge.reads import SESSION_KEY
from tests.knowledge.conftest import signed_in_client

DAY = datetime(2026, 11, 3, 10, 0, tzinfo=UTC)


def _counts() -> dict:
    rows = db.session.execute(
        select(
            KnowledgeReadCount.item_id,
            Region.key,
            KnowledgeReadCount.day,
            KnowledgeReadCount.count,
        ).join(Region, Region.id == KnowledgeReadCount.region_id)
    )
    return {(item, region, day): count for item, region, day, count in rows}


@pytest.fixture
def published(editors, make_knowledge_item):
    anna, bram, _admin = editors
    return make_knowledge_item(anna, status="published", reviewer=bram)


def test_a_member_counts_once_per_item_and_day(app, published, make_user):
    reader = make_user("Lezer", sector="politie", region="utrecht")
    other = make_user("Tweede lezer", sector="onderwijs", region="utrecht")
    haags = make_user("Haagse lezer", region="haaglanden")
    url = f"/kennisbank/{published.slug}"
    with time_machine.travel(DAY, tick=False):
        client = signed_in_client(app, reader)
        assert client.get(url).status_code == 200
        assert client.get(url).status_code == 200  # the same day: not again
        signed_in_client(app, other).get(url)
        signed_in_client(app, haags).get(url)
    with time_machine.travel(DAY.replace(day=4), tick=False):
        client.get(url)  # the next day counts again
    assert _counts() == {
        (published.id, "utrecht", date(2026, 11, 3)): 2,
        (published.id, "haaglanden", date(2026, 11, 3)): 1,
        (published.id, "utrecht", date(2026, 11, 4)): 1,
    }


def test_visitors_pending_members_drafts_and_members_without_region_do_not_count(
    app, client, editors, make_knowledge_item, published, make_user
):
    anna, _bram, _admin = editors
    draft = make_knowledge_item(anna, title="Nog een concept")
    pending = make_user(status="pending", region="utrecht")
    nowhere = make_user("Zonder regio")
    nowhere.region_id = None
    db.session.commit()
    assert client.get(f"/kennisbank/{published.slug}").status_code == 200
    signed_in_client(app, pending).get(f"/kennisbank/{published.slug}")
    signed_in_client(app, nowhere).get(f"/kennisbank/{published.slug}")
    signed_in_client(app, anna).get(f"/kennisbank/{draft.slug}")  # an editor reads a draft
    assert _counts() == {}


def test_no_member_identity_is_stored(app, published, make_user):
    """The count table has no column for a member, and a read changes no other table
    (no audit entry, no read state): only the count goes up."""
    columns = {c["name"] for c in inspect(db.engine).get_columns("knowledge_read_counts")}
    assert columns == {"id", "item_id", "region_id", "day", "count"}
    reader = make_user("Lezer", sector="politie", region="utrecht")
    tables = [t for t in db.metadata.sorted_tables if t.name != "knowledge_read_counts"]

    def sizes():
        return {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in tables}

    before = sizes()
    client = signed_in_client(app, reader)
    client.get(f"/kennisbank/{published.slug}")
    db.session.expire_all()
    assert sizes() == before
    assert sum(_counts().values()) == 1
    # What keeps a second read from counting lives in the member's own session cookie.
    with client.session_transaction() as session:
        assert session[SESSION_KEY]["ids"] == [published.id]
