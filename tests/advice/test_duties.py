"""What beat does: the reminder before a question goes late (exactly once), the morning
overview, the retention purge; and the account deletion that erases a member's questions."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from advice import services
from advice.models import AdviceMessage, AdviceQuestion
from advice.queries import team_numbers
from advice.reminders import send_due_reminders, send_morning_overviews
from advice.retention import purge_expired_questions
from core.extensions import db
from tests.conftest import sent_emails

AMS = ZoneInfo("Europe/Amsterdam")
MONDAY_9 = datetime(2026, 12, 7, 9, 0, tzinfo=AMS)  # due Wednesday 9 December, 17:00


def _assigned_question(make_user, ask_advice, adviser, **fields):
    question = ask_advice(make_user(), now=MONDAY_9, **fields)
    services.take_question(question, adviser)
    db.session.commit()
    return question


def _reminders(adviser):
    return [m for m in sent_emails(to=adviser.email) if m.subject.startswith("Herinnering")]


def test_the_assigned_adviser_is_reminded_once_before_the_question_goes_late(
    app, make_user, ask_advice
):
    adviser = make_user(role="adviser")
    question = _assigned_question(make_user, ask_advice, adviser)
    too_early = question.due_at - timedelta(hours=30)
    assert send_due_reminders(too_early, hours=24) == 0
    soon = question.due_at - timedelta(hours=5)
    assert send_due_reminders(soon, hours=24) == 1
    db.session.commit()
    assert send_due_reminders(soon + timedelta(minutes=15), hours=24) == 0  # the next run
    db.session.commit()
    assert len(_reminders(adviser)) == 1


def test_a_retried_run_sends_no_second_reminder(app, make_user, ask_advice):
    """A task that ran but whose acknowledgement was lost runs again: the flag and the
    outbox's idempotency key each stop the second email."""
    adviser = make_user(role="adviser")
    question = _assigned_question(make_user, ask_advice, adviser)
    soon = question.due_at - timedelta(hours=2)
    # A run that fails before its commit leaves nothing behind and is retried.
    assert send_due_reminders(soon, hours=24) == 1
    db.session.rollback()
    assert send_due_reminders(soon, hours=24) == 1
    db.session.commit()
    # Even with the flag lost, the outbox refuses the same reminder twice.
    db.session.execute(AdviceQuestion.__table__.update().values(reminder_sent_at=None))
    db.session.commit()
    assert send_due_reminders(soon, hours=24) == 0
    db.session.commit()
    assert len(_reminders(adviser)) == 1


def test_the_celery_task_twice_queues_one_reminder(app, make_user, ask_advice):
    from tasks.advice import send_reminders

    adviser = make_user(role="adviser")
    question = _assigned_question(make_user, ask_advice, adviser)
    when = (question.due_at - timedelta(hours=3)).isoformat()
    assert send_reminders.apply(kwargs={"now_iso": when}).get() == 1
    assert send_reminders.apply(kwargs={"now_iso": when}).get() == 0
    assert len(_reminders(adviser)) == 1


def test_answered_and_unassigned_questions_are_not_reminded(app, make_user, ask_advice):
    adviser = make_user(role="adviser")
    answered = _assigned_question(make_user, ask_advice, adviser)
    services.post_message(answered, adviser, "Een eerste antwoord.")
    ask_advice(make_user(), now=MONDAY_9)  # nobody took it
    db.session.commit()
    assert send_due_reminders(answered.due_at - timedelta(hours=2), hours=24) == 0


def test_a_new_adviser_after_a_hand_over_is_reminded_in_turn(app, make_user, ask_advice):
    first, second = make_user(role="adviser"), make_user(role="adviser")
    question = _assigned_question(make_user, ask_advice, first)
    soon = question.due_at - timedelta(hours=4)
    send_due_reminders(soon, hours=24)
    services.hand_over(question, first, second)
    db.session.commit()
    assert send_due_reminders(soon, hours=24) == 1
    db.session.commit()
    assert len(_reminders(first)) == len(_reminders(second)) == 1


