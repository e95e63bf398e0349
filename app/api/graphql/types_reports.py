"""The program report's rows as GraphQL objects: the same rows as REST's report.json."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import strawberry

from app.domain.report import TandemReportRow


@strawberry.type(description="one tandem in the program report")
class ReportRow:
    tandem_id: UUID
    mentor: str = strawberry.field(description="the mentor's display name")
    mentee: str = strawberry.field(description="the mentee's display name")
    status: str
    health: str | None = strawberry.field(description="open tandems only; null for closed ones")
    health_reason: str | None
    sessions_held: int
    sessions_missed: int
    last_session_at: datetime | None = strawberry.field(description="when the latest held session started")
    mentor_rating: float | None
    mentee_rating: float | None
    goals_achieved: int
    goals_total: int

    @classmethod
    def of(cls, r: TandemReportRow) -> ReportRow:
        return cls(
            tandem_id=r.tandem_id,
            mentor=r.mentor,
            mentee=r.mentee,
            status=r.status,
            health=r.health.health.value if r.health else None,
            health_reason=r.health.reason if r.health else None,
            sessions_held=r.sessions_held,
            sessions_missed=r.sessions_missed,
            last_session_at=r.last_session_at,
            mentor_rating=r.mentor_rating,
            mentee_rating=r.mentee_rating,
            goals_achieved=r.goals_achieved,
            goals_total=r.goals_total,
        )
