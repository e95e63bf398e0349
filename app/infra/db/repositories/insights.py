"""Program figures for insights and the report's rows: one statement each, whatever the number of tandems.

Each figure is a scalar subquery folded into JSON, so a program of 5 or 500 tandems costs the
same single round trip; the open tandems' health is the stored one, counted in the same statement.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.insights import (
    EXPIRING_WITHIN_DAYS,
    TOP_LEARNED,
    FitCheckTally,
    LearnedTopic,
    ProgramFigures,
    ProposalTally,
    RematchTally,
    SideRating,
)
from app.domain.report import TandemReportRow
from app.infra.db.mapping import health_to_domain
from app.infra.db.repositories.tandems import OPEN

# a tandem "started" once both sides accepted, whatever became of it later
_FIGURES = text(
    """
    WITH t AS (
        SELECT * FROM tandems WHERE org_id = :org_id AND program_id = :program_id
    ), s AS (
        SELECT s.* FROM sessions s JOIN t ON t.id = s.tandem_id WHERE s.org_id = :org_id
    ), f AS (
        SELECT f.* FROM feedback f JOIN s ON s.id = f.session_id WHERE f.org_id = :org_id
    ), started AS (
        SELECT id FROM t WHERE mentor_accepted_at IS NOT NULL AND mentee_accepted_at IS NOT NULL
    )
    SELECT
      (SELECT coalesce(json_agg(json_build_array(x.role, x.birth_year, x.n)), '[]')
         FROM (SELECT e.role, p.birth_year, count(*) AS n
                 FROM enrollments e JOIN people p ON p.id = e.person_id AND p.org_id = e.org_id
                WHERE e.org_id = :org_id AND e.program_id = :program_id AND e.status = 'active'
                GROUP BY e.role, p.birth_year) x) AS participants,
      (SELECT coalesce(json_object_agg(x.status, x.n), '{}')
         FROM (SELECT status, count(*) AS n FROM t GROUP BY status) x) AS tandems_by_status,
      (SELECT coalesce(json_object_agg(x.health, x.n), '{}')
         FROM (SELECT health, count(*) AS n FROM t WHERE status = ANY(:open) AND health IS NOT NULL
                GROUP BY health) x) AS tandems_by_health,
      (SELECT coalesce(json_object_agg(x.held, x.n), '{}')
         FROM (SELECT y.held, count(*) AS n
                 FROM (SELECT st.id, count(s.id) FILTER (WHERE s.status = 'held') AS held
                         FROM started st LEFT JOIN s ON s.tandem_id = st.id GROUP BY st.id) y
                GROUP BY y.held) x) AS held_distribution,
      (SELECT coalesce(json_object_agg(x.format, x.n), '{}')
         FROM (SELECT format, count(*) AS n FROM s WHERE status = 'held' GROUP BY format) x) AS formats,
      (SELECT coalesce(json_agg(json_build_array(x.side, x.mean, x.n) ORDER BY x.side), '[]')
         FROM (SELECT side, round(avg(rating), 2)::float AS mean, count(*) AS n FROM f GROUP BY side) x) AS ratings,
      (SELECT coalesce(json_object_agg(x.status, x.n), '{}')
         FROM (SELECT g.status, count(*) AS n FROM goals g JOIN t ON t.id = g.tandem_id
                WHERE g.org_id = :org_id GROUP BY g.status) x) AS goals,
      (SELECT coalesce(json_agg(json_build_array(x.side, x.topic, x.n) ORDER BY x.side, x.n DESC, x.topic), '[]')
         FROM (SELECT z.*, row_number() OVER (PARTITION BY z.side ORDER BY z.n DESC, z.topic) AS rank
                 FROM (SELECT f.side, mode() WITHIN GROUP (ORDER BY btrim(part)) AS topic,
                              count(DISTINCT f.id) AS n
                         FROM f, regexp_split_to_table(f.learned, '[,;\\n]') AS part
                        WHERE btrim(part) <> ''
                        GROUP BY f.side, lower(btrim(part))) z) x
        WHERE x.rank <= :top) AS learned,
      (SELECT json_build_array(
                count(*),
                count(*) FILTER (WHERE expires_at > :now AND expires_at <= :soon),
                count(*) FILTER (WHERE expires_at <= :now))
         FROM t WHERE status = 'proposed') AS proposals,
      (SELECT json_build_array(
                count(*) FILTER (WHERE fit_mentor), count(*) FILTER (WHERE NOT fit_mentor),
                count(*) FILTER (WHERE fit_mentee), count(*) FILTER (WHERE NOT fit_mentee),
                count(*) FILTER (WHERE NOT fit_mentor OR NOT fit_mentee))
         FROM t) AS fit_checks,
      (SELECT json_build_array(
                count(*) FILTER (WHERE rematch_flagged AND status = ANY(:open)),
                count(*) FILTER (WHERE status = 'dissolved'),
                (SELECT count(DISTINCT later.mentee_enrollment_id)
                   FROM t later JOIN t earlier ON earlier.mentee_enrollment_id = later.mentee_enrollment_id
                  WHERE earlier.status = 'dissolved' AND earlier.created_at < later.created_at))
         FROM t) AS rematches
    """
)


# one row per tandem of the program, oldest first, with its tallies counted where the rows are
_REPORT = text(
    """
    SELECT t.id, t.status, t.health, t.health_reasons, mentor.display_name AS mentor, mentee.display_name AS mentee,
           coalesce(s.held, 0) AS held, coalesce(s.missed, 0) AS missed, s.last_held_at,
           r.mentor_rating, r.mentee_rating, coalesce(g.achieved, 0) AS achieved, coalesce(g.total, 0) AS total
    FROM tandems t
    JOIN people mentor ON mentor.id = t.mentor_person_id AND mentor.org_id = t.org_id
    JOIN people mentee ON mentee.id = t.mentee_person_id AND mentee.org_id = t.org_id
    LEFT JOIN LATERAL (
        SELECT count(*) FILTER (WHERE status = 'held') AS held, count(*) FILTER (WHERE status = 'missed') AS missed,
               max(starts_at) FILTER (WHERE status = 'held') AS last_held_at
        FROM sessions WHERE tandem_id = t.id AND org_id = t.org_id
    ) s ON true
    LEFT JOIN LATERAL (
        SELECT round(avg(f.rating) FILTER (WHERE f.side = 'mentor'), 2)::float AS mentor_rating,
               round(avg(f.rating) FILTER (WHERE f.side = 'mentee'), 2)::float AS mentee_rating
        FROM feedback f JOIN sessions fs ON fs.id = f.session_id
        WHERE fs.tandem_id = t.id AND f.org_id = t.org_id
    ) r ON true
    LEFT JOIN LATERAL (
        SELECT count(*) FILTER (WHERE status = 'achieved') AS achieved, count(*) AS total
        FROM goals WHERE tandem_id = t.id AND org_id = t.org_id
    ) g ON true
    WHERE t.org_id = :org_id AND t.program_id = :program_id
    ORDER BY t.created_at, t.id
    """
)


class ProgramInsightsRepository:
    """Reads only: the program's figures and its report rows."""

    def __init__(self, db: AsyncSession) -> None:
        self.db = db

    async def figures(self, org_id: UUID, program_id: UUID, now: datetime) -> ProgramFigures:
        params = {
            "org_id": org_id,
            "program_id": program_id,
            "now": now,
            "soon": now + timedelta(days=EXPIRING_WITHIN_DAYS),
            "top": TOP_LEARNED,
            "open": list(OPEN),
        }
        row = (await self.db.execute(_FIGURES, params)).one()
        return _figures(row._mapping)

    async def report_rows(self, org_id: UUID, program_id: UUID) -> list[TandemReportRow]:
        rows = await self.db.execute(_REPORT, {"org_id": org_id, "program_id": program_id})
        return [_report_row(row) for row in rows]


