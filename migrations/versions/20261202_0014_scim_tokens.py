"""scim tokens: an organization's bearer secrets for SCIM provisioning

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 05:20:00.000000

Only the secret's SHA-256 digest is stored (unique: a SCIM request finds its token by it).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "scim_tokens",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("token_digest", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["organizations.id"], name=op.f("fk_scim_tokens_org_id_organizations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scim_tokens")),
        sa.UniqueConstraint("token_digest", name=op.f("uq_scim_tokens_token_digest")),
    )
    op.create_index(op.f("ix_scim_tokens_org_id"), "scim_tokens", ["org_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_scim_tokens_org_id"), table_name="scim_tokens")
    op.drop_table("scim_tokens")
