"""program matching policy

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # existing programs keep the default policy ({}); the default only fills the rows already there
    op.add_column('programs', sa.Column('matching_policy', postgresql.JSONB(astext_type=sa.Text()), nullable=False,
                                        server_default=sa.text("'{}'::jsonb")))
    op.alter_column('programs', 'matching_policy', server_default=None)


def downgrade() -> None:
    op.drop_column('programs', 'matching_policy')
