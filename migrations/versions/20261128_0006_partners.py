"""partner networks: clients, grants, mentor pools

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 02:00:00.000000

Client secrets are stored as SHA-256 digests only. people.partner_id gains its foreign key: no
earlier revision's code ever wrote that column, so existing rows hold NULL there.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('partners',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('client_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('client_secret_digest', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('allowed_scopes', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partners')),
    sa.UniqueConstraint('client_id', name=op.f('uq_partners_client_id')),
    sa.UniqueConstraint('name', name=op.f('uq_partners_name'))
    )
    op.create_table('partner_grants',
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('partner_id', sa.Uuid(), nullable=False),
    sa.Column('granted_by', sa.Uuid(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_partner_grants_org_id_organizations')),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_partner_grants_partner_id_partners')),
    sa.PrimaryKeyConstraint('org_id', 'partner_id', name=op.f('pk_partner_grants'))
    )
    op.create_index(op.f('ix_partner_grants_partner_id'), 'partner_grants', ['partner_id'], unique=False)
    op.create_table('partner_mentors',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('partner_id', sa.Uuid(), nullable=False),
    sa.Column('external_id', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('display_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=True),
    sa.Column('birth_year', sa.Integer(), nullable=False),
    sa.Column('bio', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('interests', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('languages', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('city', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('timezone', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('preferred_formats', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('birth_year >= 1981', name=op.f('ck_partner_mentors_digital_native')),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_partner_mentors_partner_id_partners')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partner_mentors')),
    sa.UniqueConstraint('partner_id', 'external_id', name=op.f('uq_partner_mentors_partner_id_external_id'))
    )
    op.create_index('ix_partner_mentors_partner_updated', 'partner_mentors', ['partner_id', 'updated_at', 'id'],
                    unique=False)
    op.create_index('uq_people_partner_external', 'people', ['partner_id', 'external_id', 'org_id'], unique=True,
                    postgresql_where=sa.text('partner_id IS NOT NULL'))
    op.create_foreign_key(op.f('fk_people_partner_id_partners'), 'people', 'partners', ['partner_id'], ['id'])


def downgrade() -> None:
    op.drop_constraint(op.f('fk_people_partner_id_partners'), 'people', type_='foreignkey')
    op.drop_index('uq_people_partner_external', table_name='people', postgresql_where=sa.text('partner_id IS NOT NULL'))
    op.drop_index('ix_partner_mentors_partner_updated', table_name='partner_mentors')
    op.drop_table('partner_mentors')
    op.drop_index(op.f('ix_partner_grants_partner_id'), table_name='partner_grants')
    op.drop_table('partner_grants')
    op.drop_table('partners')
