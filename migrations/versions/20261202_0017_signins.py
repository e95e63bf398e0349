"""sign-ins are not sessions: rename signin_sessions to signins

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 06:00:00.000000

A "session" in Tandem is a meeting of a tandem. The family of refresh tokens that one sign-in
starts was also called a session (the table ``signin_sessions``, ``refresh_tokens.session_id``);
it is a sign-in now, in the code and in the schema. Only names change: no row is touched.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (old, new) for the table, its constraints and indexes, then the refresh tokens' reference
_TABLE = ("signin_sessions", "signins")
_CONSTRAINTS = [
    ("signins", "pk_signin_sessions", "pk_signins"),
    ("signins", "fk_signin_sessions_org_id_organizations", "fk_signins_org_id_organizations"),
    ("signins", "fk_signin_sessions_user_id_users", "fk_signins_user_id_users"),
    ("refresh_tokens", "fk_refresh_tokens_session_id_signin_sessions", "fk_refresh_tokens_signin_id_signins"),
]
_INDEXES = [
    ("ix_signin_sessions_org_id", "ix_signins_org_id"),
    ("ix_signin_sessions_user_id", "ix_signins_user_id"),
    ("ix_refresh_tokens_session_id", "ix_refresh_tokens_signin_id"),
]


def upgrade() -> None:
    op.rename_table(*_TABLE)
    op.alter_column("refresh_tokens", "session_id", new_column_name="signin_id")
    for table, old, new in _CONSTRAINTS:
        op.execute(f"ALTER TABLE {table} RENAME CONSTRAINT {old} TO {new}")
    for old, new in _INDEXES:
        op.execute(f"ALTER INDEX {old} RENAME TO {new}")


def downgrade() -> None:
    for old, new in _INDEXES:
        op.execute(f"ALTER INDEX {new} RENAME TO {old}")
    for table, old, new in _CONSTRAINTS:
        op.execute(f"ALTER TABLE {table} RENAME CONSTRAINT {new} TO {old}")
    op.alter_column("refresh_tokens", "signin_id", new_column_name="session_id")
    op.rename_table(_TABLE[1], _TABLE[0])
