"""Which digests are due (time zones, DST), and each one is sent exactly once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from core.extensions import db
from core.i18n import zone_for
from notifications.delivery import due_members, period_key, send_digest
from notifications.models import DigestRun, NotificationPreference
from tests.conftest import sent_emails

# Monday 5 October 2026 (summer time, UTC+2) and Monday 2 November 2026 (winter, UTC+1).
SUMMER_MONDAY_8 = datetime(2026, 10, 5, 6, 0, tzinfo=UTC)
WINTER_MONDAY_8 = datetime(2026, 11, 2, 7, 0, tzinfo=UTC)


def _ids(frequency, now):
    return {user_id for user_id, _ in due_members(frequency, now)}


def test_weekly_digest_is_due_monday_8_amsterdam_time_in_summer_and_winter(app, make_user):
    member = make_user(digest_opt_in=True)
    assert member.id in _ids("weekly", SUMMER_MONDAY_8)
    assert member.id not in _ids("weekly", SUMMER_MONDAY_8 + timedelta(hours=1))
    assert member.id in _ids("weekly", WINTER_MONDAY_8)
    assert member.id not in _ids("weekly", WINTER_MONDAY_8 - timedelta(hours=1))


def test_due_time_follows_the_members_own_zone_and_choice(app, make_user):
    curacao = make_user(timezone="America/Curacao")  # UTC-4
    db.session.add(NotificationPreference(user_id=curacao.id, digest_frequency="daily",
                                          digest_hour=7))  # fmt: skip
    never = make_user()
    db.session.commit()
    assert _ids("daily", datetime(2026, 10, 6, 11, 0, tzinfo=UTC)) == {curacao.id}
    assert never.id not in _ids("weekly", SUMMER_MONDAY_8)


def test_period_keys_name_the_local_day_and_iso_week(app):
    zone = zone_for("Europe/Amsterdam")
    late_sunday_utc = datetime(2026, 10, 4, 22, 30, tzinfo=UTC)  # Monday 00:30 local
    assert period_key("daily", late_sunday_utc, zone) == "daily:2026-10-05"
    assert period_key("weekly", late_sunday_utc, zone) == "weekly:2026-W41"


def _member_with_news(make_user, make_group, make_thread):
    member, other = make_user(digest_opt_in=True), make_user()
    group = make_group(members=[member, other])
    make_thread(group, other, title="Nieuw gesprek")
    return member


def test_sending_the_same_digest_twice_queues_one_email(app, make_user, make_group, make_thread):
    from datetime import UTC as utc

    member = _member_with_news(make_user, make_group, make_thread)
    now = datetime.now(utc)
    first = send_digest(member.id, "weekly:2026-W41", now)
    db.session.commit()
    second = send_digest(member.id, "weekly:2026-W41", now)
    db.session.commit()
    assert (first.status, second.status) == ("sent", "duplicate")
    [email] = sent_emails(kind="digest")
    assert email.idempotency_key == f"digest:{member.id}:weekly:2026-W41"
    assert "1 nieuw gesprek" in email.subject
    assert email.headers["List-Unsubscribe"].startswith("<http://localhost/unsubscribe/")


def test_an_empty_digest_is_recorded_but_not_sent(app, make_user):
    member = make_user(digest_opt_in=True)
    outcome = send_digest(member.id, "weekly:2026-W41", datetime.now(UTC))
    db.session.commit()
    assert outcome.status == "empty"
    assert sent_emails() == []
    assert db.session.scalar(select(DigestRun.status)) == "empty"


def test_digest_task_run_twice_sends_one_email(app, make_user, make_group, make_thread):
    from tasks.notifications import send_digest as task

    member = _member_with_news(make_user, make_group, make_thread)
    now = datetime.now(UTC).isoformat()
    assert task.apply(args=[member.id, "daily:2026-10-05", now]).get() == "sent"
    assert task.apply(args=[member.id, "daily:2026-10-05", now]).get() == "duplicate"
    db.session.expire_all()
    assert len(sent_emails(kind="digest")) == 1


def test_cli_queues_due_digests_and_a_second_run_sends_nothing_new(
    app, make_user, make_group, make_thread
):
    member = _member_with_news(make_user, make_group, make_thread)
    # Make the thread fall in the period before the chosen "now".
    runner = app.test_cli_runner()
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    local = now.astimezone(zone_for(member.timezone))
    db.session.add(NotificationPreference(user_id=member.id, digest_frequency="weekly",
                                          digest_weekday=local.weekday(),
                                          digest_hour=local.hour))  # fmt: skip
    db.session.commit()
    for _ in range(2):
        result = runner.invoke(args=["digests", "send", "--frequency", "weekly",
                                     "--now", now.isoformat()])  # fmt: skip
        assert result.exit_code == 0, result.output
        assert "1 weekly digest(s) queued" in result.output
    db.session.expire_all()
    [email] = sent_emails(kind="digest")
    assert email.to_address == member.email
    assert email.status == "sent"


def test_digest_email_is_in_the_members_language_with_local_dates(
    app, make_user, make_group, make_thread
):
    from events.models import Event

    member, other = make_user(language="en", timezone="Europe/London"), make_user()
    group = make_group(members=[member, other])
    start = datetime(2030, 1, 7, 9, 30, tzinfo=UTC)
    db.session.add(Event(group_id=group.id, title="Webinar", starts_at=start,
                         ends_at=start + timedelta(hours=1), capacity=10,
                         confirmed_count=4))  # fmt: skip
    db.session.commit()
    send_digest(member.id, "weekly:2030-W01", datetime(2030, 1, 1, 8, tzinfo=UTC))
    db.session.commit()
    [email] = sent_emails(kind="digest")
    assert "Webinar" in email.text_body
    assert "09:30" in email.text_body  # London winter time = UTC
    assert 'lang="en"' in email.html_body
    assert "<h2" in email.html_body


def test_the_candidate_cache_is_shared_within_a_run_and_reloaded_for_the_next(app):
    from notifications.delivery import CandidateCache

    cache = CandidateCache(ttl=60)
    now = datetime.now(UTC)
    first = cache.get(now, "run-1")
    assert cache.get(now, "run-1") is first
    assert cache.get(now, "run-2") is not first  # a new run (a second beat, the CLI)
    assert cache.get(now, None) is not cache.get(now, None)  # no run: always fresh
    expired = CandidateCache(ttl=0)
    assert expired.get(now, "run-1") is not expired.get(now, "run-1")


def test_a_batch_sends_each_member_their_own_digest_once(app, make_user, make_group, make_thread):
    from notifications.delivery import send_digests

    now = datetime.now(UTC)
    members = [make_user(digest_opt_in=True) for _ in range(4)]
    other = make_user()
    group = make_group(members=[*members[:3], other])
    make_thread(group, other, title="Voor de groep")
    lonely = members[3]  # in no group: an empty digest
    suspended = make_user()
    suspended.status = "suspended"
    db.session.commit()
    assert send_digest(members[0].id, "weekly:2026-W41", now).status == "sent"
    db.session.commit()
    ids = [m.id for m in members] + [suspended.id, 999_999]
    outcomes = send_digests(ids, "weekly:2026-W41", now)
    db.session.commit()
    assert {i: o.status for i, o in outcomes.items()} == {
        members[0].id: "duplicate", members[1].id: "sent", members[2].id: "sent",
        lonely.id: "empty", suspended.id: "skipped", 999_999: "skipped",
    }  # fmt: skip
    emails = sent_emails(kind="digest")
    assert sorted(e.to_address for e in emails) == sorted(m.email for m in members[:3])
    assert all("Voor de groep" in e.text_body for e in emails)


def test_a_batch_takes_the_same_number_of_queries_for_more_members(
    app, make_user, make_group, make_thread
):
    from notifications.delivery import candidate_cache, send_digests
    from tests.conftest import count_queries

    other = make_user()
    members = [make_user(digest_opt_in=True) for _ in range(12)]
    group = make_group(members=[*members, other])
    make_thread(group, other)
    now = datetime.now(UTC)
    candidates = candidate_cache.get(now, "run")

    ids = [m.id for m in members]

    def measure(batch, key):
        with count_queries() as counter:
            send_digests(batch, key, now, candidates=candidates)
        db.session.commit()
        return counter.count

    # members, their runs, memberships and mutes, new replies, chosen threads, the runs
    # and the emails inserted: 7 for 2 members and for 10.
    assert measure(ids[:2], "weekly:2026-W41") == measure(ids[2:], "weekly:2026-W42") == 7


def test_due_members_are_enqueued_in_batches_per_period(app, make_user, make_group, make_thread):
    from unittest import mock

    from notifications.delivery import enqueue_due_digests

    amsterdam = [make_user(digest_opt_in=True) for _ in range(3)]
    london = make_user(digest_opt_in=True, timezone="Europe/London")
    db.session.add(NotificationPreference(user_id=london.id, digest_frequency="weekly",
                                          digest_hour=7))  # fmt: skip
    db.session.commit()
    calls = []
    with mock.patch("tasks.notifications.send_digests.apply_async",
                    side_effect=lambda args: calls.append(args)):  # fmt: skip
        count = enqueue_due_digests("weekly", SUMMER_MONDAY_8)
    assert count == 4
    batches = {key: ids for ids, key, _now, _run in calls}
    assert batches == {"weekly:2026-W41": [m.id for m in amsterdam] + [london.id]}
