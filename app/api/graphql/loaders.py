"""DataLoaders: each relation is fetched for all parents of a request level in one query.

The loaders share the request's unit of work, that is one database handle, and an
``AsyncSession`` refuses concurrent use. Loaders for sibling fields (a tandem's goals and
sessions) dispatch their batches in the same event loop turn, so each batch enters the unit of
work, whose blocks take turns; batching is unaffected, since keys are collected before dispatch.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar
from uuid import UUID

from strawberry.dataloader import DataLoader

from app.domain.access import Caller
from app.domain.enrollment import Enrollment
from app.domain.goal import Goal
from app.domain.person import Person
from app.domain.program import Program
from app.domain.session import Feedback, Session
from app.domain.tandem import Tandem
from app.services import reads
from app.services.ports import UnitOfWork

K = TypeVar("K")
V = TypeVar("V")
BatchRead = Callable[[UnitOfWork, Caller, Sequence[K]], Awaitable[list[V]]]


class Loaders:
    def __init__(self, uow: UnitOfWork, caller: Caller) -> None:
        def loader(read: BatchRead[K, V], key: Callable[[K], Any] | None = None) -> DataLoader[K, V]:
            async def load(keys: list[K]) -> list[V]:
                async with uow:
                    return await read(uow, caller, keys)

            return DataLoader(load_fn=load, cache_key_fn=key)

        self.person: DataLoader[UUID, Person | None] = loader(reads.people)
        self.program: DataLoader[UUID, Program | None] = loader(reads.programs)
        self.enrollment: DataLoader[UUID, Enrollment | None] = loader(reads.enrollments)
        self.program_enrollments: DataLoader[UUID, list[Enrollment]] = loader(reads.enrollments_of_programs)
        self.program_tandems: DataLoader[UUID, list[Tandem]] = loader(reads.tandems_of_programs)
        self.tandem_sessions: DataLoader[UUID, list[Session]] = loader(reads.sessions_of_tandems)
        self.session_feedback: DataLoader[UUID, list[Feedback]] = loader(reads.feedback_of_sessions)
        self.tandem_goals: DataLoader[UUID, list[Goal]] = loader(reads.goals_of_tandems)
