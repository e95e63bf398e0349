"""Repository of matching runs."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import or_, select

from app.domain.matching.run import MatchingRun
from app.infra.db import mapping as m
from app.infra.db import tables as tb
from app.infra.db.repository import Repository
from app.services.pagination import Page, PageRequest


class MatchingRunRepository(Repository[MatchingRun]):
    table = tb.MatchingRunRow
    to_domain = staticmethod(m.matching_run_to_domain)
    to_row = staticmethod(m.matching_run_to_row)

    async def get(self, org_id: UUID, run_id: UUID, *, for_update: bool = False) -> MatchingRun | None:
        return await self._get_in(org_id, run_id, for_update=for_update)

    async def get_any(self, run_id: UUID, *, for_update: bool = False) -> MatchingRun | None:
        """By id alone, for the worker: the job carries the run id, the run carries its tenant."""
        return await self._one(self.t.c.id == run_id, for_update=for_update)

    async def page(self, org_id: UUID, program_id: UUID, request: PageRequest) -> Page[MatchingRun]:
        return await self._page(request, self.t.c.org_id == org_id, self.t.c.program_id == program_id)

    async def involving(self, org_id: UUID, person_id: UUID) -> list[MatchingRun]:
        """Runs with a proposal naming the person, locked for update."""
        t, pid = self.t, str(person_id)
        names = or_(
            t.c.proposals.contains([{"mentor_person_id": pid}]), t.c.proposals.contains([{"mentee_person_id": pid}])
        )
        stmt = select(t).where(t.c.org_id == org_id, names).order_by(t.c.created_at, t.c.id).with_for_update()
        return await self._all(stmt)
