"""Account operations: registration, confirmation, approval, passwords, 2FA.

Services flush and never commit; the view (or CLI command) owns the transaction.
Emails are queued through the outbox and leave only after that commit.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

import pyotp
from flask import current_app
from sqlalchemy import func, select

from auth.models import ApprovedDomain, RecoveryCode, User
from auth.passwords import hash_password, verify_password
from auth.tokens import make_confirm_token, make_reset_token
from core import signals
from core.audit import record_audit
from core.db import utcnow
from core.extensions import db
from core.i18n import lazy_gettext as _l
from core.mail import queue_email
from core.text import clean_line, clean_multiline
from core.urls import external_url

RECOVERY_CODE_COUNT = 10


@dataclass(frozen=True)
class Registration:
    email: str
    password: str
    display_name: str
    organisation: str
    sector_id: int
    function_id: int
    region_id: int
    digest_opt_in: bool = False
    language: str = "nl"


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def register_member(data: Registration) -> User | None:
    """Create a pending account and email a confirmation link.

    If the address is already registered, nothing is created and the owner gets an
    email saying so; the caller shows the same page either way (no enumeration).
    """
    existing = find_user_by_email(data.email)
    if existing is not None:
        queue_email(
            existing.email,
            "auth/already_registered",
            subject=_l("Aanmelding met je e-mailadres"),
            context={"user": existing, "login_url": external_url("auth.login")},
            locale=existing.language,
        )
        return None
    user = User(
        email=normalise_email(data.email),
        password_hash=hash_password(data.password),
        display_name=clean_line(data.display_name),
        organisation=clean_line(data.organisation),
        sector_id=data.sector_id,
        function_id=data.function_id,
        region_id=data.region_id,
        digest_opt_in=data.digest_opt_in,
        language=data.language,
        status="pending",
        role="member",
        terms_accepted_at=utcnow(),
    )
    db.session.add(user)
    db.session.flush()
    send_confirmation(user)
    return user


def send_confirmation(user: User) -> None:
    queue_email(
        user.email,
        "auth/confirm",
        subject=_l("Bevestig je e-mailadres"),
        context={
            "user": user,
            "confirm_url": external_url("auth.confirm", token=make_confirm_token(user)),
        },
        locale=user.language,
    )


def approved_domains() -> set[str]:
    configured = {
        d.strip().lower().lstrip("@")
        for d in current_app.config["APPROVED_EMAIL_DOMAINS"].split(",")
        if d.strip()
    }
    stored = set(db.session.scalars(select(ApprovedDomain.domain)))
    return configured | stored


def confirm_email(user: User) -> str:
    """Mark the address confirmed; approve at once for allow-listed domains.

    Returns "approved", "waiting" (an admin must decide) or "already".
    """
    if user.email_confirmed_at is not None:
        return "already"
    user.email_confirmed_at = utcnow()
    domain = (user.email or "").rpartition("@")[2]
    if user.status == "pending" and domain in approved_domains():
        approve_member(user, actor=None, automatic=True)
        return "approved"
    db.session.flush()
    return "waiting"


def approve_member(user: User, actor: User | None, *, automatic: bool = False) -> None:
    user.status = "active"
    user.approved_at = utcnow()
    record_audit(
        actor,
        "member.approve",
        "user",
        user.id,
        subject_user=user,
        reason="automatic: approved email domain" if automatic else "",
    )
    queue_email(
        user.email,
        "auth/approved",
        subject=_l("Je account is goedgekeurd"),
        context={"user": user, "login_url": external_url("auth.login")},
        locale=user.language,
    )
    db.session.flush()


def reject_member(user: User, actor: User, reason: str) -> None:
    user.status = "rejected"
    user.end_all_sessions()
    record_audit(actor, "member.reject", "user", user.id, subject_user=user, reason=reason)
    queue_email(
        user.email,
        "auth/rejected",
        subject=_l("Je aanmelding is niet goedgekeurd"),
        context={"user": user, "reason": reason},
        locale=user.language,
    )
    db.session.flush()


def authenticate(email: str, password: str) -> User | None:
    """The account for these credentials, or None. Same cost for unknown addresses."""
    user = find_user_by_email(email)
    if not verify_password(user.password_hash if user else None, password):
        return None
    return user


def lift_expired_suspension(user: User) -> None:
    if (
        user.status == "suspended"
        and user.suspended_until is not None
        and user.suspended_until <= utcnow()
    ):
        user.status = "active"
        user.suspended_reason = None
        user.suspended_until = None
        user.suspended_through = None
        db.session.flush()
        signals.member_changed.send(user=user, action="unsuspend", actor=None)


def record_login(user: User) -> None:
    user.last_login_at = utcnow()
    db.session.flush()


def change_password(user: User, new_password: str) -> None:
    """Set a new password and end every other session."""
    user.password_hash = hash_password(new_password)
    user.end_all_sessions()
    db.session.flush()


def request_password_reset(email: str) -> None:
    """Email a reset link if the address belongs to an account; silent otherwise."""
    user = find_user_by_email(email)
    if user is None or user.status in {"deleted", "rejected"}:
        return
    queue_email(
        user.email,
        "auth/reset",
        subject=_l("Nieuw wachtwoord instellen"),
        context={
            "user": user,
            "reset_url": external_url("auth.reset_password", token=make_reset_token(user)),
        },
        locale=user.language,
    )


def log_out_everywhere(user: User) -> None:
    user.end_all_sessions()
    db.session.flush()


@dataclass(frozen=True)
class ProfileUpdate:
    display_name: str
    organisation: str
    sector_id: int
    function_id: int
    region_id: int
    bio: str
    language: str
    timezone: str
    show_organisation: bool
    show_region: bool


def update_profile(user: User, data: ProfileUpdate) -> None:
    """Save the profile; names and organisation as one clean line (no direction tricks)."""
    sector_before = user.sector_id
    for name, value in data.__dict__.items():
        if name in {"display_name", "organisation"}:
            value = clean_line(value)
        elif name == "bio":
            value = clean_multiline(value)
        setattr(user, name, value.strip() if isinstance(value, str) else value)
    db.session.flush()
    if user.sector_id != sector_before:  # search shows the author's sector
        signals.member_changed.send(user=user, action="update", actor=user)


# --- two-factor authentication ------------------------------------------------------


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(
        name=user.email or str(user.id), issuer_name=current_app.config["SITE_NAME"]
    )


def check_totp(secret: str | None, code: str) -> bool:
    code = "".join(code.split())
    return bool(secret) and code.isdigit() and pyotp.TOTP(secret).verify(code, valid_window=1)


def _hash_code(code: str) -> str:
    normalised = code.replace("-", "").replace(" ", "").lower()
    return hashlib.sha256(normalised.encode()).hexdigest()


def enable_2fa(user: User, secret: str) -> list[str]:
    """Turn on TOTP and return fresh recovery codes (shown once, stored hashed)."""
    user.totp_secret = secret
    user.totp_enabled_at = utcnow()
    user.end_all_sessions()
    codes = regenerate_recovery_codes(user)
    record_audit(user, "account.2fa_enable", "user", user.id, subject_user=user)
    return codes


def regenerate_recovery_codes(user: User) -> list[str]:
    user.recovery_codes.clear()
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = secrets.token_hex(5)
        code = f"{raw[:5]}-{raw[5:]}"
        codes.append(code)
        user.recovery_codes.append(RecoveryCode(code_hash=_hash_code(code)))
    db.session.flush()
    return codes


def disable_2fa(user: User) -> None:
    user.totp_secret = None
    user.totp_enabled_at = None
    user.recovery_codes.clear()
    record_audit(user, "account.2fa_disable", "user", user.id, subject_user=user)
    db.session.flush()


def verify_second_factor(user: User, code: str) -> bool:
    """A TOTP code, or an unused recovery code (which is then spent)."""
    if check_totp(user.totp_secret, code):
        return True
    wanted = _hash_code(code)
    for recovery in user.recovery_codes:
        if recovery.used_at is None and secrets.compare_digest(recovery.code_hash, wanted):
            recovery.used_at = utcnow()
            db.session.flush()
            return True
    return False


# --- administration -----------------------------------------------------------------


def create_user(
    email: str, name: str, role: str, password: str | None, *, active: bool = True
) -> tuple[User, str]:
    """Create (or update) an account from the command line. Returns it and its password."""
    password = password or secrets.token_urlsafe(12)
    user = find_user_by_email(email)
    if user is None:
        user = User(email=normalise_email(email), display_name=clean_line(name))
        db.session.add(user)
    user.display_name = clean_line(name)
    user.role = role
    user.password_hash = hash_password(password)
    if active:
        user.status = "active"
        user.email_confirmed_at = user.email_confirmed_at or utcnow()
        user.approved_at = user.approved_at or utcnow()
        user.terms_accepted_at = user.terms_accepted_at or utcnow()
    db.session.flush()
    return user, password


def add_approved_domain(domain: str, actor: User) -> ApprovedDomain | None:
    domain = domain.strip().lower().lstrip("@")
    if not domain or db.session.scalar(
        select(ApprovedDomain).where(ApprovedDomain.domain == domain)
    ):
        return None
    row = ApprovedDomain(domain=domain)
    db.session.add(row)
    db.session.flush()
    record_audit(actor, "domain.add", "approved_domain", row.id, details={"domain": domain})
    return row


def remove_approved_domain(row: ApprovedDomain, actor: User) -> None:
    record_audit(actor, "domain.remove", "approved_domain", row.id, details={"domain": row.domain})
    db.session.delete(row)
    db.session.flush()


def set_role(user: User, role: str, actor: User) -> None:
    old = user.role
    user.role = role
    record_audit(
        actor, "member.role", "user", user.id, subject_user=user, details={"from": old, "to": role}
    )
    db.session.flush()


def pending_members() -> list[User]:
    return list(
        db.session.scalars(select(User).where(User.status == "pending").order_by(User.created_at))
    )
