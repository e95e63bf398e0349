"""preferences availability sso idempotency

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 22:43:14.547312
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('idempotency_keys',
    sa.Column('scope', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('request_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=True),
    sa.Column('response_headers', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('response_body', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('scope', 'key', name=op.f('pk_idempotency_keys'))
    )
    op.create_index(op.f('ix_idempotency_keys_created_at'), 'idempotency_keys', ['created_at'], unique=False)
    op.create_table('sso_configs',
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('issuer', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('client_id', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('client_secret_encrypted', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('allowed_email_domains', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('role_claim', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('role_mapping', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('default_role', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_sso_configs_org_id_organizations')),
    sa.PrimaryKeyConstraint('org_id', name=op.f('pk_sso_configs'))
    )
    op.create_table('preferences',
    sa.Column('author_enrollment_id', sa.Uuid(), nullable=False),
    sa.Column('candidate_enrollment_id', sa.Uuid(), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('program_id', sa.Uuid(), nullable=False),
    sa.Column('choice', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_enrollment_id'], ['enrollments.id'], name=op.f('fk_preferences_author_enrollment_id_enrollments')),
    sa.ForeignKeyConstraint(['candidate_enrollment_id'], ['enrollments.id'], name=op.f('fk_preferences_candidate_enrollment_id_enrollments')),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_preferences_org_id_organizations')),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_preferences_program_id_programs')),
    sa.PrimaryKeyConstraint('author_enrollment_id', 'candidate_enrollment_id', name=op.f('pk_preferences'))
    )
    op.create_index(op.f('ix_preferences_candidate_enrollment_id'), 'preferences', ['candidate_enrollment_id'], unique=False)
    op.create_index(op.f('ix_preferences_org_id'), 'preferences', ['org_id'], unique=False)
    op.create_index(op.f('ix_preferences_program_id'), 'preferences', ['program_id'], unique=False)
    # existing people start with no availability; the default only fills the rows already there
    op.add_column('people', sa.Column('availability', postgresql.JSONB(astext_type=sa.Text()), nullable=False,
                                      server_default=sa.text("'[]'::jsonb")))
    op.alter_column('people', 'availability', server_default=None)


def downgrade() -> None:
    op.drop_column('people', 'availability')
    op.drop_index(op.f('ix_preferences_program_id'), table_name='preferences')
    op.drop_index(op.f('ix_preferences_org_id'), table_name='preferences')
    op.drop_index(op.f('ix_preferences_candidate_enrollment_id'), table_name='preferences')
    op.drop_table('preferences')
    op.drop_table('sso_configs')
    op.drop_index(op.f('ix_idempotency_keys_created_at'), table_name='idempotency_keys')
    op.drop_table('idempotency_keys')
