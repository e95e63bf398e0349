"""scim groups: the identity provider's groups, whose membership maps to roles

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 06:00:00.000000

A displayName is the organization's once, compared without case.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "scim_groups",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("display_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("external_id", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("member_ids", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["organizations.id"], name=op.f("fk_scim_groups_org_id_organizations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scim_groups")),
    )
    op.create_index(op.f("ix_scim_groups_org_id"), "scim_groups", ["org_id"], unique=False)
    op.create_index(
        "uq_scim_groups_org_display_name", "scim_groups", ["org_id", sa.text("lower(display_name)")], unique=True
    )


def downgrade() -> None:
    op.drop_index("uq_scim_groups_org_display_name", table_name="scim_groups")
    op.drop_index(op.f("ix_scim_groups_org_id"), table_name="scim_groups")
    op.drop_table("scim_groups")
