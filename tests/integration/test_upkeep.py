"""Scheduled upkeep (issue 13): the worker's periodic tasks, and each job changing things once
however many workers run it at the same time."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select, update

from app.domain.clock import utcnow
from app.domain.program import ProgramStatus
from app.domain.tandem import TandemStatus
from app.infra.db.tables import ProgramRow, outbox
from app.infra.db.tables import tandems as tandem_table
from app.infra.jobs import COMPLETE_PROGRAMS, EXPIRE_PROPOSALS, SWEEP_HEALTH, UPKEEP_QUEUE, make_jobs_app
from app.services import upkeep
from tests.api.tandem_world import held, proposed, running
from tests.factories import pair_world

program_table = ProgramRow.__table__


def test_the_worker_schedules_the_upkeep_as_periodic_tasks(database_url: str) -> None:
    app = make_jobs_app(database_url)
    periodic = {task.task.name: task for task in app.periodic_registry.periodic_tasks.values()}
    assert set(periodic) >= {EXPIRE_PROPOSALS, SWEEP_HEALTH, COMPLETE_PROGRAMS}
    for name in (EXPIRE_PROPOSALS, SWEEP_HEALTH, COMPLETE_PROGRAMS):
        assert periodic[name].task.queue == UPKEEP_QUEUE
        assert periodic[name].croniter.get_next(float) > 0  # a valid cron
    assert periodic[SWEEP_HEALTH].cron == "*/15 * * * *"


async def _events(engine, subject_id, kind: str, to: str | None = None) -> int:
    async with engine.connect() as conn:
        stmt = select(outbox.c.data).where(outbox.c.subject_id == subject_id, outbox.c.type == kind)
        return sum(1 for data in (await conn.execute(stmt)).scalars() if to is None or data.get("to") == to)


async def test_a_program_past_its_end_completes_with_its_tandems_once_under_two_workers(uow_factory, engine) -> None:
    world, tandem = await running(uow_factory)
    await held(uow_factory, world, tandem)
    program_id = world["program"].id
    today = utcnow().date()
    async with engine.begin() as conn:  # its period ended yesterday
        await conn.execute(
            update(program_table)
            .where(program_table.c.id == program_id)
            .values(starts_on=today - timedelta(days=200), ends_on=today - timedelta(days=1))
        )

    counts = await asyncio.gather(
        upkeep.complete_ended_programs(uow_factory), upkeep.complete_ended_programs(uow_factory)
    )
    assert sum(counts) >= 1
    async with engine.connect() as conn:
        status = (await conn.execute(select(program_table.c.status).where(program_table.c.id == program_id))).scalar()
        row = (await conn.execute(select(tandem_table).where(tandem_table.c.id == tandem.id))).mappings().one()
    assert status == ProgramStatus.COMPLETED.value
    assert row["status"] == TandemStatus.COMPLETED.value and row["health"] is None
    assert await _events(engine, program_id, "program.status_changed", to="completed") == 1
    assert await _events(engine, tandem.id, "tandem.health_changed") == 2  # on track, then none


async def test_overdue_proposals_expire_once_under_two_workers(uow_factory, engine) -> None:
    world = await pair_world(uow_factory)
    proposal = await proposed(uow_factory, world)
    async with engine.begin() as conn:
        await conn.execute(
            update(tandem_table)
            .where(tandem_table.c.id == proposal.id)
            .values(expires_at=utcnow() - timedelta(hours=1))
        )
    await asyncio.gather(upkeep.expire_due_proposals(uow_factory), upkeep.expire_due_proposals(uow_factory))
    async with engine.connect() as conn:
        row = (await conn.execute(select(tandem_table).where(tandem_table.c.id == proposal.id))).mappings().one()
    assert row["status"] == TandemStatus.EXPIRED.value and row["health"] is None
    assert await _events(engine, proposal.id, "tandem.status_changed") == 1
