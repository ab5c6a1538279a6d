"""Account pages through the test client."""

from __future__ import annotations

import re

import pyotp
import pytest
from sqlalchemy import select

from auth.models import User
from core.extensions import db
from core.taxonomy import Function, Region, Sector
from tests.conftest import TEST_PASSWORD, first_link, sent_emails, term


def without_tokens(page: str) -> str:
    """The page without its CSRF token, which differs on every render."""
    return re.sub(r'name="csrf_token"[^>]*>', "", page)


def register_form(email="sanne@gemeente.nl", **overrides):
    form = {
        "email": email,
        "password": "een lange zin als wachtwoord",
        "password_confirm": "een lange zin als wachtwoord",
        "display_name": "Sanne de Vries",
        "organisation": "Gemeente Utrecht",
        "sector": term(Sector).id,
        "function": term(Function).id,
        "region": term(Region).id,
        "accept_terms": "y",
    }
    form.update(overrides)
    return form


def test_registration_confirmation_and_approval_end_to_end(app, client, make_user, login):
    response = client.post("/auth/register", data=register_form())
    assert "Controleer je e-mail" in response.get_data(as_text=True)
    confirm_path = first_link(sent_emails(to="sanne@gemeente.nl")[0].text_body, "/auth/confirm/")
    assert "Bevestig mijn e-mailadres" in client.get(confirm_path).get_data(as_text=True)
    assert "bekijkt nu je aanmelding" in client.post(confirm_path).get_data(as_text=True)

    login(client, db.session.scalar(select(User).where(User.email == "sanne@gemeente.nl")),
          password="een lange zin als wachtwoord")  # fmt: skip
    status_page = client.get("/auth/status").get_data(as_text=True)
    assert "Goedgekeurd door een beheerder" in status_page

    admin = make_user(role="admin", with_2fa=True)
    admin_client = app.test_client()
    login(admin_client, admin)
    assert "Sanne de Vries" in admin_client.get("/admin/members").get_data(as_text=True)
    pending = db.session.scalar(select(User).where(User.email == "sanne@gemeente.nl"))
    admin_client.post(f"/admin/members/{pending.id}/approve")
    db.session.expire_all()
    assert db.session.get(User, pending.id).status == "active"
    assert "goedgekeurd" in sent_emails(to="sanne@gemeente.nl")[-1].subject


def test_registration_errors_keep_what_was_typed_except_passwords(client):
    response = client.post(
        "/auth/register", data=register_form(password_confirm="iets anders dan eerst", sector=0)
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "De wachtwoorden zijn niet gelijk." in page
    assert "Maak een keuze." in page
    assert 'value="Sanne de Vries"' in page
    assert 'value="Gemeente Utrecht"' in page
    assert "een lange zin als wachtwoord" not in page
    assert 'role="alert"' in page


def test_registration_answers_the_same_for_a_known_address(client, make_user):
    make_user(email="bekend@gemeente.nl")
    new = client.post("/auth/register", data=register_form(email="nieuw@gemeente.nl"))
    known = client.post("/auth/register", data=register_form(email="bekend@gemeente.nl"))
    assert new.status_code == known.status_code == 200
    assert without_tokens(new.get_data(as_text=True)).replace("nieuw@", "X@") == without_tokens(
        known.get_data(as_text=True)
    ).replace("bekend@", "X@")


def test_terms_must_be_accepted(client):
    form = register_form()
    del form["accept_terms"]
    page = client.post("/auth/register", data=form).get_data(as_text=True)
    assert "Je moet akkoord gaan" in page


def test_login_failure_does_not_reveal_whether_the_account_exists(client, make_user):
    make_user(email="echt@gemeente.nl")
    wrong_password = client.post(
        "/auth/login", data={"email": "echt@gemeente.nl", "password": "fout"}
    )
    unknown = client.post("/auth/login", data={"email": "nep@gemeente.nl", "password": "fout"})
    assert without_tokens(wrong_password.get_data(as_text=True)).replace(
        "echt@", "X@"
    ) == without_tokens(unknown.get_data(as_text=True)).replace("nep@", "X@")


def test_reset_answers_the_same_whether_or_not_the_address_exists(client, make_user):
    make_user(email="echt@gemeente.nl")
    known = client.post("/auth/reset", data={"email": "echt@gemeente.nl"}).get_data(as_text=True)
    unknown = client.post("/auth/reset", data={"email": "nep@gemeente.nl"}).get_data(as_text=True)
    assert without_tokens(known) == without_tokens(unknown)
    assert len(sent_emails(to="echt@gemeente.nl")) == 1
    assert sent_emails(to="nep@gemeente.nl") == []


def test_password_reset_link_works_once(client, make_user, login):
    user = make_user(email="reset@gemeente.nl")
    client.post("/auth/reset", data={"email": user.email})
    path = first_link(sent_emails(to=user.email)[0].text_body, "/auth/reset/")
    new = {"password": "een gloednieuw wachtwoord", "password_confirm": "een gloednieuw wachtwoord"}
    assert client.post(path, data=new).status_code == 302
    assert client.post(path, data=new).status_code == 400
    login(client, user, password="een gloednieuw wachtwoord")


def test_logout_is_a_post(client, member_client):
    member, _ = member_client
    assert member.get("/auth/logout").status_code == 405
    member.post("/auth/logout")
    assert member.get("/account/profile").status_code == 302


def test_old_session_is_refused_after_log_out_everywhere(app, make_user, login):
    user = make_user()
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, user)
    login(phone, user)
    assert phone.get("/account/profile").status_code == 200
    laptop.post("/account/security/logout-everywhere")
    assert laptop.get("/account/profile").status_code == 200
    assert phone.get("/account/profile").status_code == 302


