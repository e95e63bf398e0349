"""Batch queries for GraphQL's DataLoaders: many parents' children in one query each,
with the same tenant scoping and visibility rules as the single-object use cases.

Every function takes the caller and answers only within the caller's organization; members
see the enrollments and tandems that are theirs, as in the list use cases.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TypeVar
from uuid import UUID

from app.domain.access import Caller
from app.domain.enrollment import Enrollment
from app.domain.goal import Goal
from app.domain.person import Person
from app.domain.program import Program
from app.domain.session import Feedback, Session
from app.domain.tandem import Tandem
from app.services.ports import UnitOfWork

T = TypeVar("T")


def _group(items: list[T], key: str, parents: Sequence[UUID]) -> list[list[T]]:
    grouped: dict[UUID, list[T]] = defaultdict(list)
    for item in items:
        grouped[getattr(item, key)].append(item)
    return [grouped.get(parent, []) for parent in parents]


def _by_id(items: list[T], ids: Sequence[UUID]) -> list[T | None]:
    found = {item.id: item for item in items}  # type: ignore[attr-defined]
    return [found.get(i) for i in ids]


async def people(uow: UnitOfWork, caller: Caller, ids: Sequence[UUID]) -> list[Person | None]:
    if caller.org_id is None:
        return [None] * len(ids)
    return _by_id(await uow.people.get_many(caller.org_id, ids), ids)


async def programs(uow: UnitOfWork, caller: Caller, ids: Sequence[UUID]) -> list[Program | None]:
    if caller.org_id is None:
        return [None] * len(ids)
    return _by_id(await uow.programs.get_many(caller.org_id, ids), ids)


async def enrollments(uow: UnitOfWork, caller: Caller, ids: Sequence[UUID]) -> list[Enrollment | None]:
    if caller.org_id is None:
        return [None] * len(ids)
    found = await uow.enrollments.get_many(caller.org_id, ids)
    return _by_id([e for e in found if caller.manages_org or e.person_id == caller.person_id], ids)


async def enrollments_of_programs(
    uow: UnitOfWork, caller: Caller, program_ids: Sequence[UUID]
) -> list[list[Enrollment]]:
    if caller.org_id is None:
        return [[] for _ in program_ids]
    found = await uow.enrollments.children_of(caller.org_id, "program_id", program_ids)
    visible = [e for e in found if caller.manages_org or e.person_id == caller.person_id]
    return _group(visible, "program_id", program_ids)


async def tandems_of_programs(uow: UnitOfWork, caller: Caller, program_ids: Sequence[UUID]) -> list[list[Tandem]]:
    if caller.org_id is None:
        return [[] for _ in program_ids]
    found = await uow.tandems.children_of(caller.org_id, "program_id", program_ids)
    visible = [t for t in found if caller.manages_org or t.side_of(caller.person_id) is not None]
    return _group(visible, "program_id", program_ids)


async def sessions_of_tandems(uow: UnitOfWork, caller: Caller, tandem_ids: Sequence[UUID]) -> list[list[Session]]:
    """Callers reach these only through tandems they may see; the tenant scope still applies.

    The sessions come without their feedback (``feedback_of_sessions`` reads it when asked):
    a program's sessions are many, and most readers want their dates and states."""
    if caller.org_id is None:
        return [[] for _ in tandem_ids]
    found = await uow.sessions.children_of(caller.org_id, "tandem_id", tandem_ids, with_children=False)
    return _group(found, "tandem_id", tandem_ids)


async def feedback_of_sessions(uow: UnitOfWork, caller: Caller, session_ids: Sequence[UUID]) -> list[list[Feedback]]:
    """Reached only through sessions of tandems the caller may see; the tenant scope still applies."""
    if caller.org_id is None:
        return [[] for _ in session_ids]
    grouped: dict[UUID, list[Feedback]] = defaultdict(list)
    for session_id, feedback in await uow.sessions.feedback_of(caller.org_id, session_ids):
        grouped[session_id].append(feedback)
    return [grouped.get(s, []) for s in session_ids]


async def goals_of_tandems(uow: UnitOfWork, caller: Caller, tandem_ids: Sequence[UUID]) -> list[list[Goal]]:
    if caller.org_id is None:
        return [[] for _ in tandem_ids]
    return _group(await uow.goals.children_of(caller.org_id, "tandem_id", tandem_ids), "tandem_id", tandem_ids)
