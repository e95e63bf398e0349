"""/oauth/token and /oauth/revoke (RFC 6749, 7009, 7636): Tandem's own token endpoint.

Grants: ``authorization_code`` (the one-time code a front end received after an SSO login,
with its PKCE verifier when it sent a challenge), ``refresh_token`` (rotating), and
``client_credentials`` (partner networks, HTTP Basic or form credentials). Errors are problem
documents whose ``code`` is the OAuth error (``invalid_grant``, ...), with ``error`` and
``error_description`` as well, so OAuth client libraries understand them too.
"""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Literal
from urllib.parse import unquote_plus

from fastapi import APIRouter, Form, Request, Response, status
from pydantic import BaseModel, Field

from app.api.composition import TokenIssuer
from app.api.deps import AppSettings, Issuer, RequestUow
from app.api.rate_limit import TokenRateLimit
from app.api.rest.responses import problems
from app.domain.errors import BadRequest, Unauthenticated
from app.services import partners, signin

router = APIRouter(tags=["identity"])
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}  # RFC 6749 §5.1

GrantType = Literal["authorization_code", "refresh_token", "client_credentials"]


class TokenOut(BaseModel):
    access_token: str
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105  (the OAuth token type, not a secret)
    expires_in: int = Field(description="seconds until the access token expires")
    refresh_token: str | None = Field(default=None, description="rotating: each one works once")
    scope: str | None = None

    @classmethod
    def signed(cls, grant: signin.Grant, issuer: TokenIssuer) -> TokenOut:
        """The token response for a grant: its caller's access token, signed now."""
        return cls(
            access_token=issuer.issue(grant.caller),
            expires_in=issuer.ttl_seconds,
            refresh_token=grant.refresh_token,
            scope=" ".join(sorted(grant.caller.scopes)) or None,
        )


def _basic_credentials(request: Request) -> tuple[str, str] | None:
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("basic "):
        return None
    try:
        client_id, _, secret = base64.b64decode(header[6:], validate=True).decode().partition(":")
    except (binascii.Error, ValueError) as exc:  # a UnicodeDecodeError is a ValueError too
        raise Unauthenticated("malformed Basic credentials", code="invalid_client") from exc
    return unquote_plus(client_id), unquote_plus(secret)


@router.post(
    "/oauth/token",
    operation_id="issue_token",
    responses=problems(400, 401, 429),
)
async def issue_token(
    request: Request,
    response: Response,
    uow: RequestUow,
    issuer: Issuer,
    settings: AppSettings,
    _: TokenRateLimit,
    grant_type: Annotated[GrantType, Form()],
    code: Annotated[str | None, Form(max_length=200)] = None,
    code_verifier: Annotated[str | None, Form(pattern=r"^[A-Za-z0-9._~-]{43,128}$")] = None,
    refresh_token: Annotated[str | None, Form(max_length=200)] = None,
    client_id: Annotated[str | None, Form(max_length=200)] = None,
    client_secret: Annotated[str | None, Form(max_length=200)] = None,
    scope: Annotated[str | None, Form(max_length=500)] = None,
) -> TokenOut:
    """Exchange a login code, a refresh token or partner client credentials for an access token.

    Partners send their credentials in the form (`client_id`, `client_secret`) or as HTTP Basic
    authentication (RFC 6749 §2.3.1); no bearer token is needed here."""
    response.headers.update(NO_STORE)
    lifetimes = settings.lifetimes
    if grant_type == "authorization_code":
        if not code:
            raise BadRequest("code is required", code="invalid_request")
        grant = await signin.redeem_login_code(uow, code, code_verifier, lifetimes)
    elif grant_type == "refresh_token":
        if not refresh_token:
            raise BadRequest("refresh_token is required", code="invalid_request")
        grant = await signin.refresh(uow, refresh_token, lifetimes)
    else:
        credentials = _basic_credentials(request) or (client_id, client_secret)
        if not credentials[0] or not credentials[1]:
            raise Unauthenticated("client credentials are required", code="invalid_client")
        caller = await partners.client_credentials_caller(
            uow, client_id=credentials[0], client_secret=credentials[1], scope=scope
        )
        grant = signin.Grant(caller)
    return TokenOut.signed(grant, issuer)


@router.post(
    "/oauth/revoke",
    operation_id="revoke_token",
    status_code=status.HTTP_200_OK,
    response_class=Response,  # RFC 7009 §2.2: the answer has no body
    responses={200: {"description": "Revoked, or not a token Tandem knows"}, **problems(400, 429)},
)
async def revoke_token(
    uow: RequestUow,
    _: TokenRateLimit,
    token: Annotated[str, Form(max_length=200)],
    token_type_hint: Annotated[str | None, Form(max_length=50)] = None,
) -> Response:
    """Revoke a refresh token and its whole sign-in (RFC 7009: unknown tokens answer 200 too)."""
    await signin.revoke_token(uow, token)
    return Response(status_code=status.HTTP_200_OK, headers=NO_STORE)
