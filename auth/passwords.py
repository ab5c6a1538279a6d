"""Password hashing (Argon2id) and the password rules."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from core.i18n import lazy_gettext as _l

MIN_LENGTH = 12
_hasher = PasswordHasher()
# A fixed hash to verify against when the account does not exist, so that a login
# for an unknown address takes as long as one for a known address.
_DUMMY_HASH = _hasher.hash("not-a-real-password-000")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def password_problems(password: str, *, email: str = "", name: str = "") -> list[str]:
    """Reasons why a password is not acceptable (empty when it is)."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(str(_l("Gebruik minstens %(n)s tekens.", n=MIN_LENGTH)))
    lowered = password.lower()
    local_part = email.split("@", 1)[0].lower()
    if email and (lowered == email.lower() or (len(local_part) >= 4 and local_part in lowered)):
        problems.append(str(_l("Gebruik niet je e-mailadres in je wachtwoord.")))
    if name and len(name.strip()) >= 4 and name.strip().lower() in lowered:
        problems.append(str(_l("Gebruik niet je naam in je wachtwoord.")))
    return problems
