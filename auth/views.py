"""Routes for accounts: registration, login, password reset, settings, administration."""

from __future__ import annotations

import segno
from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import (
    current_user,
    login_required,
    login_user,
    logout_user,
)
from sqlalchemy import select

from auth import (
    avg_views,  # noqa: F401 - registers the AVG routes on bp
    current,
    forms,
    services,
)
from auth.blueprint import bp
from auth.guards import admin_required, member_required
from auth.models import ApprovedDomain, User
from auth.policies import can_view_member_page
from auth.tokens import read_confirm_token, read_reset_token
from core.extensions import db, limiter, login_manager
from core.i18n import gettext as _
from core.permissions import require

# Per account every attempt counts (counted atomically as it arrives, so attempts that
# come in at once are counted exactly); per address only failed ones, and far more: an
# office shares one address, so a colleague's typos never lock the others out.
LOGIN_ACCOUNT_LIMIT = "5 per minute;30 per hour"
LOGIN_IP_LIMIT = "100 per minute;1000 per hour"
SECOND_FACTOR_LIMIT = "20 per minute;100 per hour"
FORM_IP_LIMIT = "10 per minute;50 per hour"


def init_app(app) -> None:
    login_manager.user_loader(current.load_user)
    login_manager.anonymous_user = current.Anonymous
    login_manager.login_view = "auth.login"
    login_manager.login_message = None


def _account_key() -> str:
    return "login:" + (request.form.get("email") or "").strip().lower()


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("core.index")


# --- registration and confirmation --------------------------------------------------


@bp.route("/auth/register", methods=["GET", "POST"])
@limiter.limit(FORM_IP_LIMIT, methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("core.index"))
    form = forms.RegisterForm()
    form.fill_choices()
    if form.validate_on_submit():
        services.register_member(
            services.Registration(
                email=form.email.data,
                password=form.password.data,
                display_name=form.display_name.data,
                organisation=form.organisation.data,
                sector_id=form.sector.data,
                function_id=form.function.data,
                region_id=form.region.data,
                digest_opt_in=form.digest_opt_in.data,
                language=str(_current_locale()),
            )
        )
        db.session.commit()
        return render_template("auth/check_email.html", email=form.email.data)
    return render_template("auth/register.html", form=form)


def _current_locale() -> str:
    from core.i18n import current_language

    return current_language()


@bp.route("/auth/confirm/<token>", methods=["GET", "POST"])
def confirm(token: str):
    data = read_confirm_token(token)
    user = db.session.get(User, data["uid"]) if data else None
    if user is None or user.email != data.get("email"):
        return render_template("auth/confirm_invalid.html"), 400
    if request.method == "GET":
        return render_template(
            "auth/confirm.html", token=token, already=user.email_confirmed_at is not None
        )
    outcome = services.confirm_email(user)
    db.session.commit()
    return render_template("auth/confirmed.html", outcome=outcome)


# --- login and logout ---------------------------------------------------------------


def _failed(response) -> bool:
    return response.status_code != 302


