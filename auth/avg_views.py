"""Routes for the AVG rights: see, download and delete my data (on the auth blueprint)."""

from __future__ import annotations

import json

from flask import Response, flash, redirect, render_template, session, url_for
from flask_login import current_user, logout_user
from flask_wtf import FlaskForm

from auth import avg
from auth.blueprint import bp
from auth.forms import ConfirmPasswordForm
from auth.guards import member_required
from auth.passwords import verify_password
from core.db import utcnow
from core.extensions import db
from core.i18n import gettext as _


class ExportForm(FlaskForm):
    """Only the CSRF token: the download is a POST so no link or image can trigger it."""


def _page(form: ConfirmPasswordForm, status: int = 200):
    return render_template("auth/data.html", delete_form=form), status


@bp.get("/account/data")
@member_required
def my_data():
    return _page(ConfirmPasswordForm(prefix="delete"))


@bp.post("/account/data/export")
@member_required
def export_data():
    if not ExportForm().validate_on_submit():
        flash(_("De pagina was verlopen. Probeer het opnieuw."), "error")
        return redirect(url_for("auth.my_data"))
    data = avg.export_member_data(current_user._get_current_object())
    body = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
    filename = f"platform-jep-mijn-gegevens-{utcnow():%Y-%m-%d}.json"
    return Response(
        body,
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@bp.post("/account/delete")
@member_required
def delete_account():
    user = current_user._get_current_object()
    form = ConfirmPasswordForm(prefix="delete")
    if form.validate_on_submit():
        if verify_password(user.password_hash, form.password.data):
            avg.delete_account(user)
            db.session.commit()
            logout_user()
            session.clear()
            flash(
                _("Je account is verwijderd. Je berichten staan er nog onder 'Oud-lid'."), "success"
            )
            return redirect(url_for("core.index"))
        form.password.errors.append(_("Dit wachtwoord klopt niet."))
    return _page(form, 400)
