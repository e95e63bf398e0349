"""users: the provider's display name and issuer

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 09:00:00.000000

GET /v1/me shows who signed in even without a person profile: the name the provider gave at the
last sign-in and the issuer that vouched for the subject. Users who signed in before this
revision get their organization's current issuer; their name arrives with their next sign-in.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('users', sa.Column('sso_issuer', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True))
    op.add_column('users', sa.Column('display_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
    op.execute(
        "UPDATE users SET sso_issuer = sso_configs.issuer FROM sso_configs "
        "WHERE users.org_id = sso_configs.org_id AND users.sso_subject IS NOT NULL"
    )


def downgrade() -> None:
    op.drop_column('users', 'display_name')
    op.drop_column('users', 'sso_issuer')