@bp.route("/auth/login", methods=["GET", "POST"])
@limiter.limit(LOGIN_IP_LIMIT, methods=["POST"], deduct_when=_failed)
@limiter.limit(LOGIN_ACCOUNT_LIMIT, key_func=_account_key, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.index"))
    form = forms.LoginForm()
    suspension = None
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            services.lift_expired_suspension(user)
            db.session.commit()
        if user is None or user.status in {"deleted", "rejected"}:
            flash(_("Het e-mailadres of het wachtwoord klopt niet."), "error")
        elif user.status == "suspended":
            suspension = user
        elif user.has_2fa:
            session.clear()
            session["2fa_user"] = user.get_id()
            session["2fa_remember"] = bool(form.remember.data)
            session["2fa_next"] = _safe_next(request.args.get("next"))
            return redirect(url_for("auth.login_second_factor"))
        else:
            return _complete_login(user, bool(form.remember.data), request.args.get("next"))
    return render_template("auth/login.html", form=form, suspension=suspension)


def _complete_login(user: User, remember: bool, next_url: str | None):
    session.clear()  # A fresh session: no fixation across the login boundary.
    login_user(user, remember=remember)
    services.record_login(user)
    db.session.commit()
    if not user.is_active_member:
        return redirect(url_for("auth.status"))
    return redirect(_safe_next(next_url))


@bp.route("/auth/login/2fa", methods=["GET", "POST"])
@limiter.limit(SECOND_FACTOR_LIMIT, methods=["POST"])
def login_second_factor():
    pending = session.get("2fa_user")
    user = current.load_user(pending) if pending else None
    if user is None:
        return redirect(url_for("auth.login"))
    form = forms.SecondFactorForm()
    if form.validate_on_submit():
        if services.verify_second_factor(user, form.code.data):
            remember, next_url = session.get("2fa_remember", False), session.get("2fa_next")
            return _complete_login(user, remember, next_url)
        flash(_("Deze code klopt niet. Probeer het opnieuw."), "error")
    return render_template("auth/login_2fa.html", form=form)


@bp.post("/auth/logout")
def logout():
    logout_user()
    session.clear()
    flash(_("Je bent uitgelogd."), "success")
    return redirect(url_for("core.index"))


@bp.get("/auth/status")
def status():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    if current_user.is_active_member:
        return redirect(url_for("core.index"))
    return render_template("auth/status.html")


@bp.post("/auth/confirm/resend")
@limiter.limit(FORM_IP_LIMIT)
def resend_confirmation():
    if current_user.is_authenticated and current_user.email_confirmed_at is None:
        services.send_confirmation(current_user)
        db.session.commit()
        flash(_("We hebben de bevestigingsmail opnieuw verstuurd."), "success")
    return redirect(url_for("auth.status"))


# --- password reset -----------------------------------------------------------------


@bp.route("/auth/reset", methods=["GET", "POST"])
@limiter.limit(FORM_IP_LIMIT, methods=["POST"])
def request_reset():
    form = forms.ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        return render_template("auth/reset_sent.html")
    return render_template("auth/reset_request.html", form=form)


@bp.route("/auth/reset/<token>", methods=["GET", "POST"])
@limiter.limit(FORM_IP_LIMIT, methods=["POST"])
def reset_password(token: str):
    user = read_reset_token(token, lambda uid: db.session.get(User, uid) if uid else None)
    if user is None:
        return render_template("auth/reset_invalid.html"), 400
    form = forms.NewPasswordForm(user=user)
    if form.validate_on_submit():
        services.change_password(user, form.password.data)
        db.session.commit()
        logout_user()
        flash(_("Je wachtwoord is gewijzigd. Je kunt nu inloggen."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_form.html", form=form)


# --- settings -----------------------------------------------------------------------


@bp.route("/account/profile", methods=["GET", "POST"])
@member_required
def profile():
    user = current_user._get_current_object()
    if request.method == "GET":
        fields = ("display_name", "organisation", "bio", "language", "timezone",
                  "show_organisation", "show_region")  # fmt: skip
        data = {name: getattr(user, name) for name in fields}
        data.update(sector=user.sector_id, function=user.function_id, region=user.region_id)
        form = forms.ProfileForm(data=data)
    else:
        form = forms.ProfileForm()
    form.fill_choices()
    if form.validate_on_submit():
        services.update_profile(
            user,
            services.ProfileUpdate(
                display_name=form.display_name.data,
                organisation=form.organisation.data,
                sector_id=form.sector.data,
                function_id=form.function.data,
                region_id=form.region.data,
                bio=form.bio.data or "",
                language=form.language.data,
                timezone=form.timezone.data,
                show_organisation=form.show_organisation.data,
                show_region=form.show_region.data,
            ),
        )
        session["language"] = form.language.data
        db.session.commit()
        flash(_("Je profiel is opgeslagen."), "success")
        return redirect(url_for("auth.profile"))
    return render_template("auth/profile.html", form=form)


@bp.get("/account/security")
@login_required
def security():
    return render_template(
        "auth/security.html",
        password_form=forms.ChangePasswordForm(user=current_user),
        disable_form=forms.ConfirmPasswordForm(),
    )


@bp.post("/account/security/password")
@login_required
def change_password():
    user = current_user._get_current_object()
    form = forms.ChangePasswordForm(user=user)
    if form.validate_on_submit():
        from auth.passwords import verify_password

        if not verify_password(user.password_hash, form.current_password.data):
            form.current_password.errors.append(_("Dit wachtwoord klopt niet."))
        else:
            services.change_password(user, form.password.data)
            db.session.commit()
            login_user(user)  # Keep this session; every other one has ended.
            flash(
                _("Je wachtwoord is gewijzigd. Je bent op andere apparaten uitgelogd."), "success"
            )
            return redirect(url_for("auth.security"))
    return render_template(
        "auth/security.html", password_form=form, disable_form=forms.ConfirmPasswordForm()
    ), 400


@bp.post("/account/security/logout-everywhere")
@login_required
def logout_everywhere():
    user = current_user._get_current_object()
    services.log_out_everywhere(user)
    db.session.commit()
    login_user(user)
    flash(_("Je bent op alle andere apparaten uitgelogd."), "success")
    return redirect(url_for("auth.security"))


@bp.route("/account/security/2fa", methods=["GET", "POST"])
@login_required
def enable_2fa():
    user = current_user._get_current_object()
    if user.has_2fa:
        return redirect(url_for("auth.security"))
    secret = session.get("2fa_secret")
    if not secret or request.method == "GET":
        secret = session["2fa_secret"] = services.new_totp_secret()
    form = forms.EnableTwoFactorForm()
    if form.validate_on_submit():
        if services.check_totp(secret, form.code.data):
            codes = services.enable_2fa(user, secret)
            db.session.commit()
            session.pop("2fa_secret", None)
            login_user(user)
            return render_template("auth/recovery_codes.html", codes=codes)
        form.code.errors.append(
            _("Deze code klopt niet. Controleer de tijd op je telefoon en probeer het opnieuw.")
        )
    uri = services.totp_uri(user, secret)
    qr = segno.make(uri, error="m").png_data_uri(scale=5, border=2)
    return render_template("auth/enable_2fa.html", form=form, qr=qr, secret=secret)


@bp.post("/account/security/2fa/disable")
@login_required
def disable_2fa():
    user = current_user._get_current_object()
    form = forms.ConfirmPasswordForm()
    from auth.passwords import verify_password

    if form.validate_on_submit() and verify_password(user.password_hash, form.password.data):
        services.disable_2fa(user)
        db.session.commit()
        flash(_("Tweestapsverificatie is uitgeschakeld."), "success")
    else:
        flash(_("Dit wachtwoord klopt niet."), "error")
    return redirect(url_for("auth.security"))


@bp.post("/account/security/recovery-codes")
@login_required
def new_recovery_codes():
    require(current_user.has_2fa)
    codes = services.regenerate_recovery_codes(current_user._get_current_object())
    db.session.commit()
    return render_template("auth/recovery_codes.html", codes=codes)


# --- member pages -------------------------------------------------------------------


@bp.get("/members/<int:user_id>")
@member_required
def member_page(user_id: int):
    member = db.get_or_404(User, user_id)
    require(can_view_member_page(current_user, member), hide=True)
    return render_template("auth/member.html", member=member)


# --- administration -----------------------------------------------------------------


@bp.get("/admin/members")
@admin_required
def admin_members():

    members = list(
        db.session.scalars(
            select(User).where(User.status.in_(["active", "suspended"])).order_by(User.display_name)
        )
    )
    return render_template(
        "auth/admin_members.html",
        pending=services.pending_members(),
        members=members,
        reject_form=forms.RejectForm(),
    )


@bp.post("/admin/members/<int:user_id>/approve")
@admin_required
def approve_member(user_id: int):
    member = db.get_or_404(User, user_id)
    if member.status != "pending":
        abort(409)
    services.approve_member(member, current_user._get_current_object())
    db.session.commit()
    flash(_("%(name)s is goedgekeurd.", name=member.display_name), "success")
    return redirect(url_for("auth.admin_members"))


@bp.post("/admin/members/<int:user_id>/reject")
@admin_required
def reject_member(user_id: int):
    member = db.get_or_404(User, user_id)
    form = forms.RejectForm()
    if member.status != "pending":
        abort(409)
    if not form.validate_on_submit():
        flash(_("Geef een reden op voor de afwijzing."), "error")
        return redirect(url_for("auth.admin_members"))
    services.reject_member(member, current_user._get_current_object(), form.reason.data)
    db.session.commit()
    flash(_("De aanmelding van %(name)s is afgewezen.", name=member.display_name), "success")
    return redirect(url_for("auth.admin_members"))


@bp.post("/admin/members/<int:user_id>/role")
@admin_required
def set_member_role(user_id: int):
    member = db.get_or_404(User, user_id)
    role = request.form.get("role", "")
    if role not in {"member", "moderator", "admin"} or member.id == current_user.id:
        abort(400)
    services.set_role(member, role, current_user._get_current_object())
    db.session.commit()
    flash(_("De rol van %(name)s is gewijzigd.", name=member.display_name), "success")
    return redirect(url_for("auth.admin_members"))


@bp.route("/admin/domains", methods=["GET", "POST"])
@admin_required
def admin_domains():

    form = forms.DomainForm()
    if form.validate_on_submit():
        if services.add_approved_domain(form.domain.data, current_user._get_current_object()):
            db.session.commit()
            flash(_("Het domein is toegevoegd."), "success")
            return redirect(url_for("auth.admin_domains"))
        form.domain.errors.append(_("Dit domein staat al op de lijst."))
    domains = list(db.session.scalars(select(ApprovedDomain).order_by(ApprovedDomain.domain)))
    configured = services.approved_domains() - {d.domain for d in domains}
    return render_template(
        "auth/admin_domains.html", form=form, domains=domains, configured=sorted(configured)
    )


@bp.post("/admin/domains/<int:domain_id>/delete")
@admin_required
def delete_domain(domain_id: int):
    row = db.get_or_404(ApprovedDomain, domain_id)
    services.remove_approved_domain(row, current_user._get_current_object())
    db.session.commit()
    flash(_("Het domein is verwijderd."), "success")
    return redirect(url_for("auth.admin_domains"))
