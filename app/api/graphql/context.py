"""Per-request GraphQL context: the caller, the request's unit of work, fresh DataLoaders and the job queue.

Built by a FastAPI dependency, so authentication is exactly REST's and every request gets its
own loaders (no cache shared between callers or requests). Queries, loaders and mutations all
use the request's one unit of work, as a REST request does.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Depends
from strawberry.fastapi import BaseContext

from app.api.composition import Settings
from app.api.deps import get_caller, get_job_queue, get_settings, get_uow
from app.api.graphql.loaders import Loaders
from app.domain.access import Caller
from app.services.ports import JobQueue, UnitOfWork


@dataclass
class Context(BaseContext):
    caller: Caller
    uow: UnitOfWork
    loaders: Loaders
    settings: Settings
    jobs: JobQueue

    def __post_init__(self) -> None:
        super().__init__()


async def get_context(
    caller: Caller = Depends(get_caller),
    uow: UnitOfWork = Depends(get_uow),
    settings: Settings = Depends(get_settings),
    jobs: JobQueue = Depends(get_job_queue),
) -> Context:
    return Context(caller=caller, uow=uow, loaders=Loaders(uow, caller), settings=settings, jobs=jobs)
