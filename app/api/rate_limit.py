"""Rate limits on the sign-in endpoints (``limits``: moving windows, memory or Redis storage).

Logins and token requests are where guessing and credential stuffing happen; a client
address that exceeds the limit gets 429 with ``Retry-After``. With several instances, point
``TANDEM_RATE_LIMIT_STORAGE`` at a shared Redis so the limit holds for all of them together.
"""

from __future__ import annotations

import math
import time
from typing import Annotated

from fastapi import Depends, Request
from limits import RateLimitItem, parse
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string


class TooManyRequests(Exception):
    """Maps to 429 with Retry-After (see app/api/problems.py)."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"retry after {retry_after} s")
        self.retry_after = retry_after


class LoginRateLimiter:
    """Two buckets per client address: browser logins (tight: people do not log in 20 times a
    minute) and the token endpoint (looser: a whole office behind one NAT refreshes tokens)."""

    def __init__(self, login_limit: str, storage_uri: str, token_limit: str | None = None) -> None:
        if not storage_uri.startswith("async+"):
            storage_uri = "async+" + storage_uri  # the async flavour of the same storage
        self.items: dict[str, RateLimitItem] = {"login": parse(login_limit), "token": parse(token_limit or login_limit)}
        self.limiter = MovingWindowRateLimiter(storage_from_string(storage_uri))  # type: ignore[arg-type]

    async def check(self, bucket: str, client: str) -> None:
        item = self.items[bucket]
        if not await self.limiter.hit(item, bucket, client):
            stats = await self.limiter.get_window_stats(item, bucket, client)
            raise TooManyRequests(max(1, math.ceil(stats.reset_time - time.time())))


def _client_address(request: Request) -> str:
    # uvicorn's proxy_headers has already put the X-Forwarded-For client here when trusted
    return request.client.host if request.client else "unknown"


async def limit_logins(request: Request) -> None:
    limiter: LoginRateLimiter = request.app.state.login_limiter
    await limiter.check("login", _client_address(request))


async def limit_token_requests(request: Request) -> None:
    limiter: LoginRateLimiter = request.app.state.login_limiter
    await limiter.check("token", _client_address(request))


LoginRateLimit = Annotated[None, Depends(limit_logins)]
TokenRateLimit = Annotated[None, Depends(limit_token_requests)]
