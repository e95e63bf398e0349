"""A matching run whose job is tried again (its worker stopped or died) against real PostgreSQL.

``execute_run(resume=True)`` is the retried attempt: it does the work of a run its predecessor
left ``running``, and leaves finished runs alone. Without ``resume`` (a duplicated delivery) a
running run is someone else's and is not touched. ``fail_abandoned`` is what a run out of retries
gets: failed with the reason, unless it already finished.
"""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from app.domain.matching.run import MatchingRun, RunStatus
from app.services import matching_runs
from tests.factories import pair_world

ABANDONED = "the workers running it stopped; start a new run"


async def _stored(uow_factory: Any, world: dict[str, Any], status: RunStatus = RunStatus.QUEUED) -> MatchingRun:
    run = MatchingRun(org_id=world["org"].id, program_id=world["program"].id)
    if status is not RunStatus.QUEUED:
        run.start()  # an earlier attempt took it, then stopped or died
    async with uow_factory() as uow:
        await uow.matching_runs.add(run)
        await uow.commit()
    if status is RunStatus.COMPLETED:
        done = await matching_runs.execute_run(uow_factory, run.id, resume=True)
        assert done is not None and done.status is RunStatus.COMPLETED
    return run


async def _reloaded(uow_factory: Any, run: MatchingRun) -> MatchingRun:
    async with uow_factory() as uow:
        found = await uow.matching_runs.get_any(run.id)
    assert found is not None
    return found


def _pairs(run: MatchingRun) -> set[tuple[Any, Any]]:
    return {(p.mentor_enrollment_id, p.mentee_enrollment_id) for p in run.proposals}


async def test_a_resumed_attempt_finishes_the_run_its_predecessor_left_running(uow_factory) -> None:
    world = await pair_world(uow_factory)
    run = await _stored(uow_factory, world, RunStatus.RUNNING)

    done = await matching_runs.execute_run(uow_factory, run.id, resume=True)

    stored = await _reloaded(uow_factory, run)
    assert done is not None and (done.status, done.progress) == (RunStatus.COMPLETED, 100)
    assert (stored.status, stored.progress, stored.error) == (RunStatus.COMPLETED, 100, None)
    assert _pairs(stored) == {(world["mentor_e"].id, world["mentee_e"].id)}


async def test_without_resume_a_running_run_is_left_to_the_attempt_doing_it(uow_factory) -> None:
    world = await pair_world(uow_factory)
    run = await _stored(uow_factory, world, RunStatus.RUNNING)

    left = await matching_runs.execute_run(uow_factory, run.id)

    stored = await _reloaded(uow_factory, run)
    assert left is not None and left.status is RunStatus.RUNNING
    assert (stored.status, stored.progress, stored.proposals) == (RunStatus.RUNNING, 0, ())


async def test_a_resumed_attempt_leaves_a_finished_run_as_it_is(uow_factory) -> None:
    world = await pair_world(uow_factory)
    run = await _stored(uow_factory, world, RunStatus.COMPLETED)
    before = await _reloaded(uow_factory, run)

    again = await matching_runs.execute_run(uow_factory, run.id, resume=True)

    after = await _reloaded(uow_factory, run)
    assert again is not None and again.status is RunStatus.COMPLETED
    assert (after.status, after.version, after.updated_at) == (before.status, before.version, before.updated_at)


async def test_resuming_an_unknown_run_finds_nothing(uow_factory) -> None:
    assert await matching_runs.execute_run(uow_factory, uuid4(), resume=True) is None


async def test_an_abandoned_running_or_queued_run_fails_with_the_reason(uow_factory) -> None:
    world = await pair_world(uow_factory)
    running = await _stored(uow_factory, world, RunStatus.RUNNING)
    queued = await _stored(uow_factory, world)

    for run in (running, queued):
        await matching_runs.fail_abandoned(uow_factory, run.id, ABANDONED)
        stored = await _reloaded(uow_factory, run)
        assert (stored.status, stored.error) == (RunStatus.FAILED, ABANDONED)

    # a job tried once more after all finds a failed run and leaves it failed
    assert (await matching_runs.execute_run(uow_factory, running.id, resume=True)).status is RunStatus.FAILED  # type: ignore[union-attr]


async def test_failing_an_abandoned_run_spares_a_finished_one_and_ignores_an_unknown_id(uow_factory) -> None:
    world = await pair_world(uow_factory)
    completed = await _stored(uow_factory, world, RunStatus.COMPLETED)
    before = await _reloaded(uow_factory, completed)

    await matching_runs.fail_abandoned(uow_factory, completed.id, ABANDONED)
    await matching_runs.fail_abandoned(uow_factory, uuid4(), ABANDONED)

    after = await _reloaded(uow_factory, completed)
    assert (after.status, after.error, after.version) == (RunStatus.COMPLETED, None, before.version)
    assert _pairs(after) == _pairs(before) != set()
