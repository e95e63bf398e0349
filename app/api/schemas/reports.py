"""The program report's rows: GET /v1/programs/{program_id}/report.json (and report.csv, same columns)."""

from __future__ import annotations

from datetime import datetime
from typing import Self
from uuid import UUID

from pydantic import BaseModel, Field

from app.domain.health import Health
from app.domain.report import TandemReportRow


class ReportRowOut(BaseModel):
    tandem_id: UUID
    mentor: str = Field(description="the mentor's display name")
    mentee: str = Field(description="the mentee's display name")
    status: str
    health: Health | None = Field(description="open tandems only; null for closed ones")
    health_reason: str | None
    sessions_held: int
    sessions_missed: int
    last_session_at: datetime | None = Field(description="when the latest held session started")
    mentor_rating: float | None = Field(description="the mean of the mentor's ratings; null before any")
    mentee_rating: float | None = Field(description="the mean of the mentee's ratings; null before any")
    goals_achieved: int
    goals_total: int

    @classmethod
    def of(cls, r: TandemReportRow) -> Self:
        return cls(
            tandem_id=r.tandem_id,
            mentor=r.mentor,
            mentee=r.mentee,
            status=r.status,
            health=r.health.health if r.health else None,
            health_reason=r.health.reason if r.health else None,
            sessions_held=r.sessions_held,
            sessions_missed=r.sessions_missed,
            last_session_at=r.last_session_at,
            mentor_rating=r.mentor_rating,
            mentee_rating=r.mentee_rating,
            goals_achieved=r.goals_achieved,
            goals_total=r.goals_total,
        )


class ReportOut(BaseModel):
    program_id: UUID
    rows: list[ReportRowOut] = Field(description="one per tandem of the program, oldest first")


REPORT_COLUMNS = tuple(ReportRowOut.model_fields)
