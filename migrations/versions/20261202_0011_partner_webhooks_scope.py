"""partners that could do everything keep doing everything: they get the webhooks:manage scope

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 06:00:00.000000

A partner registered before 0009 with the default (every scope there was) holds mentors:sync and
mentors:read; the default now includes webhooks:manage, so such a partner gets it too and may
register endpoints for the events it can already pull. A partner an operator narrowed on purpose
(only one of the two) keeps exactly what it was given: a new power is not handed out silently.
Tokens issued before carry their old scopes until they expire.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        """
        UPDATE partners
        SET allowed_scopes = allowed_scopes || '["webhooks:manage"]'::jsonb,
            version = version + 1,
            updated_at = now()
        WHERE allowed_scopes @> '["mentors:sync", "mentors:read"]'::jsonb
          AND NOT allowed_scopes @> '["webhooks:manage"]'::jsonb
        """
    )


def downgrade() -> None:
    # Left as it is: the scope is valid at 0010, and which partners got it here rather than from
    # an operator afterwards cannot be told apart; taking it from all of them would be wrong.
    pass
