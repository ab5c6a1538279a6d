"""The member's dashboard, shown at `/` by `core.views.index` (and at /dashboard)."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from auth.guards import member_required
from home import queries

bp = Blueprint("home", __name__)


@member_required
def dashboard():
    """The member's home page. `core.views.index` calls this for active members at `/`."""
    return render_template("home/dashboard.html", data=queries.dashboard(current_user))


bp.add_url_rule("/dashboard", "dashboard", dashboard)
