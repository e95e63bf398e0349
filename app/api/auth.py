"""Browser sign-in through an organization's provider: /auth/{org_slug}/login and /callback,
and /auth/logout.

The login sets a short-lived, HttpOnly cookie that binds the attempt to this browser; the
callback must bring it back along with the state. SameSite=Lax lets the cookie ride along
on the provider's top-level redirect back to us, and on nothing cross-site that posts.
"""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import urlsplit

from fastapi import APIRouter, Cookie, Form, Path, Query, Response, status
from fastapi.responses import JSONResponse, RedirectResponse

from app.api.composition import Settings
from app.api.deps import AppSettings, CurrentCaller, Issuer, Providers, RequestUow
from app.api.rate_limit import LoginRateLimit, TokenRateLimit
from app.api.rest.oauth import NO_STORE, TokenOut
from app.api.rest.responses import problems
from app.domain.errors import BadRequest
from app.domain.sso import LoginHints
from app.services import signin, sso_login

router = APIRouter(prefix="/auth", tags=["identity"])
COOKIE = "tandem_login"
OrgSlug = Annotated[str, Path(pattern=r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$", description="the organization's slug")]


def _callback_url(settings: Settings, org_slug: str) -> str:
    return f"{settings.issuer.rstrip('/')}/auth/{org_slug}/callback"


@router.get(
    "/{org_slug}/login",
    operation_id="start_login",
    status_code=status.HTTP_302_FOUND,
    response_class=RedirectResponse,
    responses={302: {"description": "to the organization's identity provider"}, **problems(404, 422, 429, 502)},
)
async def start_login(
    org_slug: OrgSlug,
    uow: RequestUow,
    providers: Providers,
    settings: AppSettings,
    _: LoginRateLimit,
    code_challenge: Annotated[str | None, Query(pattern=r"^[A-Za-z0-9._~-]{43,128}$")] = None,
    code_challenge_method: Literal["S256"] = "S256",
    login_hint: Annotated[
        str | None, Query(min_length=1, max_length=254, description="passed to the provider, e.g. the typed email")
    ] = None,
    prompt: Annotated[
        Literal["login", "select_account", "consent"] | None,
        Query(description="passed to the provider: `select_account` to switch accounts, `login` to sign in again"),
    ] = None,
) -> RedirectResponse:
    """Start single sign-on: redirects the browser to the organization's OpenID provider.

    An organization with a front-end URL needs the front end's own PKCE ``code_challenge`` (S256);
    the one-time code it then receives is only redeemable with the matching ``code_verifier``.
    ``login_hint`` and ``prompt`` go to the provider as OpenID Connect defines them.
    """
    start = await sso_login.begin_login(
        uow,
        providers,
        org_slug,
        redirect_uri=_callback_url(settings, org_slug),
        client_code_challenge=code_challenge,
        lifetimes=settings.lifetimes,
        hints=LoginHints(login_hint, prompt),
    )
    redirect = RedirectResponse(start.authorization_url, status_code=status.HTTP_302_FOUND, headers=NO_STORE)
    redirect.set_cookie(
        COOKIE,
        start.browser_secret,
        max_age=int(settings.lifetimes.login_attempt.total_seconds()),
        path=f"/auth/{org_slug}/",
        secure=urlsplit(settings.issuer).scheme == "https",
        httponly=True,
        samesite="lax",
    )
    return redirect


@router.get(
    "/{org_slug}/callback",
    operation_id="finish_login",
    responses={
        200: {"model": TokenOut, "description": "the tokens, when the organization registered no front-end URL"},
        302: {"description": "to the organization's front end, with a one-time `code` for /oauth/token"},
        **problems(400, 401, 403, 404, 422, 429, 502),
    },
)
async def finish_login(
    org_slug: OrgSlug,
    uow: RequestUow,
    providers: Providers,
    issuer: Issuer,
    settings: AppSettings,
    _: LoginRateLimit,
    state: Annotated[str | None, Query(max_length=200)] = None,
    code: Annotated[str | None, Query(max_length=2000)] = None,
    iss: Annotated[str | None, Query(max_length=500)] = None,
    error: Annotated[str | None, Query(max_length=200)] = None,
    tandem_login: Annotated[str | None, Cookie(include_in_schema=False)] = None,
) -> Response:
    """Where the provider sends the browser back. Answers the tokens as JSON when the
    organization registered no front-end URL, else redirects there with a one-time code."""
    done = await sso_login.finish_login(
        uow,
        providers,
        org_slug,
        state=state,
        browser_secret=tandem_login,
        code=code,
        iss=iss,
        error=error,
        lifetimes=settings.lifetimes,
    )
    if done.frontend_redirect is not None:
        result: Response = RedirectResponse(done.frontend_redirect, status_code=status.HTTP_302_FOUND)
    else:
        assert done.grant is not None
        result = JSONResponse(TokenOut.signed(done.grant, issuer).model_dump(exclude_none=True))
    result.headers.update(NO_STORE)
    result.delete_cookie(COOKIE, path=f"/auth/{org_slug}/")
    return result


@router.post(
    "/{org_slug}/backchannel-logout",
    operation_id="provider_logout",
    responses={
        200: {"description": "the person's Tandem sessions have ended (or there were none)"},
        **problems(400, 404, 422, 429, 502),
    },
)
async def provider_logout(
    org_slug: OrgSlug,
    uow: RequestUow,
    providers: Providers,
    _: TokenRateLimit,
    logout_token: Annotated[str | None, Form(max_length=16_384)] = None,
) -> Response:
    """OpenID Connect Back-Channel Logout 1.0: the organization's provider posts a logout token
    here when someone's session there ends (they logged out, or an admin disabled them). Every
    Tandem sign-in of that person ends: refresh tokens stop working and access tokens
    are refused at once. Register `{TANDEM_ISSUER}/auth/{org_slug}/backchannel-logout` as the
    client's `backchannel_logout_uri` at the provider.
    """
    if not logout_token:
        raise BadRequest("the request carries no logout_token", code="invalid_request")
    await sso_login.provider_logout(uow, providers, org_slug, logout_token)
    return Response(status_code=status.HTTP_200_OK, headers=NO_STORE)


@router.post(
    "/logout",
    operation_id="log_out",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problems(401, 403),
)
async def log_out(caller: CurrentCaller, uow: RequestUow) -> Response:
    """End the caller's sign-in: its refresh tokens and access tokens stop working."""
    await signin.log_out(uow, caller)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
