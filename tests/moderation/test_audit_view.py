"""The audit log reads as sentences: translated action names and linked subjects."""

from __future__ import annotations

import pytest

from core.audit import record_audit
from core.extensions import db
from moderation import services
from moderation.audit_view import ACTION_LABELS, action_label
from tests.conftest import count_queries


@pytest.fixture
def admin(app, make_user, login):
    client = app.test_client()
    login(client, make_user(role="admin", with_2fa=True))
    return client


def test_the_log_shows_action_names_and_links_instead_of_codes(app, admin, make_user,
                                                                make_group, make_thread):  # fmt: skip
    member = make_user("Sanne Bakker")
    moderator = make_user("Mod", role="moderator", with_2fa=True)
    thread = make_thread(make_group(), member, title="Zorgen over een leerling")
    services.hide_post(thread.first_post, moderator, "Reden A")
    services.lock_thread(thread, moderator, "Reden B")
    services.suspend_member(member, moderator, "Reden C", None)
    db.session.commit()
    page = admin.get("/moderation/audit").get_data(as_text=True)
    for code in ("member.suspend", "post.hide", "thread.lock"):
        assert f">{code}<" not in page
    assert "Account geschorst" in page
    assert "Bericht verborgen" in page
    assert "Gesprek gesloten" in page
    assert f'href="/moderation/members/{member.id}">Sanne Bakker</a>' in page
    assert f'href="/threads/{thread.id}">Zorgen over een leerling</a>' in page
    assert f'href="/moderation/posts/{thread.first_post.id}"' in page
    assert "user #" not in page
    assert "zonder einddatum" in page
    # The action filter offers names too.
    assert '<option value="member.suspend">Account geschorst</option>' in page


def test_the_log_is_translated(app, admin):
    with app.test_request_context():
        from flask_babel import force_locale

        with force_locale("en"):
            assert action_label("member.suspend") == "Account suspended"
    assert action_label("something.new") == "something.new"


def test_every_recorded_action_in_the_code_has_a_name():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    found = set()
    for path in root.glob("*/*.py"):
        if path.parts[-2] in {"tests", ".venv", "bench", "migrations"}:
            continue
        found |= set(re.findall(r'"((?:[a-z_0-9]+)\.(?:[a-z_0-9]+))"', path.read_text()))
    recorded = {code for code in found if code.split(".")[0] in
                {"account", "member", "domain", "group", "post", "thread", "report", "appeal"}}  # fmt: skip
    recorded = {code for code in recorded if not code.endswith(("py", "html", "txt"))}
    missing = {code for code in recorded if code not in ACTION_LABELS and "." in code}
    # Only audit codes are held to it; other dotted strings (endpoints) are not actions.
    missing = {code for code in missing if f'"{code}"' in _audit_calls(root)}
    assert missing == set()


def _audit_calls(root) -> str:
    import re

    text = ""
    for path in root.glob("*/*.py"):
        if path.parts[-2] in {"tests", ".venv"}:
            continue
        source = path.read_text()
        text += "\n".join(re.findall(r"record_audit\([^)]*\)|_audit\([^)]*\)", source, re.S))
    return text


def test_the_log_page_runs_a_fixed_number_of_queries(app, admin, make_user, make_group,
                                                     make_thread):  # fmt: skip
    moderator = make_user(role="moderator", with_2fa=True)

    def add(n):
        for _ in range(n):
            member = make_user()
            thread = make_thread(make_group(), member)
            record_audit(moderator, "member.suspend", "user", member.id, subject_user=member)
            record_audit(moderator, "thread.lock", "thread", thread.id, subject_user=member)
            record_audit(moderator, "post.hide", "post", thread.first_post_id, subject_user=member)
        db.session.commit()

    add(2)
    with count_queries() as few:
        admin.get("/moderation/audit")
    add(10)
    with count_queries() as many:
        admin.get("/moderation/audit")
    assert many.count == few.count