def _report_row(row: Any) -> TandemReportRow:
    return TandemReportRow(
        tandem_id=row.id,
        mentor=row.mentor,
        mentee=row.mentee,
        status=row.status,
        sessions_held=row.held,
        sessions_missed=row.missed,
        last_session_at=row.last_held_at,
        mentor_rating=row.mentor_rating,
        mentee_rating=row.mentee_rating,
        goals_achieved=row.achieved,
        goals_total=row.total,
        health=health_to_domain(row.health, row.health_reasons),
    )


def _figures(stored: Any) -> ProgramFigures:
    # a text() statement hands JSON over as text
    row = {key: json.loads(value) if isinstance(value, str) else value for key, value in stored.items()}
    proposals, fit, rematches = row["proposals"], row["fit_checks"], row["rematches"]
    return ProgramFigures(
        participants={(role, year): n for role, year, n in row["participants"]},
        tandems_by_status=row["tandems_by_status"],
        tandems_by_health=row["tandems_by_health"],
        held_distribution={int(held): n for held, n in row["held_distribution"].items()},
        formats=row["formats"],
        ratings=tuple(SideRating(side, mean, n) for side, mean, n in row["ratings"]),
        goals_by_status=row["goals"],
        learned=tuple(LearnedTopic(side, topic, n) for side, topic, n in row["learned"]),
        proposals=ProposalTally(*proposals),
        fit_checks=FitCheckTally(*fit),
        rematches=RematchTally(*rematches),
    )
