"""The quarterly email: opt-in for policy officers, once per quarter, one-click
unsubscribe (RFC 8058)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from core.extensions import db
from insight.models import QuarterlySubscription
from insight.quarterly import send_quarterly_summaries
from insight.rollups import refresh_rollups
from insight.services import set_quarterly_subscription
from tests.conftest import first_link, sent_emails

EARLY_Q4 = datetime(2026, 10, 2, 7, 0, tzinfo=UTC)


@pytest.fixture
def officer(utrecht, make_user):
    user = make_user("Marieke Beleid", role="policy", region="utrecht", email="beleid@gemeente.nl")
    set_quarterly_subscription(user.id, True)
    refresh_rollups(EARLY_Q4)
    db.session.commit()
    return user


def test_a_subscribed_policy_officer_gets_last_quarter_once(officer):
    assert send_quarterly_summaries(EARLY_Q4) == 1
    db.session.commit()
    assert send_quarterly_summaries(EARLY_Q4) == 0  # the next day's run, or a second beat
    db.session.commit()
    [email] = sent_emails(to="beleid@gemeente.nl")
    assert email.idempotency_key == f"insight:{officer.id}:2026-Q3"
    assert email.kind == "insight"
    assert "Q3 2026" in email.subject
    assert "Utrecht" in email.subject


def test_the_summary_is_bulk_mail_with_one_click_unsubscribe(officer, client):
    send_quarterly_summaries(EARLY_Q4)
    db.session.commit()
    [email] = sent_emails(to="beleid@gemeente.nl")
    assert email.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = email.headers["List-Unsubscribe"].strip("<>")
    assert url.startswith("http://localhost/inzicht/afmelden/")
    assert "< 5" in email.text_body
    assert "Docent" not in email.text_body
    path = first_link(email.text_body, "/inzicht/afmelden/")
    assert client.get(path).status_code == 200  # a page with a button, no change yet
    assert db.session.scalar(select(QuarterlySubscription.id)) is not None
    assert client.post(path).status_code == 200  # what the mail client does: no CSRF, no login
    db.session.expire_all()
    assert db.session.scalar(select(QuarterlySubscription.id)) is None


def test_a_forged_unsubscribe_token_changes_nothing(officer, client):
    assert client.post("/inzicht/afmelden/not-a-token").status_code == 400
    assert db.session.scalar(select(QuarterlySubscription.id)) is not None


def test_nobody_gets_it_without_opting_in_or_without_the_policy_role(utrecht, make_user):
    make_user("Niet aangemeld", role="policy", region="utrecht")
    member = make_user("Geen beleid", region="utrecht")
    set_quarterly_subscription(member.id, True)  # a role taken away after opting in
    db.session.commit()
    assert send_quarterly_summaries(EARLY_Q4) == 0


def test_a_national_officer_gets_the_overview_of_all_regions(utrecht, make_user):
    user = make_user("Landelijk beleid", role="policy", region="landelijk", language="en")
    set_quarterly_subscription(user.id, True)
    db.session.commit()
    send_quarterly_summaries(EARLY_Q4)
    db.session.commit()
    [email] = sent_emails(to=user.email)
    assert "all regions" in email.subject
    assert "Utrecht" in email.text_body


def test_opting_in_and_out_on_the_overview_page(utrecht, make_user, login, app):
    officer = make_user("Beleid", role="policy", region="utrecht")
    client = app.test_client()
    login(client, officer)
    assert "Kwartaaloverzicht ontvangen" in client.get("/inzicht").get_data(as_text=True)
    client.post("/inzicht/kwartaalmail", data={"subscribe": "1"})
    assert db.session.scalar(select(QuarterlySubscription.user_id)) == officer.id
    assert "Kwartaaloverzicht stopzetten" in client.get("/inzicht").get_data(as_text=True)
    client.post("/inzicht/kwartaalmail", data={"subscribe": "0"})
    assert db.session.scalar(select(QuarterlySubscription.user_id)) is None


def test_members_cannot_subscribe(utrecht, login, app):
    client = app.test_client()
    login(client, utrecht.people["t2"])
    assert client.post("/inzicht/kwartaalmail", data={"subscribe": "1"}).status_code == 403
    assert "Kwartaaloverzicht" not in client.get("/inzicht").get_data(as_text=True)


def test_the_beat_task_sends_the_summaries(officer):
    from tasks.insight import send_quarterly_summaries as task

    assert task.apply(args=[EARLY_Q4.isoformat()]).get() == 1
    assert task.apply(args=[EARLY_Q4.isoformat()]).get() == 0


def test_deleting_the_account_ends_the_subscription(officer):
    from auth.avg import delete_account

    delete_account(officer)
    db.session.commit()
    assert db.session.scalar(select(QuarterlySubscription.id)) is None
    assert send_quarterly_summaries(EARLY_Q4) == 0