def test_advisers_get_one_morning_overview_on_working_days(app, make_user, ask_advice):
    adviser = make_user(role="adviser")
    make_user(role="adviser")  # another adviser: gets the unassigned question too
    late = ask_advice(make_user(), subject="Oude vraag", now=MONDAY_9 - timedelta(days=7))
    ask_advice(make_user(), subject="Acute vraag", urgency="acuut", now=MONDAY_9)
    db.session.commit()
    wednesday_8 = datetime(2026, 12, 9, 8, 0, tzinfo=AMS)
    assert send_morning_overviews(wednesday_8 - timedelta(hours=1), hour=8) == 0
    assert send_morning_overviews(wednesday_8, hour=8) == 2
    db.session.commit()
    assert send_morning_overviews(wednesday_8 + timedelta(minutes=30), hour=8) == 0
    saturday_8 = datetime(2026, 12, 12, 8, 0, tzinfo=AMS)
    assert send_morning_overviews(saturday_8, hour=8) == 0
    overview = [m for m in sent_emails(to=adviser.email) if "Adviesvragen" in m.subject]
    assert len(overview) == 1
    text = overview[0].text_body
    assert text.index("Acute vraag") < text.index("Oude vraag")  # the queue's order
    assert f"/advies/{late.id}" in text
    assert "te laat" in text


def test_closed_questions_are_erased_after_the_retention_period_keeping_the_numbers(
    app, make_user, ask_advice
):
    adviser = make_user(role="adviser")
    old = ask_advice(make_user(), subject="Oude casus", now=MONDAY_9 - timedelta(days=400))
    services.post_message(old, adviser, "Antwoord.", now=MONDAY_9 - timedelta(days=399))
    services.close_question(old, adviser, "beantwoord", now=MONDAY_9 - timedelta(days=398))
    recent = ask_advice(make_user(), now=MONDAY_9 - timedelta(days=30))
    services.close_question(recent, adviser, "beantwoord", now=MONDAY_9 - timedelta(days=29))
    still_open = ask_advice(make_user(), now=MONDAY_9 - timedelta(days=500))
    db.session.commit()
    before = team_numbers(MONDAY_9 - timedelta(days=600))

    assert purge_expired_questions(MONDAY_9, days=365) == 1
    db.session.commit()
    assert purge_expired_questions(MONDAY_9, days=365) == 0  # idempotent

    erased = db.session.get(AdviceQuestion, old.id)
    assert erased.erased_at is not None
    assert (erased.subject, erased.body_source, erased.asker_id, erased.adviser_id) == (
        None, None, None, None,
    )  # fmt: skip
    assert erased.first_answered_at is not None
    assert erased.urgency == "normaal"
    assert db.session.scalar(select(func.count()).select_from(AdviceMessage)) == 0
    assert db.session.get(AdviceQuestion, recent.id).subject is not None
    assert db.session.get(AdviceQuestion, still_open.id).subject is not None
    after = team_numbers(MONDAY_9 - timedelta(days=600))
    assert [(m.month, m.total.asked, m.total.answered_in_time) for m in after] == [
        (m.month, m.total.asked, m.total.answered_in_time) for m in before
    ]


def test_deleting_an_account_erases_the_members_questions(app, make_user, ask_advice):
    from auth.avg import delete_account

    asker = make_user()
    question = ask_advice(asker, subject="Mijn vraag")
    other = ask_advice(make_user(), subject="Andermans vraag")
    delete_account(asker)
    db.session.commit()
    assert db.session.get(AdviceQuestion, question.id).subject is None
    assert db.session.get(AdviceQuestion, question.id).asker_id is None
    assert db.session.get(AdviceQuestion, other.id).subject == "Andermans vraag"


def test_team_numbers_count_in_time_answers_and_the_median_per_month(app, make_user, ask_advice):
    adviser = make_user(role="adviser")
    asked = [MONDAY_9, MONDAY_9 + timedelta(hours=1), MONDAY_9 + timedelta(hours=2)]
    hours_to_answer = [2, 10, 80]  # the last is after Wednesday 17:00: late
    for start, hours in zip(asked, hours_to_answer, strict=True):
        question = ask_advice(make_user(sector="politie"), urgency="spoed", now=start)
        services.post_message(question, adviser, "Antwoord.", now=start + timedelta(hours=hours))
    ask_advice(make_user(sector="onderwijs"), now=MONDAY_9)
    db.session.commit()
    [december] = team_numbers(MONDAY_9 - timedelta(days=1))
    assert december.month == "2026-12"
    assert (december.total.asked, december.total.answered, december.total.answered_in_time) == (
        4, 3, 2,
    )  # fmt: skip
    assert december.total.median_hours == 10
    assert december.by_urgency["spoed"].asked == 3
    assert december.by_urgency["normaal"].answered == 0
    assert sum(f.asked for f in december.by_sector.values()) == 4
