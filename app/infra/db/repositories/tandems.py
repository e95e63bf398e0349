"""Repositories of tandems (with history), goals and sessions (with feedback)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Select, and_, bindparam, func, or_, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.dialects.postgresql import insert as pg_insert

from app.domain.events import EventRecorder
from app.domain.goal import Goal
from app.domain.health import RECENT_RATINGS, Health, HealthAssessment, HealthInput, SessionTally, TandemFacts
from app.domain.session import Feedback, Session
from app.domain.tandem import OPEN_STATUSES, Tandem, TandemStatus
from app.infra.db import mapping as m
from app.infra.db import tables as tb
from app.infra.db.repositories.partners import pool_mentor_column
from app.infra.db.repository import Children, Repository
from app.services.pagination import Page, PageRequest

OPEN = tuple(status.value for status in OPEN_STATUSES)

# Health's inputs for many tandems in one statement: the facts of the tandem it reads, its
# stored health, its program's rules, and a tally of its sessions (held, missed, the end of the
# last held one, the latest ratings) and goals, counted where the rows are rather than shipped
# here. The WHERE and locking clauses vary (the tandems of a change, or the sweep's batch).
_HEALTH_SELECT = f"""
        SELECT t.id, t.org_id, t.program_id, t.status, t.created_at, t.fit_mentor, t.fit_mentee,
               t.health, t.health_reasons, p.rules, tally.held, tally.missed, tally.last_held_end,
               goals.kept AS goals, goals.moving AS goals_moving,
               ARRAY(
                   SELECT f.rating FROM feedback f JOIN sessions s ON s.id = f.session_id
                   WHERE s.tandem_id = t.id AND s.org_id = t.org_id AND s.status = 'held'
                   ORDER BY s.starts_at DESC, s.id DESC, f.created_at DESC, f.id DESC
                   LIMIT {RECENT_RATINGS}
               ) AS latest_ratings
        FROM tandems t
        JOIN programs p ON p.id = t.program_id AND p.org_id = t.org_id
        CROSS JOIN LATERAL (
            SELECT count(*) FILTER (WHERE s.status = 'held') AS held,
                   count(*) FILTER (WHERE s.status = 'missed') AS missed,
                   max(s.starts_at + s.duration_minutes * interval '1 minute')
                       FILTER (WHERE s.status = 'held') AS last_held_end
            FROM sessions s WHERE s.tandem_id = t.id AND s.org_id = t.org_id
        ) tally
        CROSS JOIN LATERAL (
            SELECT count(*) FILTER (WHERE g.status <> 'dropped') AS kept,
                   count(*) FILTER (WHERE g.status IN ('in_progress', 'achieved')) AS moving
            FROM goals g WHERE g.tandem_id = t.id AND g.org_id = t.org_id
        ) goals
