"""The program report: one row per tandem, as a program manager exports it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from app.domain.health import HealthAssessment


@dataclass(frozen=True, slots=True)
class TandemReportRow:
    tandem_id: UUID
    mentor: str  # display names, as the people's profiles hold them now
    mentee: str
    status: str
    sessions_held: int
    sessions_missed: int
    last_session_at: datetime | None  # the start of the latest held session
    mentor_rating: float | None  # the mean of the side's ratings, None before any
    mentee_rating: float | None
    goals_achieved: int
    goals_total: int
    health: HealthAssessment | None = None  # open tandems only: closed ones have no health

    def with_health(self, health: HealthAssessment | None) -> TandemReportRow:
        return replace(self, health=health)
