"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-27 22:28:17.891053
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('organizations',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('slug', sqlmodel.sql.sqltypes.AutoString(length=63), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organizations')),
    sa.UniqueConstraint('slug', name=op.f('uq_organizations_slug'))
    )
    op.create_table('outbox',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('type', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('subject_id', sa.Uuid(), nullable=False),
    sa.Column('data', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_outbox_org_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox'))
    )
    op.create_index(op.f('ix_outbox_org_id'), 'outbox', ['org_id'], unique=False)
    op.create_index(op.f('ix_outbox_published_at'), 'outbox', ['published_at'], unique=False)
    op.create_table('people',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('display_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=True),
    sa.Column('birth_year', sa.Integer(), nullable=False),
    sa.Column('bio', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('interests', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('languages', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('department', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('seniority', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('city', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('timezone', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('preferred_formats', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('partner_id', sa.Uuid(), nullable=True),
    sa.Column('external_id', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_people_org_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_people')),
    sa.UniqueConstraint('org_id', 'email', name=op.f('uq_people_org_id_email'))
    )
    op.create_index(op.f('ix_people_org_id'), 'people', ['org_id'], unique=False)
    op.create_table('programs',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('rules', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.CheckConstraint('ends_on > starts_on', name=op.f('ck_programs_period_order')),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_programs_org_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programs'))
    )
    op.create_index(op.f('ix_programs_org_id'), 'programs', ['org_id'], unique=False)
    op.create_table('enrollments',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('program_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('needs', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('offers', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('key_questions', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.CheckConstraint('capacity >= 1', name=op.f('ck_enrollments_capacity_positive')),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_enrollments_org_id_organizations')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_enrollments_person_id_people')),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_enrollments_program_id_programs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrollments'))
    )
    op.create_index(op.f('ix_enrollments_org_id'), 'enrollments', ['org_id'], unique=False)
    op.create_index(op.f('ix_enrollments_person_id'), 'enrollments', ['person_id'], unique=False)
    op.create_index(op.f('ix_enrollments_program_id'), 'enrollments', ['program_id'], unique=False)
    op.create_index('uq_enrollments_active_person', 'enrollments', ['program_id', 'person_id'], unique=True, postgresql_where=sa.text("status = 'active'"))
    op.create_table('pair_exclusions',
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('mentor_person_id', sa.Uuid(), nullable=False),
    sa.Column('mentee_person_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['mentee_person_id'], ['people.id'], name=op.f('fk_pair_exclusions_mentee_person_id_people')),
    sa.ForeignKeyConstraint(['mentor_person_id'], ['people.id'], name=op.f('fk_pair_exclusions_mentor_person_id_people')),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_pair_exclusions_org_id_organizations')),
    sa.PrimaryKeyConstraint('org_id', 'mentor_person_id', 'mentee_person_id', name=op.f('pk_pair_exclusions'))
    )
    op.create_table('users',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=True),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=True),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_users_org_id_organizations')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_users_person_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('org_id', 'email', name=op.f('uq_users_org_id_email'))
    )
    op.create_index(op.f('ix_users_org_id'), 'users', ['org_id'], unique=False)
    op.create_index(op.f('ix_users_person_id'), 'users', ['person_id'], unique=False)
    op.create_table('tandems',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('program_id', sa.Uuid(), nullable=False),
    sa.Column('mentor_enrollment_id', sa.Uuid(), nullable=False),
    sa.Column('mentee_enrollment_id', sa.Uuid(), nullable=False),
    sa.Column('mentor_person_id', sa.Uuid(), nullable=False),
    sa.Column('mentee_person_id', sa.Uuid(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('formats', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('mentor_accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('mentee_accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('fit_mentor', sa.Boolean(), nullable=True),
    sa.Column('fit_mentee', sa.Boolean(), nullable=True),
    sa.Column('rematch_flagged', sa.Boolean(), nullable=False),
    sa.Column('end_reason', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('never_pair_again', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['mentee_enrollment_id'], ['enrollments.id'], name=op.f('fk_tandems_mentee_enrollment_id_enrollments')),
    sa.ForeignKeyConstraint(['mentee_person_id'], ['people.id'], name=op.f('fk_tandems_mentee_person_id_people')),
    sa.ForeignKeyConstraint(['mentor_enrollment_id'], ['enrollments.id'], name=op.f('fk_tandems_mentor_enrollment_id_enrollments')),
    sa.ForeignKeyConstraint(['mentor_person_id'], ['people.id'], name=op.f('fk_tandems_mentor_person_id_people')),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_tandems_org_id_organizations')),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_tandems_program_id_programs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tandems'))
    )
    op.create_index(op.f('ix_tandems_mentee_person_id'), 'tandems', ['mentee_person_id'], unique=False)
    op.create_index(op.f('ix_tandems_mentor_person_id'), 'tandems', ['mentor_person_id'], unique=False)
    op.create_index('ix_tandems_open_mentor', 'tandems', ['mentor_enrollment_id'], unique=False, postgresql_where=sa.text("status IN ('proposed', 'active', 'paused')"))
    op.create_index(op.f('ix_tandems_org_id'), 'tandems', ['org_id'], unique=False)
    op.create_index('ix_tandems_program_created', 'tandems', ['program_id', 'created_at', 'id'], unique=False)
    op.create_index('uq_tandems_open_mentee', 'tandems', ['mentee_enrollment_id'], unique=True, postgresql_where=sa.text("status IN ('proposed', 'active', 'paused')"))
    op.create_table('goals',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('tandem_id', sa.Uuid(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_goals_org_id_organizations')),
    sa.ForeignKeyConstraint(['tandem_id'], ['tandems.id'], name=op.f('fk_goals_tandem_id_tandems')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goals'))
    )
    op.create_index(op.f('ix_goals_org_id'), 'goals', ['org_id'], unique=False)
    op.create_index(op.f('ix_goals_tandem_id'), 'goals', ['tandem_id'], unique=False)
    op.create_table('sessions',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('tandem_id', sa.Uuid(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('format', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('location', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('video_link', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('agenda', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('notes', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('goals_covered', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.CheckConstraint('duration_minutes > 0', name=op.f('ck_sessions_duration_positive')),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_sessions_org_id_organizations')),
    sa.ForeignKeyConstraint(['tandem_id'], ['tandems.id'], name=op.f('fk_sessions_tandem_id_tandems')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sessions'))
    )
    op.create_index(op.f('ix_sessions_org_id'), 'sessions', ['org_id'], unique=False)
    op.create_index(op.f('ix_sessions_tandem_id'), 'sessions', ['tandem_id'], unique=False)
    op.create_table('tandem_transitions',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('tandem_id', sa.Uuid(), nullable=False),
    sa.Column('from_status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    sa.Column('to_status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('actor_id', sa.Uuid(), nullable=True),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_tandem_transitions_org_id_organizations')),
    sa.ForeignKeyConstraint(['tandem_id'], ['tandems.id'], name=op.f('fk_tandem_transitions_tandem_id_tandems')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tandem_transitions'))
    )
    op.create_index(op.f('ix_tandem_transitions_org_id'), 'tandem_transitions', ['org_id'], unique=False)
    op.create_index(op.f('ix_tandem_transitions_tandem_id'), 'tandem_transitions', ['tandem_id'], unique=False)
    op.create_table('feedback',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('session_id', sa.Uuid(), nullable=False),
    sa.Column('author_person_id', sa.Uuid(), nullable=False),
    sa.Column('side', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.Column('learned', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('goals_covered', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('comment', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('rating BETWEEN 1 AND 5', name=op.f('ck_feedback_rating_range')),
    sa.ForeignKeyConstraint(['author_person_id'], ['people.id'], name=op.f('fk_feedback_author_person_id_people')),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_feedback_org_id_organizations')),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], name=op.f('fk_feedback_session_id_sessions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback')),
    sa.UniqueConstraint('session_id', 'author_person_id', name=op.f('uq_feedback_session_id_author_person_id'))
    )
    op.create_index(op.f('ix_feedback_author_person_id'), 'feedback', ['author_person_id'], unique=False)
    op.create_index(op.f('ix_feedback_org_id'), 'feedback', ['org_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_feedback_org_id'), table_name='feedback')
    op.drop_index(op.f('ix_feedback_author_person_id'), table_name='feedback')
    op.drop_table('feedback')
    op.drop_index(op.f('ix_tandem_transitions_tandem_id'), table_name='tandem_transitions')
    op.drop_index(op.f('ix_tandem_transitions_org_id'), table_name='tandem_transitions')
    op.drop_table('tandem_transitions')
    op.drop_index(op.f('ix_sessions_tandem_id'), table_name='sessions')
    op.drop_index(op.f('ix_sessions_org_id'), table_name='sessions')
    op.drop_table('sessions')
    op.drop_index(op.f('ix_goals_tandem_id'), table_name='goals')
    op.drop_index(op.f('ix_goals_org_id'), table_name='goals')
    op.drop_table('goals')
    op.drop_index('uq_tandems_open_mentee', table_name='tandems', postgresql_where=sa.text("status IN ('proposed', 'active', 'paused')"))
    op.drop_index('ix_tandems_program_created', table_name='tandems')
    op.drop_index(op.f('ix_tandems_org_id'), table_name='tandems')
    op.drop_index('ix_tandems_open_mentor', table_name='tandems', postgresql_where=sa.text("status IN ('proposed', 'active', 'paused')"))
    op.drop_index(op.f('ix_tandems_mentor_person_id'), table_name='tandems')
    op.drop_index(op.f('ix_tandems_mentee_person_id'), table_name='tandems')
    op.drop_table('tandems')
    op.drop_index(op.f('ix_users_person_id'), table_name='users')
    op.drop_index(op.f('ix_users_org_id'), table_name='users')
    op.drop_table('users')
    op.drop_table('pair_exclusions')
    op.drop_index('uq_enrollments_active_person', table_name='enrollments', postgresql_where=sa.text("status = 'active'"))
    op.drop_index(op.f('ix_enrollments_program_id'), table_name='enrollments')
    op.drop_index(op.f('ix_enrollments_person_id'), table_name='enrollments')
    op.drop_index(op.f('ix_enrollments_org_id'), table_name='enrollments')
    op.drop_table('enrollments')
    op.drop_index(op.f('ix_programs_org_id'), table_name='programs')
    op.drop_table('programs')
    op.drop_index(op.f('ix_people_org_id'), table_name='people')
    op.drop_table('people')
    op.drop_index(op.f('ix_outbox_published_at'), table_name='outbox')
    op.drop_index(op.f('ix_outbox_org_id'), table_name='outbox')
    op.drop_table('outbox')
    op.drop_table('organizations')
