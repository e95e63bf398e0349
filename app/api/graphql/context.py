"""Per-request GraphQL context: the caller, a read unit of work, fresh DataLoaders and the job queue.

Built by a FastAPI dependency, so authentication is exactly REST's and every request gets its
own loaders (no cache shared between callers or requests).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from fastapi import Depends
from strawberry.fastapi import BaseContext

from app.api.deps import get_caller, get_job_queue, get_settings, get_uow_factory
from app.api.graphql.loaders import Loaders
from app.domain.access import Caller
from app.infra.settings import Settings
from app.services.ports import JobQueue, UnitOfWork


@dataclass
class Context(BaseContext):
    caller: Caller
    uow_factory: Callable[[], UnitOfWork]
    loaders: Loaders
    settings: Settings
    jobs: JobQueue

    def __post_init__(self) -> None:
        super().__init__()


async def get_context(
    caller: Caller = Depends(get_caller),
    uow_factory: Callable[[], UnitOfWork] = Depends(get_uow_factory),
    settings: Settings = Depends(get_settings),
    jobs: JobQueue = Depends(get_job_queue),
) -> AsyncIterator[Context]:
    """Commands open their own units of work; reads for the loaders share this one."""
    reads = uow_factory()
    async with reads:
        yield Context(
            caller=caller, uow_factory=uow_factory, loaders=Loaders(reads, caller), settings=settings, jobs=jobs
        )
