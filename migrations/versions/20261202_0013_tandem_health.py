"""tandem health, stored: health, its reasons and when it last changed, on the tandem row

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 08:00:00.000000

Health is derived (app/domain/health.py) and rewritten in the transaction of every change that
affects it and by the worker's sweep as time passes. Open tandems of an existing database start
without a value (null, as closed tandems keep it): the worker's first health sweep, a few
minutes after it starts, assesses every open tandem; ``tandem upkeep`` does it at once.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("tandems", sa.Column("health", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))
    op.add_column("tandems", sa.Column("health_reasons", postgresql.JSONB(), nullable=True))
    op.add_column("tandems", sa.Column("health_changed_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_tandems_program_health", "tandems", ["program_id", "health"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_tandems_program_health", table_name="tandems")
    op.drop_column("tandems", "health_changed_at")
    op.drop_column("tandems", "health_reasons")
    op.drop_column("tandems", "health")
