"""Preferences page, notification list with unread badge, unsubscribe without CSRF."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.extensions import db
from notifications.models import GroupMute, Notification, NotificationPreference
from notifications.unsubscribe import unsubscribe_url
from tests.conftest import count_queries


def _prefs(user):
    db.session.expire_all()
    return db.session.scalar(
        select(NotificationPreference).where(NotificationPreference.user_id == user.id)
    )


def test_preferences_page_saves_digest_toggles_and_group_mutes(app, member_client, make_group):
    client, user = member_client
    group = make_group(members=[user], name="Veiligheidsregio Test")
    page = client.get("/account/notifications")
    assert page.status_code == 200
    assert "Veiligheidsregio Test" in page.get_data(as_text=True)
    response = client.post(
        "/account/notifications",
        data={"digest_frequency": "daily", "digest_weekday": "2", "digest_hour": "7",
              "email_mentions": "y", "muted_groups": str(group.id)},
    )  # fmt: skip
    assert response.status_code == 302
    prefs = _prefs(user)
    assert (prefs.digest_frequency, prefs.digest_weekday, prefs.digest_hour) == ("daily", 2, 7)
    assert prefs.email_mentions is True
    assert prefs.email_replies is False
    assert db.session.scalar(select(GroupMute.group_id).where(GroupMute.user_id == user.id)) == (
        group.id
    )


def test_invalid_preferences_show_an_error_and_keep_the_page(app, member_client):
    client, user = member_client
    response = client.post("/account/notifications", data={"digest_frequency": "hourly"})
    assert response.status_code == 200
    assert "error-summary" in response.get_data(as_text=True)
    assert _prefs(user) is None


def test_list_shows_notifications_and_unread_badge_then_marks_read(app, member_client):
    client, user = member_client
    for n in range(3):
        db.session.add(Notification(user_id=user.id, kind="reply", title=f"Melding {n}",
                                    url="/threads/1"))  # fmt: skip
    db.session.commit()
    html = client.get("/notifications").get_data(as_text=True)
    assert "Melding 2" in html
    assert '<span class="badge-count">3' in html
    assert client.post("/notifications/read").status_code == 302
    html = client.get("/notifications").get_data(as_text=True)
    assert "badge-count" not in html


def test_list_query_count_does_not_grow_with_notifications(app, member_client):
    client, user = member_client

    def measure(count):
        for n in range(count):
            db.session.add(Notification(user_id=user.id, kind="reply", title=f"M{n}", url="/"))
        db.session.commit()
        with count_queries() as counter:
            assert client.get("/notifications").status_code == 200
        return counter.count

    assert measure(2) == measure(40)


@pytest.fixture
def csrf_app_config():
    return {"WTF_CSRF_ENABLED": True}


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_one_click_unsubscribe_works_without_login_or_csrf(app, make_user, app_config):
    user = make_user(digest_opt_in=True)
    path = unsubscribe_url(user, "digest").removeprefix("http://localhost")
    client = app.test_client()
    page = client.get(path)
    assert page.status_code == 200
    assert "Ja, meld mij af" in page.get_data(as_text=True)
    response = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert _prefs(user).digest_frequency == "never"


def test_unsubscribe_switches_off_only_that_stream(app, client, make_user):
    user = make_user()
    path = unsubscribe_url(user, "mentions").removeprefix("http://localhost")
    assert client.post(path).status_code == 200
    prefs = _prefs(user)
    assert prefs.email_mentions is False
    assert prefs.email_replies is True


def test_invalid_unsubscribe_token_answers_400(app, client):
    assert client.get("/unsubscribe/not-a-token").status_code == 400
    assert client.post("/unsubscribe/not-a-token").status_code == 400


def test_pages_need_a_logged_in_member(app, client):
    assert client.get("/notifications").status_code == 302
    assert client.get("/account/notifications").status_code == 302
