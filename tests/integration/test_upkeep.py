"""Scheduled upkeep (issue 13): the worker's periodic tasks, and each job changing things once
however many workers run it at the same time."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

from sqlalchemy import select, update

from app.cli import main
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


async def test_tandem_upkeep_runs_the_three_jobs_once_and_says_what_changed(
    uow_factory, engine, database_url: str, tmp_path, monkeypatch, capsys
) -> None:
    """Where no worker runs, cron calls ``tandem upkeep``: each job of the worker, once."""
    ended, ended_tandem = await running(uow_factory)
    _, quiet_tandem = await running(uow_factory)
    proposal = await proposed(uow_factory, await pair_world(uow_factory))
    now, today = utcnow(), utcnow().date()
    async with engine.begin() as conn:
        await conn.execute(
            update(program_table)
            .where(program_table.c.id == ended["program"].id)
            .values(starts_on=today - timedelta(days=200), ends_on=today - timedelta(days=1))
        )
        # no session since the tandem began 60 days ago: past at_risk_after_days (45), which only time tells
        await conn.execute(
            update(tandem_table).where(tandem_table.c.id == quiet_tandem.id).values(created_at=now - timedelta(days=60))
        )
        await conn.execute(
            update(tandem_table).where(tandem_table.c.id == proposal.id).values(expires_at=now - timedelta(hours=1))
        )
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("TANDEM_DATA_DIR", str(tmp_path))

    async def tandem_upkeep() -> tuple[int, str]:
        code = await asyncio.to_thread(main, ["upkeep"])
        return code, capsys.readouterr().out

    code, out = await tandem_upkeep()
    # other tests' rows in the shared database may change too: at least ours did
    counts = re.fullmatch(
        r"expired (\d+) proposal\(s\); completed (\d+) program\(s\) past their end; "
        r"health: (\d+) open tandem\(s\) assessed, (\d+) changed, (\d+) with new reasons\n",
        out,
    )
    assert code == 0 and counts is not None, out
    assert all(int(n) >= 1 for n in counts.groups()[:4]), out
    async with engine.connect() as conn:
        rows = {
            row["id"]: row
            for row in (
                await conn.execute(
                    select(tandem_table).where(tandem_table.c.id.in_([ended_tandem.id, quiet_tandem.id, proposal.id]))
                )
            ).mappings()
        }
        program_status = (
            await conn.execute(select(program_table.c.status).where(program_table.c.id == ended["program"].id))
        ).scalar()
    assert program_status == ProgramStatus.COMPLETED.value
    assert (rows[ended_tandem.id]["status"], rows[ended_tandem.id]["health"]) == (TandemStatus.COMPLETED.value, None)
    assert (rows[proposal.id]["status"], rows[proposal.id]["health"]) == (TandemStatus.EXPIRED.value, None)
    assert rows[quiet_tandem.id]["health"] == "at_risk"

    # a second run finds nothing of ours left to change
    code, out = await tandem_upkeep()
    assert code == 0
    assert await _events(engine, quiet_tandem.id, "tandem.health_changed", to="at_risk") == 1
    assert await _events(engine, proposal.id, "tandem.status_changed") == 1
    assert await _events(engine, ended["program"].id, "program.status_changed", to="completed") == 1
