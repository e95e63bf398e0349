"""FastAPI dependencies shared by REST and GraphQL: the caller and the request's unit of work.

Every dependency is ``async def``: FastAPI runs a plain ``def`` dependency in a worker thread,
a thread hop per request for what is an attribute read.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.requests import HTTPConnection

from app.api.composition import InvalidToken, Settings, TokenIssuer, TokenVerifier, request_unit_of_work
from app.domain.access import Caller
from app.services import partners, signin
from app.services.ports import IdentityProviders, JobQueue, UnitOfWork

_bearer = HTTPBearer(auto_error=False, description="A Tandem access token (`tandem token` prints one)")


async def get_uow(request: HTTPConnection) -> AsyncIterator[UnitOfWork]:
    """One unit of work for the whole request: the caller's checks, every use case and every
    GraphQL loader read in one transaction; commands commit it."""
    request_id = getattr(request.state, "request_id", None)
    async with request_unit_of_work(request.app.state, request_id).kept_open() as uow:
        yield uow


RequestUow = Annotated[UnitOfWork, Depends(get_uow)]


async def get_caller(
    request: HTTPConnection,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    uow: RequestUow,
) -> Caller:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise InvalidToken("missing bearer token")
    verifier: TokenVerifier = request.app.state.token_verifier
    caller = verifier.verify(credentials.credentials)
    # a token from a login dies with its session (logout, refresh-token theft): one key lookup
    if caller.signin_id is not None and not await signin.signin_is_active(uow, caller.signin_id):
        raise InvalidToken("the sign-in of this token has ended")
    if caller.partner_id is not None and not await partners.credential_is_current(
        uow, caller.partner_id, caller.credential
    ):
        raise InvalidToken("the partner's client secret was rotated after this token was issued")
    # the request's changes are the caller's in the audit trail, traced to this request
    caller = replace(caller, request_id=getattr(request.state, "request_id", None))
    uow.act_for(caller)
    return caller


async def get_job_queue(request: HTTPConnection) -> JobQueue:
    jobs: JobQueue = request.app.state.jobs
    return jobs


async def get_settings(request: HTTPConnection) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_identity_providers(request: HTTPConnection) -> IdentityProviders:
    providers: IdentityProviders = request.app.state.identity_providers
    return providers


async def get_token_issuer(request: HTTPConnection) -> TokenIssuer:
    issuer: TokenIssuer = request.app.state.token_issuer
    return issuer


CurrentCaller = Annotated[Caller, Depends(get_caller)]
# for a route that also takes another credential (a calendar feed's secret token)
OptionalBearer = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
Jobs = Annotated[JobQueue, Depends(get_job_queue)]
AppSettings = Annotated[Settings, Depends(get_settings)]
Providers = Annotated[IdentityProviders, Depends(get_identity_providers)]
Issuer = Annotated[TokenIssuer, Depends(get_token_issuer)]