def test_remember_me_cookie_is_refused_after_password_change(app, make_user):
    user = make_user()
    browser = app.test_client()
    browser.post(
        "/auth/login", data={"email": user.email, "password": TEST_PASSWORD, "remember": "y"}
    )
    remember = browser.get_cookie("remember_token")
    assert remember is not None
    other = app.test_client()
    other.set_cookie("remember_token", remember.value)
    assert other.get("/account/profile").status_code == 200
    browser.post(
        "/account/security/password",
        data={"current_password": TEST_PASSWORD, "password": "een nieuw lang wachtwoord",
              "password_confirm": "een nieuw lang wachtwoord"},
    )  # fmt: skip
    stale = app.test_client()
    stale.set_cookie("remember_token", remember.value)
    assert stale.get("/account/profile").status_code == 302


def test_pending_member_sees_status_and_nothing_else(client, make_user, login):
    user = make_user(status="pending")
    login(client, user)
    assert client.get("/account/profile").headers["Location"].endswith("/auth/status")
    assert client.get("/groups").status_code in {302, 404}
    assert "/auth/status" in client.get("/groups").headers.get("Location", "/auth/status")


def test_suspended_member_sees_the_reason_and_is_not_logged_in(client, make_user):
    make_user(email="geschorst@gemeente.nl", status="suspended",
              suspended_reason="Herhaald persoonsgegevens van jongeren gedeeld.")  # fmt: skip
    page = client.post(
        "/auth/login", data={"email": "geschorst@gemeente.nl", "password": TEST_PASSWORD}
    ).get_data(as_text=True)
    assert "Herhaald persoonsgegevens van jongeren gedeeld." in page
    assert client.get("/account/profile").status_code == 302


