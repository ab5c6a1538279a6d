"""The ceiling for `make bench`: the real app's thread template rendered with 20 posts
built in memory, no database. Served by gunicorn with the same settings as the app, it
shows what rendering alone costs on this machine; the thread page is compared with it.

    gunicorn bench.ceiling:app
"""

from __future__ import annotations

import os
from datetime import timedelta

from flask import g

from auth.models import User
from composition import create_app
from core.db import utcnow
from core.taxonomy import Sector
from forum.models import Post, Thread
from forum.queries import Node, ThreadPage
from groups.models import Group

BODY = (
    "<p>Wij zien dit ook bij ons op school. Wat hielp: een rustig gesprek met de mentor, "
    "samen met het wijkteam, en de ouders vroeg betrekken. Let op tegensignalen.</p>"
)


def _world():
    now = utcnow()
    sectors = [
        Sector(id=i, key=f"s{i}", name_nl=f"Sector {i}", name_en=f"Sector {i}") for i in range(1, 6)
    ]
    users = [User(id=i, display_name=f"Lid {i}", status="active", role="member",
                  sector=sectors[i % 5], sector_id=sectors[i % 5].id, session_version=1,
                  language="nl", timezone="Europe/Amsterdam") for i in range(1, 11)]  # fmt: skip
    group = Group(
        id=1, slug="regio-bench", name="Regio Bench", visibility="members", kind="regional"
    )
    thread = Thread(id=1, group=group, group_id=1, title="Hoe werken school, wijkteam en politie samen?",
                    kind="question", author=users[0], author_id=1, reply_count=20,
                    created_at=now - timedelta(days=1), last_activity_at=now,
                    is_pinned=False, is_locked=False)  # fmt: skip
    opening = Post(id=1, thread=thread, thread_id=1, author=users[0], author_id=1, depth=0,
                   body_source="", body_html=BODY, created_at=now - timedelta(days=1),
                   useful_count=3, thanks_count=1)  # fmt: skip
    replies = [Post(id=n + 1, thread=thread, thread_id=1, author=users[n % 10], author_id=n % 10 + 1,
                    depth=1, body_source="", body_html=BODY, created_at=now - timedelta(hours=20 - n),
                    useful_count=n % 3, thanks_count=n % 2) for n in range(1, 21)]  # fmt: skip
    view = ThreadPage(thread=thread, opening=opening, accepted=None,
                      nodes=[Node(post=p, level=1) for p in replies], page=1, page_count=1,
                      sectors=sectors, my_reactions=set(), first_unread_id=None,
                      first_unread_on_page=False, watch_level=None, posts_on_page=replies)  # fmt: skip
    return users[1], thread, view


def make_app():
    os.environ.setdefault("SECRET_KEY", "ceiling-secret-key-that-is-long-enough")
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "WTF_CSRF_ENABLED": True})
    viewer, thread, view = _world()

    @app.before_request
    def fake_login():
        g._login_user = viewer
        g.unread_notifications = 0

    @app.get("/ceiling")
    def ceiling():
        from forum.rendering import render_page
        from forum.views import _thread_context

        return render_page("forum/thread.html", **_thread_context(thread, None, view))

    return app


app = make_app()
