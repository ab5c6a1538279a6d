"""Routes: the API under /api/v1 (generated from the registry), its OpenAPI document
and reference page, and the token pages under /account/security/tokens."""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

import api.resources  # noqa: F401 - declares the operations in the registry
from api import forms, http, policies, queries, registry, services
from api import reference as reference_page
from api.spec import build_spec
from auth.guards import member_required
from core import signals
from core.db import utcnow
from core.errors import register_error_renderer
from core.extensions import csrf, db, limiter
from core.i18n import gettext as _
from core.permissions import require

bp = Blueprint("api", __name__)
v1 = Blueprint("v1", __name__, url_prefix="/api/v1")
registry.add_routes(v1)  # Every operation declared in api/resources.py.


@v1.before_request
def _authenticate():
    # CSRF protects cookie sessions; a token is not sent by browsers on their own, so
    # token requests need none. Requests without a token are still checked.
    if http.bearer_secret() is None and current_app.config["WTF_CSRF_ENABLED"]:
        csrf.protect()
    http.authenticate()


@v1.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 document (public)."""
    return http.json_response(build_spec(), public=True)


@bp.get("/api/v1/docs")
def reference():
    """The API reference, rendered on the server from the OpenAPI document."""
    return render_template("api/reference.html", **reference_page.page_context(build_spec()))


# --- tokens -------------------------------------------------------------------------


@bp.get("/account/security/tokens")
@member_required
def list_tokens():
    return _tokens_page(forms.TokenForm())


def _tokens_page(form, new_token=None, status: int = 200):
    page = render_template(
        "api/tokens.html", form=form, tokens=queries.tokens_of(current_user.id),
        new_token=new_token, now=utcnow(),
    )  # fmt: skip
    return page, status, {"Cache-Control": "no-store"}


@bp.post("/account/security/tokens")
@member_required
def create_token():
    require(policies.can_manage_tokens(current_user))
    form = forms.TokenForm()
    if not form.validate_on_submit():
        return _tokens_page(form, status=400)
    created = services.create_token(
        current_user, form.name.data, write=form.scope.data == "write",
        lifetime_days=form.lifetime.data,
    )  # fmt: skip
    db.session.commit()
    # Shown once, in this response, never stored: no redirect that would lose it.
    return _tokens_page(forms.TokenForm(formdata=None), new_token=created.secret)


@bp.post("/account/security/tokens/<int:token_id>/revoke")
@member_required
def revoke_token(token_id: int):
    token = queries.token_of(current_user.id, token_id)
    require(token is not None and policies.can_revoke_token(current_user, token), hide=True)
    services.revoke_token(token, current_user)
    db.session.commit()
    flash(_("De sleutel ‘%(name)s’ werkt niet meer.", name=token.name), "success")
    return redirect(url_for("api.list_tokens"))


bp.register_blueprint(v1)
csrf.exempt(v1)  # Checked in _authenticate: only token requests skip it.
limiter.limit(http.rate_limit, key_func=http.rate_limit_key)(v1)


def _on_member_changed(sender=None, user=None, action=None, **extra) -> None:
    """A suspended or deleted account's tokens stop working for good."""
    if user is not None and action in {"suspend", "delete"}:
        services.revoke_all_tokens(user.id)


def init_app(app: Flask) -> None:
    register_error_renderer(app, "/api/", http.render_error)
    signals.member_changed.connect(_on_member_changed, weak=False)
