"""events.cancellation_reason, a verification code per attendance certificate, and no
directional override characters left in one-line fields

Revision ID: 0012
Revises: 0003
Create Date: 2026-12-02

"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


# Crockford's base 32, 24 symbols (120 bits): as events.certificates.new_certificate_code,
# copied so that the migration keeps working whatever the app code becomes.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _new_code() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(24))


# One-line fields written before the forms and services removed U+202A–U+202E and
# U+2066–U+2069 (which flip how a title displays).
_ONE_LINE_COLUMNS = {
    "threads": ("title",),
    "events": ("title", "location", "accreditation_register"),
    "users": ("display_name", "organisation"),
    "groups": ("name", "name_en"),
}
_BIDI_CONTROLS = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]


def _strip_bidi_controls(conn) -> None:
    for table_name, columns in _ONE_LINE_COLUMNS.items():
        table = sa.table(table_name, *(sa.column(name, sa.String) for name in columns))
        for name in columns:
            column = table.c[name]
            cleaned = column
            for char in _BIDI_CONTROLS:
                cleaned = sa.func.replace(cleaned, char, "")
            conn.execute(table.update().where(column != cleaned).values({name: cleaned}))


def upgrade():
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("cancellation_reason", sa.Text(), nullable=False, server_default="")
        )
    with op.batch_alter_table("event_registrations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("certificate_code", sa.String(length=32), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_event_registrations_certificate_code"), ["certificate_code"]
        )
    # Certificates already downloadable get their code now, so every one can be verified.
    registrations = sa.table(
        "event_registrations",
        sa.column("id", sa.Integer),
        sa.column("attended", sa.Boolean),
        sa.column("certificate_code", sa.String),
    )
    conn = op.get_bind()
    _strip_bidi_controls(conn)
    ids = conn.execute(
        sa.select(registrations.c.id).where(registrations.c.attended.is_(True))
    ).scalars()
    for registration_id in list(ids):
        conn.execute(
            registrations.update()
            .where(registrations.c.id == registration_id)
            .values(certificate_code=_new_code())
        )


def downgrade():
    # Removing the override characters is not undone: they were never meant to be there.
    with op.batch_alter_table("event_registrations", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("uq_event_registrations_certificate_code"), type_="unique"
        )
        batch_op.drop_column("certificate_code")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("cancellation_reason")
