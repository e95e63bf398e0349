"""matching runs and the job queue (procrastinate)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 12:00:00.000000

The job queue's schema is procrastinate's own SQL (the version pinned in constraints.txt).
A later procrastinate upgrade applies procrastinate's migration scripts in a new revision.
"""

import re
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from procrastinate.schema import SchemaManager
from sqlalchemy.dialects import postgresql
from sqlalchemy.util import await_only

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _job_queue_objects(kind: str) -> list[str]:
    pattern = r'CREATE (?:OR REPLACE )?' + kind + r' (?:IF NOT EXISTS )?(procrastinate_\w+)'
    return sorted(set(re.findall(pattern, SchemaManager.get_schema())))


def _run_script(sql: str) -> None:
    """A multi-statement script goes to asyncpg as one simple query (no prepared statement)."""
    driver = op.get_bind().connection.driver_connection
    await_only(driver.execute(sql))  # type: ignore[union-attr]


def upgrade() -> None:
    op.create_table('matching_runs',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('program_id', sa.Uuid(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('pinned', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('proposals', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('unmatched', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('error', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('accepted_proposal_ids', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.CheckConstraint('progress >= 0 AND progress <= 100', name=op.f('ck_matching_runs_progress_range')),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_matching_runs_org_id_organizations')),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_matching_runs_program_id_programs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matching_runs'))
    )
    op.create_index('ix_matching_runs_program_created', 'matching_runs', ['program_id', 'created_at', 'id'],
                    unique=False)
    op.create_index(op.f('ix_matching_runs_org_id'), 'matching_runs', ['org_id'], unique=False)
    _run_script(SchemaManager.get_schema())


def downgrade() -> None:
    tables = _job_queue_objects('TABLE')
    functions = _job_queue_objects('FUNCTION')
    types = _job_queue_objects('TYPE')
    _run_script(
        ''.join(f'DROP TABLE IF EXISTS {name} CASCADE;\n' for name in tables)
        + ''.join(f'DROP FUNCTION IF EXISTS {name} CASCADE;\n' for name in functions)
        + ''.join(f'DROP TYPE IF EXISTS {name} CASCADE;\n' for name in types)
    )
    op.drop_index(op.f('ix_matching_runs_org_id'), table_name='matching_runs')
    op.drop_index('ix_matching_runs_program_created', table_name='matching_runs')
    op.drop_table('matching_runs')
