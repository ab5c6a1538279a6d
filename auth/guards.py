"""View decorators built on the account policies."""

from __future__ import annotations

from functools import wraps

from flask import flash, redirect, request, url_for
from flask_login import current_user

from auth.policies import can_administer, can_moderate, can_use_member_area, needs_2fa_enrolment
from core.i18n import gettext as _


def member_required(view):
    """Logged in and approved. Pending members are sent to their status page."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.full_path))
        if not can_use_member_area(current_user):
            return redirect(url_for("auth.status"))
        return view(*args, **kwargs)

    return wrapped


def _staff_required(predicate):
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return redirect(url_for("auth.login", next=request.full_path))
            if not predicate(current_user):
                from flask import abort

                abort(403)
            if needs_2fa_enrolment(current_user):
                flash(
                    _("Stel eerst tweestapsverificatie in om beheerpagina's te gebruiken."),
                    "warning",
                )
                return redirect(url_for("auth.security"))
            return view(*args, **kwargs)

        return wrapped

    return decorator


admin_required = _staff_required(can_administer)
moderator_required = _staff_required(can_moderate)
