"""scim provisioning: the provider's record on user accounts, deactivation of accounts and people

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 05:40:00.000000

userName is unique per organization without case (the SCIM filter ``userName eq`` compares so);
externalId is indexed for the providers' ``externalId eq`` lookups.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("users", sa.Column("scim_user_name", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=True))
    op.add_column("users", sa.Column("scim_external_id", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
    op.add_column("users", sa.Column("scim", postgresql.JSONB(astext_type=sa.Text()), nullable=True))
    op.add_column("users", sa.Column("deactivated_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("people", sa.Column("deactivated_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index(
        "uq_users_org_scim_user_name",
        "users",
        ["org_id", sa.text("lower(scim_user_name)")],
        unique=True,
        postgresql_where=sa.text("scim_user_name IS NOT NULL"),
    )
    op.create_index(
        "ix_users_org_scim_external_id",
        "users",
        ["org_id", "scim_external_id"],
        postgresql_where=sa.text("scim_external_id IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_users_org_scim_external_id", table_name="users")
    op.drop_index("uq_users_org_scim_user_name", table_name="users")
    op.drop_column("people", "deactivated_at")
    op.drop_column("users", "deactivated_at")
    op.drop_column("users", "scim")
    op.drop_column("users", "scim_external_id")
    op.drop_column("users", "scim_user_name")
