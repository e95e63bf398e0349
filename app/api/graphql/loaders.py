"""DataLoaders: each relation is fetched for all parents of a request level in one query.

The loaders of a request share one unit of work, that is one database session, and an
``AsyncSession`` refuses concurrent use. Loaders for sibling fields (a tandem's goals and
sessions) dispatch their batches in the same event loop turn, so the batches take turns on
the session under a lock; batching is unaffected, since keys are collected before dispatch.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar
from uuid import UUID

from strawberry.dataloader import DataLoader

from app.domain.access import Caller
from app.domain.enrollment import Enrollment
from app.domain.goal import Goal
from app.domain.person import Person
from app.domain.program import Program
from app.domain.session import Session
from app.domain.tandem import Tandem
from app.services import reads
from app.services.ports import UnitOfWork

V = TypeVar("V")
BatchRead = Callable[[UnitOfWork, Caller, Sequence[UUID]], Awaitable[list[V]]]


class Loaders:
    def __init__(self, uow: UnitOfWork, caller: Caller) -> None:
        one_at_a_time = asyncio.Lock()

        def loader(read: BatchRead[V]) -> DataLoader[UUID, V]:
            async def load(keys: list[UUID]) -> list[V]:
                async with one_at_a_time:
                    return await read(uow, caller, keys)

            return DataLoader(load_fn=load)

        self.person: DataLoader[UUID, Person | None] = loader(reads.people)
        self.program: DataLoader[UUID, Program | None] = loader(reads.programs)
        self.enrollment: DataLoader[UUID, Enrollment | None] = loader(reads.enrollments)
        self.program_enrollments: DataLoader[UUID, list[Enrollment]] = loader(reads.enrollments_of_programs)
        self.program_tandems: DataLoader[UUID, list[Tandem]] = loader(reads.tandems_of_programs)
        self.tandem_sessions: DataLoader[UUID, list[Session]] = loader(reads.sessions_of_tandems)
        self.tandem_goals: DataLoader[UUID, list[Goal]] = loader(reads.goals_of_tandems)
