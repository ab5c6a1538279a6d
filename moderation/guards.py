"""Access to the moderation pages, shared by the report queue and the appeals."""

from __future__ import annotations

from functools import wraps

from flask import flash, redirect, request, url_for
from flask_login import current_user

from auth.policies import can_use_member_area, needs_2fa_enrolment
from core.i18n import gettext as _


def moderation_area_required(view):
    """Logged-in active members; site moderators must have 2FA. Coordinators who are not
    site moderators moderate their own groups without it (their policy decides per object)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.full_path))
        if not can_use_member_area(current_user):
            return redirect(url_for("auth.status"))
        if needs_2fa_enrolment(current_user):
            flash(
                _("Stel eerst tweestapsverificatie in om beheerpagina's te gebruiken."), "warning"
            )
            return redirect(url_for("auth.security"))
        return view(*args, **kwargs)

    return wrapped
