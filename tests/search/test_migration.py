"""Revision 0010 on an existing SQLite database: the index is rebuilt from stems."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from core import create_app
from core.extensions import db

INSERT = text(
    "INSERT INTO search_documents (kind, object_id, group_id, is_question, is_answered, "
    "is_visible, is_thread_visible, is_author_suspended, created_at, title, body_text) "
    "VALUES ('thread', 1, 1, 0, 0, 1, 1, 0, '2026-11-01 10:00:00', "
    "'Radicalisering onder jongeren', 'Hoe herken je het?')"
)


def _matches(match: str) -> int:
    return db.session.scalar(
        text("SELECT count(*) FROM search_fts WHERE search_fts MATCH :m"), {"m": match}
    )


def test_upgrade_stems_what_was_indexed_and_downgrade_restores_the_old_index(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.sqlite3'}",
                      "SECRET_KEY": "x" * 40, "INSTANCE_PATH": str(tmp_path)})  # fmt: skip
    with app.app_context():
        upgrade(revision="0003")
        db.session.execute(INSERT)
        db.session.commit()
        assert _matches('"radicaliser"') == 0  # indexed word for word before

        upgrade(revision="0010")
        assert _matches('"radicaliser"') == 1  # the existing row, stemmed
        assert _matches('"jonger"') == 1
        db.session.execute(text("UPDATE search_documents SET title = 'Polarisatie'"))
        db.session.commit()
        assert _matches('"radicaliser"') == 0
        assert _matches('"polarisatie"') == 1

        downgrade(revision="0003")
        assert _matches('"polarisatie"') == 1
        assert _matches('"polaris"*') == 1  # prefix search as before
        db.session.execute(text("DELETE FROM search_documents"))
        db.session.commit()
        assert _matches('"polarisatie"') == 0
        db.session.remove()
        db.engine.dispose()
