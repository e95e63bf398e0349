"""Rate limits (``limits``: moving windows, memory or Redis storage).

Logins and token requests are where guessing and credential stuffing happen: they are limited
per client address. Writes (POST, PUT, PATCH, DELETE under /v1) are limited per caller, and the
expensive business flows (a partner's bulk mentor sync, a matching run) per tenant, over REST
and GraphQL alike. Over a limit, the answer is 429 with ``Retry-After`` and the ``RateLimit`` /
``RateLimit-Policy`` headers of the IETF draft (draft-ietf-httpapi-ratelimit-headers). With
several instances, point ``TANDEM_RATE_LIMIT_STORAGE`` at a shared Redis so the limits hold for
all of them together.
"""

from __future__ import annotations

import math
import time
from typing import Annotated

from fastapi import Depends, Request
from limits import RateLimitItem, parse
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string

from app.api.deps import CurrentCaller
from app.domain.access import Caller


class TooManyRequests(Exception):
    """Maps to 429 with Retry-After and the RateLimit headers (see app/api/problems.py)."""

    def __init__(
        self, retry_after: int, *, policy: str = "login", item: RateLimitItem | None = None, detail: str | None = None
    ) -> None:
        super().__init__(f"retry after {retry_after} s")
        self.retry_after = retry_after
        self.policy = policy
        self.item = item
        self.detail = detail or f"too many sign-in requests from this address; retry in {retry_after} s"

    def headers(self) -> dict[str, str]:
        """``Retry-After`` and, with the limit known, the draft's ``RateLimit`` and ``RateLimit-Policy``."""
        headers = {"Retry-After": str(self.retry_after)}
        if self.item is not None:
            window = self.item.get_expiry()
            headers["RateLimit-Policy"] = f'"{self.policy}";q={self.item.amount};w={window}'
            headers["RateLimit"] = f'"{self.policy}";r=0;t={self.retry_after}'
        return headers


async def _hit(limiter: MovingWindowRateLimiter, item: RateLimitItem, bucket: str, key: str) -> int | None:
    """Count one request; None when it is within the limit, else the seconds until it would be."""
    if await limiter.hit(item, bucket, key):
        return None
    stats = await limiter.get_window_stats(item, bucket, key)
    return max(1, math.ceil(stats.reset_time - time.time()))


def _async_storage(storage_uri: str) -> MovingWindowRateLimiter:
    if not storage_uri.startswith("async+"):
        storage_uri = "async+" + storage_uri  # the async flavour of the same storage
    return MovingWindowRateLimiter(storage_from_string(storage_uri))  # type: ignore[arg-type]


class LoginRateLimiter:
    """Two buckets per client address: browser logins (tight: people do not log in 20 times a
    minute) and the token endpoint (looser: a whole office behind one NAT refreshes tokens)."""

    def __init__(self, login_limit: str, storage_uri: str, token_limit: str | None = None) -> None:
        self.items: dict[str, RateLimitItem] = {"login": parse(login_limit), "token": parse(token_limit or login_limit)}
        self.limiter = _async_storage(storage_uri)

    async def check(self, bucket: str, client: str) -> None:
        item = self.items[bucket]
        retry_after = await _hit(self.limiter, item, bucket, client)
        if retry_after is not None:
            raise TooManyRequests(retry_after, policy=bucket, item=item)


# the sensitive business flows (OWASP API6): costly for us, limited per tenant on top of the
# caller's write limit. (method, route path) → flow; GraphQL's mutations name their flow themselves.
FLOWS: dict[tuple[str, str], str] = {
    ("PUT", "/v1/partners/{partner_id}/mentors"): "partner_sync",
    ("POST", "/v1/programs/{program_id}/matching-runs"): "matching_run",
}
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class WriteRateLimiter:
    """Writes per caller (a person's or a partner's token) and business flows per tenant
    (the caller's organization, or the partner network)."""

    def __init__(self, write_limit: str, flow_limit: str, storage_uri: str) -> None:
        self.write = parse(write_limit)
        self.flow = parse(flow_limit)
        self.limiter = _async_storage(storage_uri)

    async def check_write(self, caller: Caller) -> None:
        retry_after = await _hit(self.limiter, self.write, "write", f"{caller.role.value}:{caller.user_id}")
        if retry_after is not None:
            detail = f"too many changes by this caller; retry in {retry_after} s"
            raise TooManyRequests(retry_after, policy="write", item=self.write, detail=detail)

    async def check_flow(self, flow: str, caller: Caller) -> None:
        tenant = caller.org_id or caller.partner_id or caller.user_id
        retry_after = await _hit(self.limiter, self.flow, flow, str(tenant))
        if retry_after is not None:
            detail = f"too many {flow.replace('_', ' ')} requests for this tenant; retry in {retry_after} s"
            raise TooManyRequests(retry_after, policy=flow, item=self.flow, detail=detail)


def _client_address(request: Request) -> str:
    # uvicorn's proxy_headers has already put the X-Forwarded-For client here when trusted
    return request.client.host if request.client else "unknown"


async def limit_logins(request: Request) -> None:
    limiter: LoginRateLimiter = request.app.state.login_limiter
    await limiter.check("login", _client_address(request))


async def limit_token_requests(request: Request) -> None:
    limiter: LoginRateLimiter = request.app.state.login_limiter
    await limiter.check("token", _client_address(request))


async def limit_writes(request: Request, caller: CurrentCaller) -> None:
    """On every /v1 route: a write counts against its caller, a business flow also against its
    tenant. Reads pass (the caller is the one the route resolves anyway: FastAPI caches it)."""
    if request.method in SAFE_METHODS:
        return
    limiter: WriteRateLimiter = request.app.state.write_limiter
    flow = FLOWS.get((request.method, getattr(request.scope.get("route"), "path", "")))
    if flow is not None:
        await limiter.check_flow(flow, caller)
    await limiter.check_write(caller)


LoginRateLimit = Annotated[None, Depends(limit_logins)]
TokenRateLimit = Annotated[None, Depends(limit_token_requests)]
WriteRateLimit = Depends(limit_writes)
