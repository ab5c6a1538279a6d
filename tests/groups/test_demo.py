"""`flask seed demo`'s groups content: realistic, cross-sector, idempotent, anonymous."""

from __future__ import annotations

from sqlalchemy import func, select

from auth.models import User
from core.extensions import db
from core.privacy.guard import scan_text
from forum import demo as forum_demo
from forum.models import Post, Thread
from groups import demo as groups_demo
from groups.demo import DEMO_PASSWORD
from groups.models import Group, Membership


def seed_demo() -> list[tuple[str, str, str]]:
    """The groups' demo (members, groups) and the forum's (conversations), in order."""
    return groups_demo.seed_demo() + forum_demo.seed_demo()


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_demo_is_idempotent_and_returns_the_logins(app):
    logins = seed_demo()
    db.session.commit()
    counts = [count(User), count(Group), count(Membership), count(Thread), count(Post)]
    assert seed_demo() == logins
    db.session.commit()
    assert [count(User), count(Group), count(Membership), count(Thread), count(Post)] == counts
    roles = {email: role for email, _password, role in logins}
    assert roles["beheer@demo.platformjep.nl"] == "admin"
    assert roles["moderator@demo.platformjep.nl"] == "moderator"
    assert {password for _email, password, _role in logins} == {DEMO_PASSWORD}


def test_the_demo_content_is_realistic_cross_sector_and_anonymous(app):
    """One seed, several checks: seeding is the slow part (password hashing)."""
    seed_demo()
    db.session.commit()
    check_members_come_from_eight_sectors_in_several_regions()
    check_groups_have_the_right_visibility_and_coordinators()
    check_threads_are_questions_and_nested_discussions_across_sectors()
    check_no_post_contains_personal_data()


def check_members_come_from_eight_sectors_in_several_regions():
    members = db.session.scalars(
        select(User).where(User.role == "member", User.email.like("%@demo.platformjep.nl"))
    ).all()
    assert len(members) >= 10
    assert len({m.sector_id for m in members}) >= 8
    assert len({m.region_id for m in members}) >= 3
    assert all(m.is_active_member and m.function_id and m.organisation for m in members)


def check_groups_have_the_right_visibility_and_coordinators():
    groups = {g.slug: g for g in db.session.scalars(select(Group))}
    assert groups["online-radicalisering"].visibility == "members"
    assert groups["onderwijs-en-jongerenwerk"].visibility == "members"
    assert groups["casuistiek-rotterdam-rijnmond"].visibility == "closed"
    assert (groups["intervisie-utrecht"].visibility, groups["intervisie-utrecht"].kind) == (
        "secret",
        "intervision",
    )
    for group in groups.values():
        active = db.session.scalar(
            select(func.count(Membership.id)).where(
                Membership.group_id == group.id, Membership.status == "active"
            )
        )
        assert group.member_count == active
    for slug in ("online-radicalisering", "casuistiek-rotterdam-rijnmond", "intervisie-utrecht"):
        assert db.session.scalar(
            select(func.count(Membership.id)).where(
                Membership.group_id == groups[slug].id, Membership.role == "coordinator"
            )
        )


def check_threads_are_questions_and_nested_discussions_across_sectors():
    threads = db.session.scalars(select(Thread)).all()
    questions = [t for t in threads if t.kind == "question"]
    assert any(t.accepted_post_id for t in questions)
    assert any(not t.accepted_post_id for t in questions)
    assert db.session.scalar(select(func.max(Post.depth))) >= 3
    sectors_per_thread = dict(
        db.session.execute(
            select(Post.thread_id, func.count(func.distinct(User.sector_id)))
            .join(User, User.id == Post.author_id)
            .group_by(Post.thread_id)
        ).all()
    )
    assert max(sectors_per_thread.values()) >= 3
    for thread in threads:
        posts = db.session.scalars(select(Post).where(Post.thread_id == thread.id)).all()
        assert thread.reply_count == len(posts) - 1
        assert thread.last_post_id == max(p.id for p in posts)
        assert thread.first_post_id == min(p.id for p in posts)


def check_no_post_contains_personal_data():
    for post in db.session.scalars(select(Post)):
        result = scan_text(post.body_source)
        assert not result.findings, (post.id, [f.kind for f in result.findings])
    for thread in db.session.scalars(select(Thread)):
        assert not scan_text(thread.title).findings
