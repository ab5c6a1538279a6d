"""One-click unsubscribe from the quarterly email (RFC 8058): no login, no CSRF token,
a signed token in the URL."""

from __future__ import annotations

from flask import render_template, request

from auth.models import User
from core.extensions import csrf, db
from insight.blueprint import bp
from insight.quarterly import read_unsubscribe_token
from insight.services import set_quarterly_subscription


@bp.route("/inzicht/afmelden/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token: str):
    user_id = read_unsubscribe_token(token)
    user = db.session.get(User, user_id) if user_id is not None else None
    if user is None or user.is_deleted:
        return render_template("insight/unsubscribe.html", state="invalid"), 400
    if request.method == "POST":
        set_quarterly_subscription(user.id, False)
        db.session.commit()
        return render_template("insight/unsubscribe.html", state="done")
    return render_template("insight/unsubscribe.html", state="ask", token=token)
