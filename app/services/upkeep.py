"""Scheduled upkeep, run by the workers' periodic tasks (app/infra/jobs.py): what no request
does because it happens with time alone.

Each job claims its rows with SKIP LOCKED in short transactions and changes only what is due,
so two workers running it at once, or a rerun, change each thing (and record each event) once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from app.domain.clock import utcnow
from app.services import health
from app.services.ports import UnitOfWork
from app.services.tandems import expire_proposals

log = logging.getLogger(__name__)

BATCH = 200


async def expire_due_proposals(uow_factory: Callable[[], UnitOfWork], *, batch: int = BATCH) -> int:
    """Every proposal past its expiry becomes ``expired`` (freeing its mentee); the count."""
    total = 0
    while True:
        done = await expire_proposals(uow_factory(), batch=batch)
        total += done
        if done < batch:
            break
    if total:
        log.info("upkeep: %d proposal(s) expired", total)
    return total


async def complete_ended_programs(
    uow_factory: Callable[[], UnitOfWork], *, today: date | None = None, batch: int = BATCH
) -> int:
    """Running programs whose period ended complete, with their open tandems (running ones
    complete, unanswered proposals expire), as a manager's completion would; the count."""
    day = today or utcnow().date()
    total = 0
    while True:
        uow = uow_factory()
        async with uow:
            due = await uow.programs.due_for_completion(day, limit=batch)
            for program in due:
                program.complete()
                for tandem in await uow.tandems.open_in_program(program.org_id, program.id):
                    tandem.close_with_program(None, program_cancelled=False)
                    await uow.tandems.save(tandem)
                await uow.programs.save(program)
            await uow.commit()
        total += len(due)
        if len(due) < batch:
            break
    if total:
        log.info("upkeep: %d program(s) past their end completed", total)
    return total


async def sweep_health(uow_factory: Callable[[], UnitOfWork], *, now: datetime | None = None) -> health.SweepReport:
    return await health.sweep(uow_factory, now=now)


@dataclass(frozen=True, slots=True)
class UpkeepReport:
    expired_proposals: int
    completed_programs: int
    health: health.SweepReport

    def summary(self) -> str:
        h = self.health
        return (
            f"expired {self.expired_proposals} proposal(s); "
            f"completed {self.completed_programs} program(s) past their end; "
            f"health: {h.assessed} open tandem(s) assessed, {h.changed} changed, {h.reworded} with new reasons"
        )


async def run_once(uow_factory: Callable[[], UnitOfWork]) -> UpkeepReport:
    """The three jobs at once, for operators without a worker (``tandem upkeep`` from cron).

    Programs complete before the sweep, so the tandems they close are not assessed only to be
    closed; each job is the worker's own, so running this next to workers changes things once."""
    expired = await expire_due_proposals(uow_factory)
    completed = await complete_ended_programs(uow_factory)
    return UpkeepReport(expired, completed, await sweep_health(uow_factory))
