"""A suspension "until 31 December" reads as the day the moderator chose, everywhere:
"tot en met 31 december 2027", never "tot zaterdag 1 januari 2028, 00:00"."""

from __future__ import annotations

from datetime import UTC, date, datetime

from core.extensions import db
from moderation import services
from tests.conftest import TEST_PASSWORD, sent_emails

LAST_DAY = date(2027, 12, 31)
AS_CHOSEN = "tot en met 31 december 2027"
SHIFTED = "1 januari 2028"


def test_the_suspension_ends_when_the_chosen_day_ends_in_amsterdam(app, make_user):
    member, moderator = make_user(), make_user(role="moderator", with_2fa=True)
    services.suspend_member(member, moderator, "Reden", LAST_DAY, "Europe/Amsterdam")
    db.session.commit()
    assert member.suspended_through == LAST_DAY
    assert member.suspended_until == datetime(2027, 12, 31, 23, 0, tzinfo=UTC)


def test_page_email_login_and_audit_show_the_day_as_chosen(app, make_user, login):
    member = make_user("Lid")
    moderator = make_user("Mod", role="moderator", with_2fa=True)
    client = app.test_client()
    login(client, moderator)
    response = client.post(f"/moderation/members/{member.id}/suspend",
                           data={"reason": "Schelden", "until": LAST_DAY.isoformat()})  # fmt: skip
    assert response.status_code == 302

    page = client.get(f"/moderation/members/{member.id}").get_data(as_text=True)
    assert "31 december 2027" in page
    assert SHIFTED not in page

    mail = sent_emails(to=member.email)[-1]
    for body in (mail.text_body, mail.html_body):
        assert AS_CHOSEN in body
        assert SHIFTED not in body

    login_page = (
        app.test_client()
        .post("/auth/login", data={"email": member.email, "password": TEST_PASSWORD})
        .get_data(as_text=True)
    )
    assert AS_CHOSEN in login_page
    assert SHIFTED not in login_page
    assert "/appeal/" in login_page

    admin = app.test_client()
    login(admin, make_user(role="admin", with_2fa=True))
    audit = admin.get("/moderation/audit").get_data(as_text=True)
    assert AS_CHOSEN in audit
    assert SHIFTED not in audit
