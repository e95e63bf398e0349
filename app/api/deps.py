"""FastAPI dependencies shared by REST (and later GraphQL): the caller and a unit of work."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.requests import HTTPConnection

from app.domain.access import Caller
from app.infra.auth.tokens import InvalidToken, TokenIssuer, TokenVerifier
from app.infra.db.unit_of_work import SqlUnitOfWork
from app.infra.settings import Settings
from app.services import partners, signin
from app.services.ports import IdentityProviders, JobQueue, UnitOfWork

_bearer = HTTPBearer(auto_error=False, description="A Tandem access token (`tandem token` prints one)")


def get_uow_factory(request: HTTPConnection) -> Callable[[], UnitOfWork]:
    factory, secrets = request.app.state.session_factory, request.app.state.secret_box
    return lambda: SqlUnitOfWork(factory, secrets)


async def get_caller(
    request: HTTPConnection, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Caller:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise InvalidToken("missing bearer token")
    verifier: TokenVerifier = request.app.state.token_verifier
    caller = verifier.verify(credentials.credentials)
    # a token from a login dies with its session (logout, refresh-token theft): one key lookup
    if caller.session_id is not None and not await signin.session_is_active(
        get_uow_factory(request)(), caller.session_id
    ):
        raise InvalidToken("the sign-in session of this token has ended")
    if caller.partner_id is not None and not await partners.credential_is_current(
        get_uow_factory(request)(), caller.partner_id, caller.credential
    ):
        raise InvalidToken("the partner's client secret was rotated after this token was issued")
    return caller


def get_job_queue(request: HTTPConnection) -> JobQueue:
    jobs: JobQueue = request.app.state.jobs
    return jobs


def get_settings(request: HTTPConnection) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_identity_providers(request: HTTPConnection) -> IdentityProviders:
    providers: IdentityProviders = request.app.state.identity_providers
    return providers


def get_token_issuer(request: HTTPConnection) -> TokenIssuer:
    issuer: TokenIssuer = request.app.state.token_issuer
    return issuer


UowFactory = Annotated[Callable[[], UnitOfWork], Depends(get_uow_factory)]
CurrentCaller = Annotated[Caller, Depends(get_caller)]
Jobs = Annotated[JobQueue, Depends(get_job_queue)]
AppSettings = Annotated[Settings, Depends(get_settings)]
Providers = Annotated[IdentityProviders, Depends(get_identity_providers)]
Issuer = Annotated[TokenIssuer, Depends(get_token_issuer)]