"""  # noqa: S608 - the only interpolation is a constant

_HEALTH_INPUTS = (
    text(_HEALTH_SELECT + "WHERE t.org_id = :org_id AND t.id = ANY(:tandem_ids)")
    .bindparams(bindparam("tandem_ids", type_=ARRAY(PG_UUID(as_uuid=True))))
    .columns()
)
# the same, locked in id order, for a change about to rewrite the stored health: a concurrent
# sweep skips these rows, and two changes of one tandem take turns
_HEALTH_INPUTS_LOCKED = (
    text(_HEALTH_SELECT + "WHERE t.org_id = :org_id AND t.id = ANY(:tandem_ids) ORDER BY t.id FOR NO KEY UPDATE OF t")
    .bindparams(bindparam("tandem_ids", type_=ARRAY(PG_UUID(as_uuid=True))))
    .columns()
)
# the sweep's batch across every organization: open tandems past a keyset, claimed without
# waiting so that two sweeps share the work instead of doing it twice
_HEALTH_SWEEP = text(
    _HEALTH_SELECT
    + f"""WHERE t.status IN ({", ".join(f"'{s}'" for s in OPEN)})
          AND t.id > :after
        ORDER BY t.id LIMIT :batch FOR NO KEY UPDATE OF t SKIP LOCKED"""
).columns()

_STORE_HEALTH = text(
    """
    UPDATE tandems SET health = :health, health_reasons = CAST(:reasons AS jsonb),
                       health_changed_at = COALESCE(:changed_at, health_changed_at)
    WHERE id = :id AND org_id = :org_id
      AND health IS NOT DISTINCT FROM :old_health
      AND health_reasons IS NOT DISTINCT FROM CAST(:old_reasons AS jsonb)
    """
)


_NIL = UUID(int=0)


def _json(value: object) -> str | None:
    return None if value is None else json.dumps(value)


def _health_input(row: Any) -> HealthInput:
    return HealthInput(
        tandem_id=row.id,
        org_id=row.org_id,
        program_id=row.program_id,
        facts=TandemFacts(
            status=TandemStatus(row.status),
            created_at=row.created_at,
            failed_fit_check=row.fit_mentor is False or row.fit_mentee is False,
        ),
        rules=m.rules_to_domain(row.rules),
        tally=SessionTally(
            held=row.held,
            missed=row.missed,
            last_held_end=row.last_held_end,
            recent_ratings=tuple(reversed(row.latest_ratings)),
            goals=row.goals,
            goals_moving=row.goals_moving,
        ),
        stored=m.health_to_domain(row.health, row.health_reasons),
    )


class TandemRepository(Repository[Tandem]):
    """Tandems are read with their history; new history entries are written on add and save."""

    table = tb.TandemRow
    to_domain = staticmethod(m.tandem_to_domain)
    to_row = staticmethod(m.tandem_to_row)

    children = Children(tb.transitions, "tandem_id", ("at", "id"), m.transition_to_domain, "history")

    async def _all(self, stmt: Select[Any], *, with_children: bool = True) -> list[Tandem]:
        # with the pool mentor the mentor is: the tandem's moves are also its partner's news
        stmt = stmt.add_columns(pool_mentor_column(self.t.c.mentor_person_id, "mentor_pool"))
        return await super()._all(stmt, with_children=with_children)

    async def get(self, org_id: UUID, tandem_id: UUID, *, for_update: bool = False) -> Tandem | None:
        return await self._get_in(org_id, tandem_id, for_update=for_update)

    async def _after_write(self, obj: Tandem) -> None:
        rows = [m.transition_to_row(obj, tr) for tr in obj.history]
        if rows:  # history is append-only: entries already stored are skipped by their id
            h = tb.transitions
            await self.db.execute(pg_insert(h).values(rows).on_conflict_do_nothing(index_elements=["id"]))

    async def save_history_text(self, tandem: Tandem) -> None:
        """Write back the reasons of stored history entries (only erasure changes them)."""
        h = tb.transitions
        for tr in tandem.history:
            stmt = update(h).where(h.c.id == tr.id, h.c.tandem_id == tandem.id, h.c.reason.is_distinct_from(tr.reason))
            await self.db.execute(stmt.values(reason=tr.reason))

    async def health_inputs(self, org_id: UUID, tandem_ids: list[UUID], *, lock: bool = False) -> list[HealthInput]:
        """Each tandem's health inputs, in one read for all of them; ``lock`` takes their rows."""
        stmt = _HEALTH_INPUTS_LOCKED if lock else _HEALTH_INPUTS
        rows = await self.db.execute(stmt, {"org_id": org_id, "tandem_ids": tandem_ids})
        return [_health_input(row) for row in rows]

    async def health_sweep_batch(self, *, after: UUID | None, limit: int) -> list[HealthInput]:
        """Open tandems past ``after`` (by id), locked; rows another sweep holds are skipped."""
        rows = await self.db.execute(_HEALTH_SWEEP, {"after": after or _NIL, "batch": limit})
        return [_health_input(row) for row in rows]

    async def store_health(
        self,
        found: HealthInput,
        assessment: HealthAssessment | None,
        changed_at: datetime | None,
        *,
        note: EventRecorder | None = None,
    ) -> bool:
        """Write the health (``changed_at`` only when the health itself changed) if the row still
        holds what ``found`` read: compare and set, so a stale writer changes nothing."""
        result = await self.db.execute(
            _STORE_HEALTH,
            {
                "id": found.tandem_id,
                "org_id": found.org_id,
                "health": assessment.health.value if assessment else None,
                "reasons": _json(m.health_reasons_to_row(assessment)),
                "changed_at": changed_at,
                "old_health": found.stored.health.value if found.stored else None,
                "old_reasons": _json(m.health_reasons_to_row(found.stored)),
            },
        )
        stored = bool(result.rowcount)  # type: ignore[attr-defined]
        if stored and note is not None:
            self._touched.append(note)
        return stored

    async def count_open(
        self, org_id: UUID, *, mentor_enrollment_id: UUID | None = None, mentee_enrollment_id: UUID | None = None
    ) -> int:
        t = self.t
        stmt = select(func.count()).select_from(t).where(t.c.org_id == org_id, t.c.status.in_(OPEN))
        if mentor_enrollment_id is not None:
            stmt = stmt.where(t.c.mentor_enrollment_id == mentor_enrollment_id)
        if mentee_enrollment_id is not None:
            stmt = stmt.where(t.c.mentee_enrollment_id == mentee_enrollment_id)
        return int((await self.db.execute(stmt)).scalar_one())

    async def open_in_program(self, org_id: UUID, program_id: UUID) -> list[Tandem]:
        t = self.t
        stmt = select(t).where(t.c.org_id == org_id, t.c.program_id == program_id, t.c.status.in_(OPEN))
        return await self._all(stmt.order_by(t.c.created_at, t.c.id).with_for_update())

    async def due_for_expiry(self, now: datetime, *, limit: int) -> list[Tandem]:
        """The one query across tenants: a system job that sweeps every organization."""
        t = self.t
        stmt = (
            select(t)
            .where(t.c.status == "proposed", t.c.expires_at <= now)
            .order_by(t.c.expires_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return await self._all(stmt)

    async def page(
        self,
        org_id: UUID,
        program_id: UUID,
        request: PageRequest,
        *,
        person_id: UUID | None = None,
        health: Health | None = None,
        rematch_flagged: bool | None = None,
    ) -> Page[Tandem]:
        t = self.t
        where = [t.c.org_id == org_id, t.c.program_id == program_id]
        if person_id is not None:
            where.append(or_(t.c.mentor_person_id == person_id, t.c.mentee_person_id == person_id))
        if health is not None:
            where.append(t.c.health == health.value)
        if rematch_flagged is not None:
            where.append(t.c.rematch_flagged.is_(rematch_flagged))
        return await self._page(request, *where)

    async def for_person(self, org_id: UUID, person_id: UUID) -> list[Tandem]:
        t = self.t
        stmt = select(t).where(
            t.c.org_id == org_id, or_(t.c.mentor_person_id == person_id, t.c.mentee_person_id == person_id)
        )
        return await self._all(stmt.order_by(t.c.created_at, t.c.id))

    async def is_excluded(self, org_id: UUID, mentor_person_id: UUID, mentee_person_id: UUID) -> bool:
        x = tb.pair_exclusions
        stmt = (
            select(func.count())
            .select_from(x)
            .where(
                x.c.org_id == org_id, x.c.mentor_person_id == mentor_person_id, x.c.mentee_person_id == mentee_person_id
            )
        )
        return bool((await self.db.execute(stmt)).scalar_one())

    async def exclusions_of(self, org_id: UUID, person_id: UUID) -> list[tuple[UUID, UUID]]:
        x = tb.pair_exclusions
        stmt = select(x.c.mentor_person_id, x.c.mentee_person_id).where(
            x.c.org_id == org_id, or_(x.c.mentor_person_id == person_id, x.c.mentee_person_id == person_id)
        )
        return [(row.mentor_person_id, row.mentee_person_id) for row in await self.db.execute(stmt)]

    async def exclusions_among(self, org_id: UUID, person_ids: list[UUID]) -> list[tuple[UUID, UUID]]:
        if not person_ids:
            return []
        x = tb.pair_exclusions
        stmt = select(x.c.mentor_person_id, x.c.mentee_person_id).where(
            x.c.org_id == org_id, x.c.mentor_person_id.in_(person_ids), x.c.mentee_person_id.in_(person_ids)
        )
        return [(row.mentor_person_id, row.mentee_person_id) for row in await self.db.execute(stmt)]

    async def exclude_pair(self, org_id: UUID, mentor_person_id: UUID, mentee_person_id: UUID) -> None:
        x = tb.pair_exclusions
        await self.db.execute(
            pg_insert(x)
            .values(
                org_id=org_id,
                mentor_person_id=mentor_person_id,
                mentee_person_id=mentee_person_id,
                created_at=func.now(),
            )
            .on_conflict_do_nothing()
        )


class GoalRepository(Repository[Goal]):
    table = tb.GoalRow
    to_domain = staticmethod(m.goal_to_domain)
    to_row = staticmethod(m.goal_to_row)

    async def get(self, org_id: UUID, goal_id: UUID) -> Goal | None:
        return await self._get_in(org_id, goal_id)

    async def page(self, org_id: UUID, tandem_id: UUID, request: PageRequest) -> Page[Goal]:
        return await self._page(request, self.t.c.org_id == org_id, self.t.c.tandem_id == tandem_id)


class SessionRepository(Repository[Session]):
    """Sessions are read with their feedback; new feedback rows are inserted on save."""

    table = tb.SessionRow
    to_domain = staticmethod(m.session_to_domain)
    to_row = staticmethod(m.session_to_row)

    children = Children(tb.feedback, "session_id", ("created_at", "id"), m.feedback_to_domain, "feedback")

    async def get(self, org_id: UUID, session_id: UUID, *, for_update: bool = False) -> Session | None:
        return await self._get_in(org_id, session_id, for_update=for_update)

    async def _after_write(self, obj: Session) -> None:
        rows = [m.feedback_to_row(obj, fb) for fb in obj.feedback]
        if rows:  # a second feedback of one author still fails on uq_feedback_session_id_author_person_id
            f = tb.feedback
            await self.db.execute(pg_insert(f).values(rows).on_conflict_do_nothing(index_elements=["id"]))

    async def save_feedback_text(self, session: Session) -> None:
        """Write back the words of stored feedback (only erasure changes them)."""
        f = tb.feedback
        for fb in session.feedback:
            changed = or_(f.c.learned != fb.learned, f.c.comment != fb.comment)
            stmt = update(f).where(f.c.id == fb.id, f.c.session_id == session.id, changed)
            await self.db.execute(stmt.values(learned=fb.learned, comment=fb.comment))

    async def page(self, org_id: UUID, tandem_id: UUID, request: PageRequest) -> Page[Session]:
        return await self._page(request, self.t.c.org_id == org_id, self.t.c.tandem_id == tandem_id)

    async def feedback_of(self, org_id: UUID, session_ids: Sequence[UUID]) -> list[tuple[UUID, Feedback]]:
        f = tb.feedback
        stmt = (
            select(f)
            .where(f.c.org_id == org_id, f.c.session_id.in_(list(session_ids)))
            .order_by(f.c.created_at, f.c.id)
        )
        rows = (await self.db.execute(stmt)).mappings().all()
        return [(row["session_id"], m.feedback_to_domain(dict(row))) for row in rows]

    async def for_tandem(self, org_id: UUID, tandem_id: UUID) -> list[Session]:
        t = self.t
        stmt = select(t).where(t.c.org_id == org_id, t.c.tandem_id == tandem_id)
        return await self._all(stmt.order_by(t.c.starts_at, t.c.id))

    async def for_person(self, org_id: UUID, person_id: UUID) -> list[Session]:
        t, td = self.t, tb.tandems
        stmt = (
            select(t)
            .join(td, and_(td.c.id == t.c.tandem_id, td.c.org_id == t.c.org_id))
            .where(t.c.org_id == org_id, or_(td.c.mentor_person_id == person_id, td.c.mentee_person_id == person_id))
            .order_by(t.c.starts_at, t.c.id)
        )
        return await self._all(stmt)