def test_two_factor_login_needs_the_code(app, make_user):
    user = make_user(with_2fa=True)
    client = app.test_client()
    response = client.post("/auth/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.headers["Location"].endswith("/auth/login/2fa")
    assert client.get("/account/profile").status_code == 302
    assert "klopt niet" in client.post("/auth/login/2fa", data={"code": "000000"}).get_data(
        as_text=True
    )
    client.post("/auth/login/2fa", data={"code": pyotp.TOTP(user.totp_secret).now()})
    assert client.get("/account/profile").status_code == 200


def test_enrolling_in_2fa_shows_a_qr_code_and_recovery_codes(member_client):
    client, user = member_client
    page = client.get("/account/security/2fa").get_data(as_text=True)
    assert 'src="data:image/png;base64,' in page
    with client.session_transaction() as session:
        secret = session["2fa_secret"]
    done = client.post("/account/security/2fa", data={"code": pyotp.TOTP(secret).now()})
    assert "herstelcodes" in done.get_data(as_text=True).lower()
    db.session.expire_all()
    assert db.session.get(User, user.id).has_2fa


def test_admin_pages_require_2fa_enrolment(app, make_user, login):
    admin = make_user(role="admin")
    client = app.test_client()
    login(client, admin)
    response = client.get("/admin/members")
    assert response.headers["Location"].endswith("/account/security")


def test_members_cannot_open_admin_pages(member_client):
    client, _ = member_client
    assert client.get("/admin/members").status_code == 403


def test_profile_update_and_privacy_choices(app, member_client, make_user, login):
    client, user = member_client
    form = {
        "display_name": "Nieuwe Naam",
        "organisation": "Politie Eenheid Midden-Nederland",
        "sector": term(Sector, "politie").id if term(Sector, "politie") else term(Sector).id,
        "function": term(Function).id,
        "region": term(Region).id,
        "bio": "Wijkagent in Overvecht.",
        "language": "en",
        "timezone": "Europe/Amsterdam",
        "show_region": "y",
    }
    assert client.post("/account/profile", data=form).status_code == 302
    viewer = app.test_client()
    login(viewer, make_user())
    page = viewer.get(f"/members/{user.id}").get_data(as_text=True)
    assert "Nieuwe Naam" in page
    assert "Politie Eenheid Midden-Nederland" not in page
    assert "Wijkagent in Overvecht." in page


def test_member_pages_are_hidden_from_visitors(client, make_user):
    user = make_user()
    assert client.get(f"/members/{user.id}").status_code == 302


@pytest.mark.parametrize("path", ["/auth/login", "/auth/register", "/auth/reset"])
def test_forms_refuse_posts_without_csrf_token(app, client, path):
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post(path, data={"email": "a@b.nl"}).status_code == 400


class TestRateLimits:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True}

    def test_login_is_limited_per_account_with_a_friendly_page(self, client, make_user):
        user = make_user()
        codes = [
            client.post(
                "/auth/login",
                data={"email": user.email, "password": "fout"},
                environ_base={"REMOTE_ADDR": f"10.0.0.{n}"},
            ).status_code
            for n in range(7)
        ]
        assert codes[:5] == [200] * 5
        assert codes[-1] == 429
        response = client.post("/auth/login", data={"email": user.email, "password": "fout"})
        assert "Even geduld" in response.get_data(as_text=True)

    def test_one_colleagues_typos_never_lock_out_the_office_behind_the_same_address(
        self, client, make_user
    ):
        typist, colleague = make_user(), make_user()
        codes = [
            client.post("/auth/login", data={"email": typist.email, "password": "fout"}).status_code
            for _ in range(12)
        ]
        assert codes == [200] * 5 + [429] * 7
        response = client.post(
            "/auth/login", data={"email": colleague.email, "password": TEST_PASSWORD}
        )
        assert response.status_code == 302

    def test_failed_logins_are_counted_exactly_when_they_arrive_at_once(self, app, make_user):
        from concurrent.futures import ThreadPoolExecutor

        email = make_user().email

        def attempt(_):
            client = app.test_client()
            return client.post("/auth/login", data={"email": email, "password": "fout"}).status_code

        with ThreadPoolExecutor(max_workers=6) as pool:
            codes = list(pool.map(attempt, range(12)))
        assert sorted(codes) == [200] * 5 + [429] * 7

    def test_successful_logins_from_one_address_are_not_limited(self, client, make_user):
        members = [make_user() for _ in range(25)]
        for member in members:
            response = client.post(
                "/auth/login", data={"email": member.email, "password": TEST_PASSWORD}
            )
            assert response.status_code == 302
            client.post("/auth/logout")

    def test_login_is_limited_per_ip(self, client):
        codes = [
            client.post("/auth/login", data={"email": f"x{n}@b.nl", "password": "fout"}).status_code
            for n in range(101)
        ]
        assert codes[:100] == [200] * 100
        assert codes[-1] == 429

    def test_registration_is_limited_per_ip(self, client):
        codes = [client.post("/auth/register", data={"email": "x"}).status_code for _ in range(12)]
        assert codes[-1] == 429


def test_profile_form_shows_the_current_choices(member_client):
    client, user = member_client
    page = client.get("/account/profile").get_data(as_text=True)
    assert f'<option selected value="{user.sector_id}">' in page
    assert f'<option selected value="{user.region_id}">' in page
