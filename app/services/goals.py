"""Use cases for goals: the mentee's learning journey inside a tandem."""

from __future__ import annotations

from uuid import UUID

from app.domain.access import Caller
from app.domain.goal import Goal, GoalStatus
from app.services import authz
from app.services.pagination import Page, PageRequest
from app.services.ports import UnitOfWork
from app.services.tandems import load_visible_tandem


async def add_goal(uow: UnitOfWork, caller: Caller, tandem_id: UUID, *, title: str, description: str = "") -> Goal:
    org_id = authz.scope_of(caller, "tandem")
    async with uow:
        tandem = await load_visible_tandem(uow, caller, org_id, tandem_id)
        goal = Goal.for_tandem(tandem, title=title, description=description)
        await uow.goals.add(goal)
        await uow.commit()
    return goal


async def list_goals(uow: UnitOfWork, caller: Caller, tandem_id: UUID, request: PageRequest) -> Page[Goal]:
    org_id = authz.scope_of(caller, "tandem")
    async with uow:
        await load_visible_tandem(uow, caller, org_id, tandem_id)
        return await uow.goals.page(org_id, tandem_id, request)


async def get_goal(uow: UnitOfWork, caller: Caller, goal_id: UUID) -> Goal:
    """A goal, for whoever may see its tandem."""
    org_id = authz.scope_of(caller, "goal")
    async with uow:
        goal = authz.found(await uow.goals.get(org_id, goal_id), "goal")
        await load_visible_tandem(uow, caller, org_id, goal.tandem_id)
    return goal


async def update_goal(
    uow: UnitOfWork,
    caller: Caller,
    goal_id: UUID,
    *,
    title: str | None = None,
    description: str | None = None,
    status: GoalStatus | None = None,
    expected_version: int | None = None,
) -> Goal:
    org_id = authz.scope_of(caller, "goal")
    async with uow:
        goal = authz.found(await uow.goals.get(org_id, goal_id), "goal")
        await load_visible_tandem(uow, caller, org_id, goal.tandem_id)
        authz.check_version(goal, expected_version)
        goal.revise(title=title, description=description)
        if status is not None:
            goal.move_to(status)
        await uow.goals.save(goal)
        await uow.commit()
    return goal
