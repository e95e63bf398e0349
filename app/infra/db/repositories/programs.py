"""Repositories of programs, enrollments and preferences."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Select, delete, func, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.enrollment import Enrollment
from app.domain.preference import Preference
from app.domain.program import Program, ProgramStatus
from app.infra.db import mapping as m
from app.infra.db import tables as tb
from app.infra.db.repositories.partners import pool_mentor_column
from app.infra.db.repository import Repository
from app.services.pagination import Page, PageRequest


class ProgramRepository(Repository[Program]):
    table = tb.ProgramRow
    to_domain = staticmethod(m.program_to_domain)
    to_row = staticmethod(m.program_to_row)

    async def get(self, org_id: UUID, program_id: UUID, *, for_update: bool = False) -> Program | None:
        return await self._get_in(org_id, program_id, for_update=for_update)

    async def page(self, org_id: UUID, request: PageRequest) -> Page[Program]:
        return await self._page(request, self.t.c.org_id == org_id)

    async def due_for_completion(self, today: date, *, limit: int) -> list[Program]:
        """Running programs whose period ended before ``today``, across every organization (a
        system job), locked; rows another transaction holds are skipped."""
        t = self.t
        stmt = (
            select(t)
            .where(t.c.status == ProgramStatus.RUNNING.value, t.c.ends_on < today)
            .order_by(t.c.ends_on, t.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return await self._all(stmt)


class EnrollmentRepository(Repository[Enrollment]):
    table = tb.EnrollmentRow
    to_domain = staticmethod(m.enrollment_to_domain)
    to_row = staticmethod(m.enrollment_to_row)

    async def _all(self, stmt: Select[Any], *, with_children: bool = True) -> list[Enrollment]:
        # with the pool mentor the person is: a mentor's enrolling and leaving are its partner's news
        stmt = stmt.add_columns(pool_mentor_column(self.t.c.person_id, "pool_mentor"))
        return await super()._all(stmt, with_children=with_children)

    async def get(self, org_id: UUID, enrollment_id: UUID, *, for_update: bool = False) -> Enrollment | None:
        return await self._get_in(org_id, enrollment_id, for_update=for_update)

    async def lock(self, org_id: UUID, enrollment_ids: list[UUID]) -> dict[UUID, Enrollment]:
        """Lock the rows in id order: two transactions locking the same pair cannot deadlock."""
        stmt = (
            select(self.t)
            .where(self.t.c.org_id == org_id, self.t.c.id.in_(enrollment_ids))
            .order_by(self.t.c.id)
            .with_for_update()
        )
        return {e.id: e for e in await self._all(stmt)}

    async def find(self, org_id: UUID, program_id: UUID, person_id: UUID) -> Enrollment | None:
        return await self._one(
            self.t.c.org_id == org_id,
            self.t.c.program_id == program_id,
            self.t.c.person_id == person_id,
            self.t.c.status == "active",
        )

    async def page(
        self, org_id: UUID, program_id: UUID, request: PageRequest, *, person_id: UUID | None = None
    ) -> Page[Enrollment]:
        where = [self.t.c.org_id == org_id, self.t.c.program_id == program_id]
        if person_id is not None:
            where.append(self.t.c.person_id == person_id)
        return await self._page(request, *where)

    async def for_person(self, org_id: UUID, person_id: UUID) -> list[Enrollment]:
        stmt = select(self.t).where(self.t.c.org_id == org_id, self.t.c.person_id == person_id)
        return await self._all(stmt.order_by(self.t.c.created_at))


class PreferenceRepository:
    """Preferences have no version: the latest choice wins, the first choice's ``created_at`` stays."""

    def __init__(self, db: AsyncSession) -> None:
        self.db = db

    async def get(self, org_id: UUID, author_enrollment_id: UUID, candidate_enrollment_id: UUID) -> Preference | None:
        p = tb.preferences
        stmt = select(p).where(
            p.c.org_id == org_id,
            p.c.author_enrollment_id == author_enrollment_id,
            p.c.candidate_enrollment_id == candidate_enrollment_id,
        )
        row = (await self.db.execute(stmt)).mappings().first()
        return m.preference_to_domain(dict(row)) if row else None

    async def upsert(self, preference: Preference) -> Preference:
        p = tb.preferences
        stmt = (
            pg_insert(p)
            .values(m.preference_to_row(preference))
            .on_conflict_do_update(
                index_elements=["author_enrollment_id", "candidate_enrollment_id"],
                set_={"choice": preference.choice.value, "updated_at": preference.updated_at},
            )
            .returning(*p.c)
        )
        row = (await self.db.execute(stmt)).mappings().one()
        return m.preference_to_domain(dict(row))

    async def passed_between(self, org_id: UUID, enrollment_id: UUID, other_enrollment_id: UUID) -> bool:
        p = tb.preferences
        pair = [enrollment_id, other_enrollment_id]
        stmt = (
            select(func.count())
            .select_from(p)
            .where(
                p.c.org_id == org_id,
                p.c.choice == "pass",
                p.c.author_enrollment_id.in_(pair),
                p.c.candidate_enrollment_id.in_(pair),
            )
        )
        return bool((await self.db.execute(stmt)).scalar_one())

    async def authored_by(self, org_id: UUID, author_enrollment_ids: list[UUID]) -> list[Preference]:
        if not author_enrollment_ids:
            return []
        p = tb.preferences
        stmt = (
            select(p)
            .where(p.c.org_id == org_id, p.c.author_enrollment_id.in_(author_enrollment_ids))
            .order_by(p.c.created_at, p.c.candidate_enrollment_id)
        )
        return [m.preference_to_domain(dict(row)) for row in (await self.db.execute(stmt)).mappings()]

    async def involving(self, org_id: UUID, enrollment_id: UUID) -> list[Preference]:
        p = tb.preferences
        stmt = (
            select(p)
            .where(
                p.c.org_id == org_id,
                or_(p.c.author_enrollment_id == enrollment_id, p.c.candidate_enrollment_id == enrollment_id),
            )
            .order_by(p.c.created_at, p.c.author_enrollment_id, p.c.candidate_enrollment_id)
        )
        return [m.preference_to_domain(dict(row)) for row in (await self.db.execute(stmt)).mappings()]

    async def remove_involving(self, org_id: UUID, enrollment_ids: list[UUID]) -> int:
        """Drop every like and pass the enrollments gave or received; returns how many."""
        if not enrollment_ids:
            return 0
        p = tb.preferences
        stmt = delete(p).where(
            p.c.org_id == org_id,
            or_(p.c.author_enrollment_id.in_(enrollment_ids), p.c.candidate_enrollment_id.in_(enrollment_ids)),
        )
        return int((await self.db.execute(stmt)).rowcount)  # type: ignore[attr-defined]
