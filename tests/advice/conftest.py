"""Advice desk fixtures: one factory for questions (built through the service)."""

from __future__ import annotations

import pytest

from core.extensions import db


@pytest.fixture
def ask_advice(app):
    """File a question through the service: `ask_advice(asker, subject=…, urgency=…)`."""
    from advice import services

    def factory(
        asker,
        *,
        subject="Leerling deelt extreme filmpjes",
        body="Situatie: een leerling deelt filmpjes in de klasgroep.",
        now=None,
        **fields,
    ):
        question = services.ask_question(
            asker, services.NewQuestion(subject=subject, body=body, **fields), now=now
        )
        db.session.commit()
        return question

    return factory
