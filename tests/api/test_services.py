"""Personal access tokens: hashed at rest, found by their secret while live."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import select

from api import services
from api.models import ApiToken
from core.audit import AuditEvent
from core.db import utcnow
from core.extensions import db


def test_a_new_token_is_stored_only_as_a_hash_and_found_by_its_secret(app, make_user):
    user = make_user()
    created = services.create_token(user, "Agenda intranet", write=False, lifetime_days=30)
    db.session.commit()
    assert created.secret.startswith("jep_")
    assert len(created.secret) > 40
    stored = db.session.scalar(select(ApiToken))
    assert stored.token_hash == hashlib.sha256(created.secret.encode()).hexdigest()
    assert created.secret not in (stored.prefix, stored.token_hash, stored.name)
    assert stored.scopes == "read"
    assert services.token_for_secret(created.secret) == stored
    assert services.token_for_secret(created.secret + "x") is None
    assert db.session.scalar(select(AuditEvent.action)) == "api_token.create"


def test_the_write_scope_includes_read(app, make_user):
    token = services.create_token(make_user(), "x", write=True, lifetime_days=90).token
    assert token.scope_list == ["read", "write"]
    assert (token.expires_at - token.created_at).days == 90


def test_only_the_offered_lifetimes_are_accepted(app, make_user):
    with pytest.raises(ValueError, match="lifetime"):
        services.create_token(make_user(), "x", write=False, lifetime_days=10_000)


def test_revoked_expired_and_inactive_owners_tokens_are_not_found(app, make_user):
    user = make_user()
    revoked = services.create_token(user, "a", write=False, lifetime_days=30)
    expiring = services.create_token(user, "b", write=False, lifetime_days=30)
    services.revoke_token(revoked.token, user)
    db.session.commit()
    assert services.token_for_secret(revoked.secret) is None
    later = utcnow() + timedelta(days=31)
    assert services.token_for_secret(expiring.secret, now=later) is None
    assert services.token_for_secret(expiring.secret) is not None
    user.status = "suspended"
    db.session.commit()
    assert services.token_for_secret(expiring.secret) is None


def test_last_use_is_recorded_at_most_every_few_minutes(app, make_user):
    token = services.create_token(make_user(), "a", write=False, lifetime_days=30).token
    now = utcnow()
    assert services.record_use(token, now) is True
    assert services.record_use(token, now + timedelta(minutes=1)) is False
    assert services.record_use(token, now + timedelta(minutes=6)) is True
    assert token.last_used_at == now + timedelta(minutes=6)


def test_suspending_a_member_revokes_their_tokens(app, make_user):
    from core import signals

    user = make_user()
    created = services.create_token(user, "a", write=False, lifetime_days=30)
    db.session.commit()
    signals.member_changed.send(user=user, action="suspend", actor=None)
    db.session.commit()
    db.session.refresh(created.token)
    assert created.token.revoked_at is not None
