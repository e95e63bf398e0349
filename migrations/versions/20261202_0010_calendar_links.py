"""calendar links: secret, revocable feed URLs of a person's sessions

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 05:00:00.000000

Only the token's SHA-256 digest is stored (unique: a feed request finds its link by it).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "calendar_links",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("token_digest", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["organizations.id"], name=op.f("fk_calendar_links_org_id_organizations")),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], name=op.f("fk_calendar_links_person_id_people")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_links")),
        sa.UniqueConstraint("token_digest", name=op.f("uq_calendar_links_token_digest")),
    )
    op.create_index(op.f("ix_calendar_links_org_id"), "calendar_links", ["org_id"], unique=False)
    op.create_index(op.f("ix_calendar_links_person_id"), "calendar_links", ["person_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_calendar_links_person_id"), table_name="calendar_links")
    op.drop_index(op.f("ix_calendar_links_org_id"), table_name="calendar_links")
    op.drop_table("calendar_links")
