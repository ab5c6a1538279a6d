"""Every email template, rendered in both languages: the text part is plain text, the HTML
part renders HTML (never escaped tags), and every link in either part is absolute.

The test walks templates/emails/** itself, so a new template without a sample here fails.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from core.mail import render_email
from core.text import absolute_links_html, html_to_email_text, render_markdown

EMAILS = Path(__file__).resolve().parents[2] / "templates" / "emails"
BASE = "http://localhost"

MEMBER_HTML = str(
    render_markdown(
        "Hoi [@Sanne Bakker](/members/5), zie **dit** & <https://example.org/a?b=1&c=2>.\n\n"
        "- eerste punt\n- tweede punt"
    )
)


def _samples() -> dict[str, dict]:
    user = SimpleNamespace(display_name="Sanne Bakker & co", email="sanne@example.org")
    group = SimpleNamespace(label='Jongerenwerk "Noord" & Oost')
    event = SimpleNamespace(
        title="Intervisie & radicalisering",
        group=group,
        location="Stadhuisplein 1 & 2, Utrecht",
        online_url="https://meet.example.org/jep?x=1&y=2",
    )
    confirmed = SimpleNamespace(status="confirmed")
    waiting = SimpleNamespace(status="waitlisted")
    event_ctx = {
        "user": user, "event": event, "registration": confirmed,
        "when_text": "woensdag 5 oktober 2026, 09:30–11:30", "show_location": True,
        "has_calendar": True, "event_url": f"{BASE}/events/3", "position": 2,
    }  # fmt: skip
    from knowledge.digest import DigestKnowledgeItem
    from notifications.digest import Digest, DigestEvent, DigestThread

    now = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
    item = DigestThread(thread_id=1, title="Zorgen & signalen", group_name="Groep \"Noord\"",
                        url=f"{BASE}/threads/1", created_at=now, excerpt="Een tekst & meer",
                        new_replies=2, sectors=("Onderwijs", "Politie"))  # fmt: skip
    meeting = DigestEvent(event_id=3, title="Netwerk & lunch", group_name="Groep",
                          url=f"{BASE}/events/3", starts_at=now, places_left=4)  # fmt: skip
    digest = Digest(member_id=1, period_start=now, period_end=now, new_threads=[item],
                    new_replies=[item], open_questions=[item], cross_sector=[item],
                    events=[meeting],
                    knowledge=[DigestKnowledgeItem(item_id=5, title="Signaleren & handelen",
                                                   kind="handreiking", summary="Kort & bondig",
                                                   url=f"{BASE}/kennisbank/signaleren",
                                                   published_at=now)])  # fmt: skip
    thread = SimpleNamespace(title="Zorgen over een leerling & zijn vrienden")
    post = SimpleNamespace(thread=thread)
    return {
        "advice/notice": {
            "user": user,
            "title": "Er is een antwoord op „Zorgen & vragen”",
            "url": f"{BASE}/advies/4",
        },
        "advice/overview": {
            "user": user,
            "late": 1,
            "due_today": 1,
            "queue_url": f"{BASE}/advies/queue",
            "items": [
                SimpleNamespace(
                    is_late=True,
                    is_due_today=False,
                    urgency="spoed",
                    subject="Zoon & vrienden",
                    is_mine=True,
                    url=f"{BASE}/advies/4",
                )
            ],
        },
        "insight/quarterly": {
            "user": user,
            "page_url": f"{BASE}/inzicht/utrecht",
            "summary": SimpleNamespace(
                period=SimpleNamespace(label="3e kwartaal 2026"),
                national=[],
                figures=SimpleNamespace(
                    region=SimpleNamespace(label="Utrecht & omstreken"),
                    members=SimpleNamespace(total=42),
                    active_members=SimpleNamespace(total="< 5"),
                    totals={
                        "questions": 12,
                        "questions_answered": 9,
                        "multi_sector_threads": 5,
                        "events_held": 6,
                        "registrations": 48,
                        "signals": "< 5",
                    },
                    themes=[
                        SimpleNamespace(
                            theme=SimpleNamespace(label="Polarisatie & online"),
                            current=11,
                            change=3,
                        )
                    ],
                ),
            ),
        },
        "knowledge/consent_request": {
            "user": user,
            "title": 'Wat doe je bij online "complot" & haat?',
            "yes_url": f"{BASE}/kennisbank/toestemming/7?answer=ja&t=a&b",
            "no_url": f"{BASE}/kennisbank/toestemming/7?answer=nee&t=a&b",
        },
        "auth/already_registered": {"user": user, "login_url": f"{BASE}/auth/login"},
        "auth/approved": {"user": user, "login_url": f"{BASE}/auth/login"},
        "auth/confirm": {"user": user, "confirm_url": f"{BASE}/auth/confirm/abc"},
        "auth/rejected": {"user": user, "reason": "Geen professional & geen organisatie"},
        "auth/reset": {"user": user, "reset_url": f"{BASE}/auth/reset/abc"},
        "core/test": {"note": "Een notitie & meer"},
        "events/approved": {**event_ctx, "registration": waiting, "has_calendar": False},
        "events/cancelled": {**event_ctx, "reason": "De spreker is ziek & er is geen vervanger"},
        "events/changed": {**event_ctx, "changes": [("Adres", "Oud & oud", "Nieuw & nieuw")]},
        "events/declined": event_ctx,
        "events/promoted": event_ctx,
        "events/registered": {**event_ctx, "registration": waiting, "has_calendar": False},
        "events/reminder": event_ctx,
        "groups/invited": {
            "user": user,
            "inviter": user,
            "group": group,
            "group_url": f"{BASE}/groups/noord",
        },
        "groups/request_approved": {
            "user": user,
            "group": group,
            "group_url": f"{BASE}/groups/noord",
        },
        "groups/request_declined": {"user": user, "group": group, "groups_url": f"{BASE}/groups"},
        "moderation/appeal_decided": {
            "user": user,
            "decision_label": "Je bericht is verborgen",
            "is_reversed": True,
            "note": "Toch binnen de regels & ok",
            "appeal_url": f"{BASE}/appeal/t",
        },
        "moderation/member_suspended": {
            "user": user,
            "reason": "Schelden & dreigen",
            "last_day": date(2026, 12, 31),
            "appeal_url": f"{BASE}/appeal/t",
        },
        "moderation/post_hidden": {
            "user": user,
            "post": post,
            "reason": "Naam & school",
            "thread_url": f"{BASE}/threads/1",
            "appeal_url": f"{BASE}/appeal/t",
        },
        "moderation/report_outcome": {
            "user": user,
            "thread_title": thread.title,
            "action_taken": False,
            "outcome": "Geen actie & zo",
            "reason": "Valt binnen de regels & is feitelijk",
            "reason_label": "Haatzaaien of discriminatie",
            "thread_url": f"{BASE}/threads/1",
        },
        "moderation/thread_hidden": {
            "user": user,
            "thread": thread,
            "reason": "Naam & school",
            "appeal_url": f"{BASE}/appeal/t",
        },
        "notifications/digest": {
            "user": user,
            "digest": digest,
            "zone": "Europe/Amsterdam",
            "preferences_url": f"{BASE}/account/notifications",
        },
        "notifications/notification": {
            "user": user,
            "title": "Sanne noemde je in „Zorgen & signalen”",
            "text": "Hoi @Sanne Bakker, zie dit",
            "url": f"{BASE}/threads/1#post-2",
            "body_text": html_to_email_text(MEMBER_HTML, BASE),
            "body_html": absolute_links_html(MEMBER_HTML, BASE),
        },
    }


def _templates() -> set[str]:
    names = set()
    for path in EMAILS.rglob("*"):
        if path.is_file() and not path.name.startswith("_"):
            names.add(str(path.relative_to(EMAILS).with_suffix("")))
    return names


TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")
ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-f]+);", re.IGNORECASE)
ESCAPED_TAG = re.compile(r"&lt;/?[a-zA-Z]")
RELATIVE_PATH = re.compile(r"(?<![\w/:.])/(members|threads|posts|events|groups|appeal|account|auth|moderation)\b")  # fmt: skip


def test_every_email_template_has_a_sample_here(sqlite_app):
    assert _templates() == set(_samples()), "add a sample context for each new email template"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_email_renders_plain_text_and_real_html_with_absolute_links(sqlite_app, language):
    for name, context in sorted(_samples().items()):
        message = render_email("lid@example.org", name, subject="Onderwerp & meer",
                               context=context, locale=language)  # fmt: skip
        text, html = message.text_body, message.html_body
        assert not TAG.search(text), f"{name}: a tag in the text part: {TAG.search(text)[0]}"
        assert not ENTITY.search(text), f"{name}: an HTML entity in the text part"
        assert not ESCAPED_TAG.search(html), f"{name}: an escaped tag in the HTML part"
        assert "<p" in html, f"{name}: the HTML part has no paragraphs"
        for href in re.findall(r'href="([^"]*)"', html):
            assert href.startswith(("http://", "https://", "mailto:")), f"{name}: href {href}"
        assert not RELATIVE_PATH.search(text), f"{name}: a relative link in the text part"
        assert not RELATIVE_PATH.search(re.sub(r'href="[^"]*"', "", html)), name


def test_member_html_is_shown_as_html_and_as_plain_text_with_absolute_links(sqlite_app):
    message = render_email("lid@example.org", "notifications/notification", subject="S",
                           context=_samples()["notifications/notification"])  # fmt: skip
    assert f'<a href="{BASE}/members/5"' in message.html_body
    assert "<strong>dit</strong>" in message.html_body
    assert "&lt;p&gt;" not in message.html_body
    assert f"@Sanne Bakker ({BASE}/members/5)" in message.text_body
    assert "- eerste punt\n- tweede punt" in message.text_body
    assert "https://example.org/a?b=1&c=2" in message.text_body
    assert "<p>" not in message.text_body
