"""Listing pages run a fixed number of SQL queries whatever the number of rows, and the
read-side selects keep closed groups out of other members' lists."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from core.extensions import db
from core.taxonomy import Sector
from groups import queries
from tests.conftest import count_queries, term
from tests.factories import join, make_event, make_group, make_thread, mark_read

# The issue asks for 10 vs 200 rows; groups are costlier to build, so 10 vs 60 for those.
FEW, MANY, MANY_GROUPS = 10, 200, 60
SECTORS = ["politie", "onderwijs", "jongerenwerk", "ggz", "jeugdhulp"]


@pytest.fixture
def world(app, make_user, client_for):
    """A member, authors from several sectors, and a way to add groups and threads."""
    viewer = make_user("Vera Viewer", sector="politie")
    authors = [make_user(sector=sector) for sector in SECTORS]
    home = make_group("Thuisgroep")
    join(home, viewer, role="coordinator")

    def add_threads(group, count: int) -> None:
        for i in range(count):
            author = authors[i % len(authors)]
            thread = make_thread(
                group,
                author,
                kind="question" if i % 3 == 0 else "discussion",
                replies=i % 4,
                repliers=authors,
                is_pinned=i % 17 == 0,
                answered=i % 6 == 0,
                ago=timedelta(minutes=i + 1),
                commit=False,
            )
            if i % 2:  # half opened before, some of those with new replies since
                mark_read(thread, viewer, up_to_post_id=thread.first_post_id, commit=False)
        db.session.commit()

    def add_groups(count: int) -> None:
        for i in range(count):
            visibility = ("members", "closed", "secret")[i % 3]
            group = make_group(
                visibility=visibility, kind=("thematic", "intervision")[i % 2], commit=False
            )
            status = ("active", "requested", "invited", None)[i % 4]
            if status:
                join(group, viewer, status=status, commit=False)
            join(group, authors[i % len(authors)], status="requested", commit=False)
            add_threads(group, 2)

    return viewer, home, add_threads, add_groups, client_for(viewer)


def queries_for(client, path: str) -> int:
    client.get(path)  # warm up: templates compiled, session loaded
    with count_queries() as counter:
        response = client.get(path)
    assert response.status_code == 200
    return counter.count


def test_the_group_page_runs_the_same_queries_for_few_and_many_threads(world):
    _viewer, home, add_threads, _add_groups, client = world
    add_threads(home, FEW)
    few = queries_for(client, f"/groups/{home.slug}")
    add_threads(home, MANY - FEW)
    assert queries_for(client, f"/groups/{home.slug}") == few
    assert queries_for(client, f"/groups/{home.slug}?page=3") == few


def test_the_group_page_runs_a_small_fixed_number_of_queries(world):
    """The account; the group with the viewer's membership and its open requests; the
    members' sectors; the coordinators; a page of threads with their tags and count;
    the next events (and the viewer's registrations); the notifications badge."""
    _viewer, home, add_threads, _add_groups, client = world
    add_threads(home, MANY)
    make_event(home)
    assert queries_for(client, f"/groups/{home.slug}") <= 8
    # Past the last page: the empty page, the count, then the last page instead.
    assert queries_for(client, f"/groups/{home.slug}?page=99") <= 10


def test_the_group_list_runs_the_same_queries_for_few_and_many_groups(world):
    _viewer, _home, _add_threads, add_groups, client = world
    add_groups(FEW)
    few = queries_for(client, "/groups")
    add_groups(MANY_GROUPS - FEW)
    assert queries_for(client, "/groups") == few


def test_the_dashboard_runs_the_same_queries_for_few_and_many_groups_and_threads(world):
    _viewer, home, add_threads, add_groups, client = world
    add_groups(FEW)
    add_threads(home, FEW)
    few = queries_for(client, "/")
    add_groups(MANY_GROUPS - FEW)  # two threads each
    add_threads(home, MANY_GROUPS - FEW)
    assert queries_for(client, "/") == few


def test_the_members_page_runs_the_same_queries_for_few_and_many_members(world, make_user):
    _viewer, home, _add_threads, _add_groups, client = world
    for _ in range(FEW):
        join(home, make_user(sector=SECTORS[_ % len(SECTORS)]))
    few = queries_for(client, f"/groups/{home.slug}/members")
    for i in range(40):
        join(
            home, make_user(sector=SECTORS[i % len(SECTORS)]), status=("active", "requested")[i % 2]
        )
    assert queries_for(client, f"/groups/{home.slug}/members") == few


def test_readable_and_visible_groups_follow_membership(app, make_user):
    open_group = make_group()
    closed = make_group(visibility="closed")
    secret = make_group(visibility="secret")
    invited_to = make_group(visibility="secret")
    member, outsider, moderator = make_user(), make_user(), make_user(role="moderator")
    join(closed, member)
    join(secret, member)
    join(invited_to, outsider, status="invited")

    def ids(stmt):
        return set(db.session.scalars(stmt))

    assert ids(queries.readable_group_ids(member)) == {open_group.id, closed.id, secret.id}
    assert ids(queries.readable_group_ids(outsider)) == {open_group.id}
    assert ids(queries.visible_group_ids(outsider)) == {open_group.id, closed.id, invited_to.id}
    # A moderator may open any group for a report, but lists only open groups and their own.
    assert ids(queries.personal_group_ids(moderator)) == {open_group.id}
    assert ids(queries.personal_group_ids(member)) == {open_group.id, closed.id, secret.id}


def test_the_group_list_sorts_my_groups_first_and_hides_counts_of_closed_groups(app, make_user):
    viewer = make_user(region="utrecht")
    author = make_user()
    mine = make_group("Mijn groep")
    asked = make_group("Gevraagd", visibility="closed")
    other_closed = make_group("Andere besloten groep", visibility="closed")
    join(mine, viewer)
    join(asked, viewer, status="requested")
    make_thread(other_closed, author)
    make_thread(mine, author)
    listing = queries.group_list(viewer)
    assert [item.group.name for item in listing.mine] == ["Mijn groep"]
    assert [item.group.name for item in listing.pending] == ["Gevraagd"]
    [closed_item] = [i for i in listing.thematic if i.group.name == "Andere besloten groep"]
    assert closed_item.thread_count is None
    assert listing.mine[0].thread_count == 1
    assert listing.mine[0].unread_count == 1


def test_member_sectors_count_active_members_per_sector(app, make_user):
    group = make_group()
    for sector in ("politie", "politie", "onderwijs"):
        join(group, make_user(sector=sector))
    join(group, make_user(sector="ggz"), status="requested")
    join(group, make_user(sector="ggz", status="suspended"))
    breakdown = [(sector.key, count) for sector, count in queries.member_sectors(group)]
    assert breakdown == [("politie", 2), ("onderwijs", 1)]


def test_member_sectors_show_a_join_at_once_and_a_new_sector_within_a_minute(
    app, make_user, monkeypatch
):
    group = make_group()
    anna = make_user(sector="politie")
    join(group, anna)
    db.session.refresh(group)
    assert [(s.key, n) for s, n in queries.member_sectors(group)] == [("politie", 1)]

    join(group, make_user(sector="onderwijs"))  # the member count changes: counted again
    db.session.refresh(group)
    assert [(s.key, n) for s, n in queries.member_sectors(group)] == [
        ("onderwijs", 1),  # a tie: in the taxonomy's order
        ("politie", 1),
    ]

    anna.sector_id = term(Sector, "onderwijs").id  # same member count: kept a minute
    db.session.commit()
    assert [(s.key, n) for s, n in queries.member_sectors(group)] == [
        ("onderwijs", 1),  # a tie: in the taxonomy's order
        ("politie", 1),
    ]
    later = time.monotonic() + queries.MEMBER_SECTORS_SECONDS + 1
    monkeypatch.setattr(queries.time, "monotonic", lambda: later)
    assert [(s.key, n) for s, n in queries.member_sectors(group)] == [("onderwijs", 2)]
