"""sign-in sessions, refresh tokens, login attempts and codes

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 01:22:31.568407

Everything secret is stored as a SHA-256 digest; existing users simply have no provider subject yet.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('login_attempts',
    sa.Column('state_digest', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('browser_digest', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('nonce', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('code_verifier', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('redirect_uri', sqlmodel.sql.sqltypes.AutoString(length=600), nullable=False),
    sa.Column('client_code_challenge', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('consumed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_login_attempts_org_id_organizations')),
    sa.PrimaryKeyConstraint('state_digest', name=op.f('pk_login_attempts'))
    )
    op.create_index(op.f('ix_login_attempts_expires_at'), 'login_attempts', ['expires_at'], unique=False)
    op.create_index(op.f('ix_login_attempts_org_id'), 'login_attempts', ['org_id'], unique=False)
    op.create_table('login_codes',
    sa.Column('code_digest', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('code_challenge', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_login_codes_user_id_users')),
    sa.PrimaryKeyConstraint('code_digest', name=op.f('pk_login_codes'))
    )
    op.create_index(op.f('ix_login_codes_expires_at'), 'login_codes', ['expires_at'], unique=False)
    op.create_index(op.f('ix_login_codes_user_id'), 'login_codes', ['user_id'], unique=False)
    op.create_table('signin_sessions',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_reason', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_signin_sessions_org_id_organizations')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_signin_sessions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signin_sessions'))
    )
    op.create_index(op.f('ix_signin_sessions_org_id'), 'signin_sessions', ['org_id'], unique=False)
    op.create_index(op.f('ix_signin_sessions_user_id'), 'signin_sessions', ['user_id'], unique=False)
    op.create_table('refresh_tokens',
    sa.Column('token_digest', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('session_id', sa.Uuid(), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['session_id'], ['signin_sessions.id'], name=op.f('fk_refresh_tokens_session_id_signin_sessions')),
    sa.PrimaryKeyConstraint('token_digest', name=op.f('pk_refresh_tokens'))
    )
    op.create_index(op.f('ix_refresh_tokens_session_id'), 'refresh_tokens', ['session_id'], unique=False)
    op.add_column('sso_configs', sa.Column('frontend_url', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True))
    op.add_column('users', sa.Column('sso_subject', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True))
    op.add_column('users', sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True))
    op.create_unique_constraint(op.f('uq_users_org_id_sso_subject'), 'users', ['org_id', 'sso_subject'])


def downgrade() -> None:
    op.drop_constraint(op.f('uq_users_org_id_sso_subject'), 'users', type_='unique')
    op.drop_column('users', 'last_login_at')
    op.drop_column('users', 'sso_subject')
    op.drop_column('sso_configs', 'frontend_url')
    op.drop_index(op.f('ix_refresh_tokens_session_id'), table_name='refresh_tokens')
    op.drop_table('refresh_tokens')
    op.drop_index(op.f('ix_signin_sessions_user_id'), table_name='signin_sessions')
    op.drop_index(op.f('ix_signin_sessions_org_id'), table_name='signin_sessions')
    op.drop_table('signin_sessions')
    op.drop_index(op.f('ix_login_codes_user_id'), table_name='login_codes')
    op.drop_index(op.f('ix_login_codes_expires_at'), table_name='login_codes')
    op.drop_table('login_codes')
    op.drop_index(op.f('ix_login_attempts_org_id'), table_name='login_attempts')
    op.drop_index(op.f('ix_login_attempts_expires_at'), table_name='login_attempts')
    op.drop_table('login_attempts')
