"""The per-process copy of the terms (`core.taxonomy.term_labels`): names in both
languages, and a renamed term shows its new name once the copy has expired."""

from __future__ import annotations

import time

from flask_babel import force_locale
from sqlalchemy import select

from core import taxonomy
from core.extensions import db
from core.taxonomy import Sector, term_labels


def test_term_labels_gives_every_term_with_its_names(app):
    sectors = {s.id: s for s in db.session.scalars(select(Sector))}
    labels = term_labels(Sector)
    assert set(labels) == set(sectors)
    police = next(s for s in sectors.values() if s.key == "politie")
    assert labels[police.id].key == "politie"
    with app.test_request_context(), force_locale("en"):
        assert labels[police.id].label == police.name_en
    with app.test_request_context(), force_locale("nl"):
        assert labels[police.id].label == police.name_nl


def test_a_renamed_term_shows_its_new_name_once_the_copy_expired(app, monkeypatch):
    police = db.session.scalar(select(Sector).where(Sector.key == "politie"))
    original = police.name_nl
    term_labels(Sector)  # a copy for a minute
    police.name_nl = "Politie (wijkteams)"
    db.session.commit()
    try:
        assert term_labels(Sector)[police.id].name_nl == original  # still the copy
        clock = time.monotonic() + taxonomy.TERM_CACHE_SECONDS + 1
        monkeypatch.setattr(taxonomy.time, "monotonic", lambda: clock)
        assert term_labels(Sector)[police.id].name_nl == "Politie (wijkteams)"
    finally:
        police.name_nl = original
        db.session.commit()
