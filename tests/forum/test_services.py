"""Forum services: threads, replies, edits, reactions, answers and the signals they send."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core import signals
from core.audit import AuditEvent
from core.db import utcnow
from core.extensions import db
from core.taxonomy import Tag
from forum import services
from forum.models import Post, PostRevision, Reaction, Thread, ThreadRead, ThreadWatch

BSN_WITH_KEYWORD = "Zijn BSN is 111222333, dat staat in het dossier."
PHONE = "Je kunt de moeder bellen op 06-12345678 als dat nodig is."


@contextmanager
def captured(signal):
    calls = []

    def receiver(sender, **kwargs):
        calls.append(kwargs)

    signal.connect(receiver)
    try:
        yield calls
    finally:
        signal.disconnect(receiver)


@pytest.fixture
def setting(make_user, make_group, join):
    asker = make_user("Anna de Vries", sector="onderwijs")
    helper = make_user("Bram Jansen", sector="politie")
    group = make_group(visibility="closed")
    join(group, asker)
    join(group, helper)
    return group, asker, helper


def test_creating_a_thread_stores_the_opening_post_and_watches_it(setting):
    group, asker, _helper = setting
    tags = list(db.session.scalars(select(Tag).order_by(Tag.position).limit(2)))
    with captured(signals.thread_created) as calls:
        thread = services.create_thread(
            group,
            asker,
            title="  Hoe  bespreek ik dit met ouders? ",
            body="**Situatie**\n\nEen leerling deelt filmpjes.",
            kind="question",
            tag_ids=[tags[0].id, tags[1].id, 99999],
        )
    db.session.commit()
    assert thread.title == "Hoe bespreek ik dit met ouders?"
    assert thread.first_post.body_html.startswith("<p><strong>Situatie</strong>")
    assert thread.last_post_id == thread.first_post_id
    assert thread.reply_count == 0
    assert [t.id for t in thread.tags] == [tags[0].id, tags[1].id]
    assert asker.last_post_at is not None
    watch = db.session.scalar(select(ThreadWatch).where(ThreadWatch.thread_id == thread.id))
    assert (watch.user_id, watch.level) == (asker.id, "watch")
    assert calls == [{"thread": thread, "post": thread.first_post}]


def test_a_thread_title_from_any_caller_loses_directional_overrides(setting):
    group, asker, _helper = setting
    thread = services.create_thread(group, asker, title="\u202eAgenda\u202c voor \u2067maandag",
                                    body="Wat vinden jullie?")  # fmt: skip
    assert thread.title == "Agenda voor maandag"


def test_unknown_thread_kind_is_refused(setting):
    group, asker, _ = setting
    with pytest.raises(ValueError, match="kind"):
        services.create_thread(group, asker, title="Titel hier", body="x", kind="poll")


def test_nested_replies_know_their_depth_and_top_level_reply(setting, post_thread):
    group, asker, helper = setting
    thread = post_thread(group, asker)
    with captured(signals.post_created) as calls:
        first = services.create_reply(thread, helper, body="Top-level")
        second = services.create_reply(thread, asker, body="Antwoord", parent=first)
        third = services.create_reply(thread, helper, body="Dieper", parent=second)
    db.session.commit()
    assert (first.depth, first.parent_id) == (1, None)
    assert (second.depth, second.parent_id) == (2, first.id)
    assert (third.depth, third.parent_id) == (3, second.id)
    db.session.refresh(thread)
    assert thread.reply_count == 3
    assert thread.last_post_id == third.id
    assert [c["post"] for c in calls] == [first, second, third]
    assert all(c["mentioned_user_ids"] == [] for c in calls)


def test_replying_to_the_opening_post_is_a_top_level_reply(setting, post_thread):
    group, asker, helper = setting
    thread = post_thread(group, asker)
    reply = services.create_reply(thread, helper, body="Ja", parent=thread.first_post)
    assert (reply.depth, reply.parent_id) == (1, None)


def test_a_parent_from_another_thread_is_refused(setting, post_thread, post_reply):
    group, asker, helper = setting
    other = post_reply(post_thread(group, asker), helper)
    with pytest.raises(ValueError, match="another thread"):
        services.create_reply(post_thread(group, asker), helper, body="x", parent=other)


def test_mentions_link_to_readable_members_and_are_reported(setting, post_thread, make_user, join):
    group, asker, helper = setting
    outsider = make_user("Carla Smit")  # not a member of the closed group
    make_user("Dirk Bakker")
    make_user("Dirk Bakker")  # ambiguous
    thread = post_thread(group, asker)
    with captured(signals.post_created) as calls:
        post = services.create_reply(
            thread,
            asker,
            body=(
                "Vraag aan @[Bram Jansen] en @Bram_Jansen, ook @[Carla Smit], "
                "@[Dirk Bakker], `@[Bram Jansen]` en @[Anna de Vries]."
            ),
        )
    assert post.body_html.count(f'href="/members/{helper.id}"') == 2
    assert f"/members/{outsider.id}" not in post.body_html
    assert "@[Carla Smit]" in post.body_html
    assert "@[Dirk Bakker]" in post.body_html
    assert "<code>@[Bram Jansen]</code>" in post.body_html
    assert post.body_source.startswith("Vraag aan @[Bram Jansen]")
    # Mentioning yourself notifies nobody; the helper is reported once.
    assert calls[0]["mentioned_user_ids"] == [helper.id]


def test_mentions_in_the_opening_post_travel_on_the_post(setting):
    group, asker, helper = setting
    with captured(signals.thread_created) as calls:
        thread = services.create_thread(
            group, asker, title="Met vermelding", body="Hoi @Bram_Jansen"
        )
    assert calls[0]["post"].mentioned_user_ids == (helper.id,)
    assert f"/members/{helper.id}" in thread.first_post.body_html


def test_a_bsn_with_its_keyword_blocks_saving_even_when_checked(setting):
    group, asker, _ = setting
    with pytest.raises(services.PrivacyGuardError) as caught:
        services.create_thread(
            group, asker, title="Titel hier", body=BSN_WITH_KEYWORD, privacy_checked=True
        )
    assert caught.value.is_blocked
    assert caught.value.kinds == ["bsn"]
    assert "111222333" not in str(caught.value)
    assert db.session.scalar(select(func.count(Thread.id))) == 0


def test_a_warning_needs_the_check_and_is_then_remembered(setting, post_thread):
    group, asker, helper = setting
    thread = post_thread(group, asker)
    with pytest.raises(services.PrivacyGuardError) as caught:
        services.create_reply(thread, helper, body=PHONE)
    assert not caught.value.is_blocked
    assert caught.value.kinds == ["phone"]
    post = services.create_reply(thread, helper, body=PHONE, privacy_checked=True)
    assert post.privacy_override is True


def test_the_title_is_scanned_too(setting):
    group, asker, _ = setting
    with pytest.raises(services.PrivacyGuardError) as caught:
        services.create_thread(group, asker, title="Bel 06-12345678 aub", body="Tekst")
    assert caught.value.title.kinds == ["phone"]


def test_editing_keeps_every_earlier_version(setting, post_thread, post_reply):
    group, asker, helper = setting
    post = post_reply(post_thread(group, asker), helper, body="Versie 1")
    with captured(signals.post_edited) as calls:
        services.edit_post(post, helper, body="Versie 2")
        services.edit_post(post, helper, body="Versie 3")
        services.edit_post(post, helper, body="Versie 3")  # unchanged: no new revision
    db.session.commit()
    revisions = db.session.scalars(
        select(PostRevision.body_source)
        .where(PostRevision.post_id == post.id)
        .order_by(PostRevision.id)
    ).all()
    assert revisions == ["Versie 1", "Versie 2"]
    assert post.body_html == "<p>Versie 3</p>\n"
    assert post.edited_at is not None
    assert len(calls) == 3
    assert calls[0] == {"post": post, "editor": helper}


def test_editing_the_opening_post_may_change_the_title(setting, post_thread):
    group, asker, _ = setting
    thread = post_thread(group, asker)
    services.edit_post(thread.first_post, asker, body="Nieuw", title="Een betere titel")
    assert thread.title == "Een betere titel"


def test_edits_go_through_the_privacy_guard(setting, post_thread, post_reply):
    group, asker, helper = setting
    post = post_reply(post_thread(group, asker), helper, body="Schoon")
    with pytest.raises(services.PrivacyGuardError):
        services.edit_post(post, helper, body=BSN_WITH_KEYWORD, privacy_checked=True)
    db.session.rollback()
    assert db.session.get(Post, post.id).body_source == "Schoon"


def test_deleting_keeps_the_tree_and_recounts(setting, post_thread, post_reply):
    group, asker, helper = setting
    thread = post_thread(group, asker, kind="question")
    first = post_reply(thread, helper)
    child = post_reply(thread, asker, parent=first)
    services.accept_answer(thread, first, asker)
    with captured(signals.post_moderated) as calls:
        services.delete_post(first, helper)
        services.delete_post(first, helper)  # twice is once
    db.session.commit()
    db.session.refresh(thread)
    assert first.deleted_at is not None
    assert db.session.get(Post, child.id).parent_id == first.id
    assert thread.reply_count == 1
    assert thread.last_post_id == child.id
    assert thread.accepted_post_id is None
    assert calls == [{"post": first, "action": "delete", "actor": helper, "reason": ""}]


def test_reactions_toggle_and_count_one_of_each_per_member(setting, post_thread, post_reply):
    group, asker, helper = setting
    post = post_reply(post_thread(group, asker), helper)
    assert services.toggle_reaction(post, asker, "useful") is True
    assert services.toggle_reaction(post, asker, "thanks") is True
    db.session.commit()
    assert (post.useful_count, post.thanks_count) == (1, 1)
    assert services.toggle_reaction(post, asker, "useful") is False
    db.session.commit()
    assert (post.useful_count, post.thanks_count) == (0, 1)
    assert db.session.scalar(select(func.count(Reaction.id))) == 1
    with pytest.raises(ValueError, match="reaction"):
        services.toggle_reaction(post, asker, "like")


def test_accepting_an_answer_and_taking_it_back(setting, post_thread, post_reply):
    group, asker, helper = setting
    thread = post_thread(group, asker, kind="question")
    reply = post_reply(thread, helper)
    with captured(signals.answer_accepted) as calls:
        assert services.accept_answer(thread, reply, asker) is True
    assert thread.is_answered
    assert calls == [{"thread": thread, "post": reply, "actor": asker}]
    assert services.accept_answer(thread, reply, asker) is False
    assert not thread.is_answered


def test_pin_lock_and_move_are_audited_and_signalled(setting, post_thread, make_group, make_user):
    group, asker, _ = setting
    coordinator = make_user()
    thread = post_thread(group, asker)
    target = make_group()
    with captured(signals.thread_changed) as calls:
        services.set_pinned(thread, coordinator, True)
        services.set_locked(thread, coordinator, True)
        services.move_thread(thread, target, coordinator)
    db.session.commit()
    assert thread.is_pinned
    assert thread.is_locked
    assert thread.group_id == target.id
    assert [c["action"] for c in calls] == ["pin", "lock", "move"]
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["thread.pin", "thread.lock", "thread.move"]


def test_marking_read_twice_keeps_one_row(setting, post_thread, post_reply):
    group, asker, helper = setting
    thread = post_thread(group, asker)
    services.mark_read(thread, helper)
    reply = post_reply(thread, asker)
    db.session.refresh(thread)
    services.mark_read(thread, helper)
    db.session.commit()
    rows = db.session.scalars(select(ThreadRead).where(ThreadRead.user_id == helper.id)).all()
    assert len(rows) == 1
    assert rows[0].last_read_post_id == reply.id


def test_watch_mute_and_back_to_default(setting, post_thread):
    group, asker, helper = setting
    thread = post_thread(group, asker)

    def level():
        return db.session.scalar(
            select(ThreadWatch.level).where(
                ThreadWatch.thread_id == thread.id, ThreadWatch.user_id == helper.id
            )
        )

    services.set_watch(thread, helper, "watch")
    assert level() == "watch"
    services.set_watch(thread, helper, "mute")
    assert level() == "mute"
    services.set_watch(thread, helper, "none")
    assert level() is None
    with pytest.raises(ValueError, match="watch level"):
        services.set_watch(thread, helper, "loud")


def test_new_members_wait_longer_between_posts(make_user):
    intervals = services.PostingIntervals(normal=15, new_member=60, new_member_days=7)
    now = utcnow()
    newcomer, veteran = make_user(), make_user()
    newcomer.approved_at = now - timedelta(days=2)
    veteran.approved_at = now - timedelta(days=30)
    assert services.seconds_until_next_post(newcomer, intervals, now) == 0
    newcomer.last_post_at = veteran.last_post_at = now - timedelta(seconds=10)
    assert services.seconds_until_next_post(newcomer, intervals, now) == 50
    assert services.seconds_until_next_post(veteran, intervals, now) == 5
    veteran.last_post_at = now - timedelta(seconds=20)
    assert services.seconds_until_next_post(veteran, intervals, now) == 0
