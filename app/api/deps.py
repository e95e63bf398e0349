"""FastAPI dependencies shared by REST (and later GraphQL): the caller and a unit of work."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.domain.access import Caller
from app.infra.auth.tokens import InvalidToken, TokenVerifier
from app.infra.db.unit_of_work import SqlUnitOfWork
from app.infra.settings import Settings
from app.services.ports import JobQueue, UnitOfWork

_bearer = HTTPBearer(auto_error=False, description="A Tandem access token (`tandem token` prints one)")


def get_uow_factory(request: Request) -> Callable[[], UnitOfWork]:
    factory, secrets = request.app.state.session_factory, request.app.state.secret_box
    return lambda: SqlUnitOfWork(factory, secrets)


def get_caller(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Caller:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise InvalidToken("missing bearer token")
    verifier: TokenVerifier = request.app.state.token_verifier
    return verifier.verify(credentials.credentials)


def get_job_queue(request: Request) -> JobQueue:
    jobs: JobQueue = request.app.state.jobs
    return jobs


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


UowFactory = Annotated[Callable[[], UnitOfWork], Depends(get_uow_factory)]
CurrentCaller = Annotated[Caller, Depends(get_caller)]
Jobs = Annotated[JobQueue, Depends(get_job_queue)]
AppSettings = Annotated[Settings, Depends(get_settings)]
