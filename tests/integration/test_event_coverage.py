"""Goals and matching runs write their events in the change's own transaction, once, with ids and
the names of what changed; a change that is rolled back writes none."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import select

from app.domain.errors import InvalidTransition
from app.domain.goal import GoalStatus
from app.domain.matching.run import MatchingRun, RunStatus
from app.infra.db.tables import outbox
from app.services import goals, matching_runs
from tests.api.tandem_world import running
from tests.factories import member, pair_world


async def events_about(engine: Any, subject_id: UUID) -> list[tuple[str, dict[str, Any]]]:
    """The stored events about one object, in the order they were written."""
    async with engine.connect() as conn:
        stmt = select(outbox.c.type, outbox.c.data).where(outbox.c.subject_id == subject_id).order_by(outbox.c.seq)
        return [(row.type, row.data) for row in await conn.execute(stmt)]


async def test_adding_a_goal_writes_goal_created_with_its_tandem(uow_factory, engine) -> None:
    world, tandem = await running(uow_factory)
    goal = await goals.add_goal(uow_factory(), member(world["mentee"]), tandem.id, title="How does TikTok work?")
    assert await events_about(engine, goal.id) == [("goal.created", {"tandem_id": str(tandem.id)})]


async def test_a_revised_goal_names_the_changed_fields_and_never_their_words(uow_factory, engine) -> None:
    world, tandem = await running(uow_factory)
    mentee = member(world["mentee"])
    goal = await goals.add_goal(uow_factory(), mentee, tandem.id, title="TikTok", description="the basics")
    await goals.update_goal(uow_factory(), mentee, goal.id, title="TikTok for leaders", description="the basics")
    await goals.update_goal(uow_factory(), mentee, goal.id, status=GoalStatus.IN_PROGRESS)  # no new words

    updated = [data for kind, data in await events_about(engine, goal.id) if kind == "goal.updated"]
    assert updated == [{"tandem_id": str(tandem.id), "changed": ["title"]}]
    kinds = [kind for kind, _ in await events_about(engine, goal.id)]
    assert kinds == ["goal.created", "goal.updated", "goal.status_changed"]


async def test_a_goal_change_that_fails_writes_no_event(uow_factory, engine) -> None:
    world, tandem = await running(uow_factory)
    mentee = member(world["mentee"])
    goal = await goals.add_goal(uow_factory(), mentee, tandem.id, title="TikTok")
    await goals.update_goal(uow_factory(), mentee, goal.id, status=GoalStatus.ACHIEVED)
    with pytest.raises(InvalidTransition):  # new words, then a move an achieved goal cannot make
        await goals.update_goal(uow_factory(), mentee, goal.id, title="Instagram", status=GoalStatus.OPEN)

    kinds = [kind for kind, _ in await events_about(engine, goal.id)]
    assert kinds == ["goal.created", "goal.status_changed"]


async def test_a_completed_run_writes_matching_run_completed_with_counts(uow_factory, engine) -> None:
    world = await pair_world(uow_factory)
    run = MatchingRun(org_id=world["org"].id, program_id=world["program"].id)
    async with uow_factory() as uow:
        await uow.matching_runs.add(run)
        await uow.commit()
    done = await matching_runs.execute_run(uow_factory, run.id)
    assert done is not None and done.status is RunStatus.COMPLETED

    data = {"program_id": str(world["program"].id), "proposals": 1, "unmatched": 0}
    assert await events_about(engine, run.id) == [("matching_run.completed", data)]


async def test_a_failed_run_writes_matching_run_failed_without_the_error_text(uow_factory, engine) -> None:
    world = await pair_world(uow_factory)
    run = MatchingRun(org_id=world["org"].id, program_id=world["program"].id)
    async with uow_factory() as uow:
        await uow.matching_runs.add(run)
        await uow.commit()
    await matching_runs.fail_abandoned(uow_factory, run.id, "the workers running it stopped")
    await matching_runs.fail_abandoned(uow_factory, run.id, "tried again")  # already failed: nothing new

    data = {"program_id": str(world["program"].id), "from": "queued"}
    assert await events_about(engine, run.id) == [("matching_run.failed", data)]


async def test_a_run_finished_in_a_rolled_back_transaction_writes_nothing(uow_factory, engine) -> None:
    world = await pair_world(uow_factory)
    run = MatchingRun(org_id=world["org"].id, program_id=world["program"].id)
    async with uow_factory() as uow:
        await uow.matching_runs.add(run)
        await uow.commit()
    async with uow_factory() as uow:
        stored = await uow.matching_runs.get_any(run.id, for_update=True)
        assert stored is not None
        stored.fail("never committed")
        await uow.matching_runs.save(stored)  # left without commit(): rolled back
    assert await events_about(engine, run.id) == []
