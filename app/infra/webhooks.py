"""Sending webhooks: Standard Webhooks signatures, through the same SSRF guard as identity providers.

Receivers are URLs our customers and partners choose, so every delivery connects only to
addresses checked at connect time (``PinnedTransport``: no DNS rebinding between check and
connect), follows no redirect, gives up after the receiver timeout, and reads at most a few
kilobytes of the answer.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from standardwebhooks.webhooks import Webhook

from app.domain.delivery import Outcome, RetrySchedule
from app.domain.errors import ProviderUnavailable, RuleViolation
from app.infra.oidc.url_guard import PinnedTransport, Resolver, addresses_for
from app.infra.settings import Settings
from app.services.webhook_relay import RelayPolicy

USER_AGENT = "Tandem-Webhooks/1"
RESPONSE_CAP_BYTES = 4096  # what of an answer is read; the rest is dropped unread
ERROR_SNIPPET = 200  # of which this much is kept in the delivery log


def sign(secrets: Sequence[str], message_id: str, timestamp: datetime, body: str) -> str:
    """The ``webhook-signature`` header: one ``v1,<base64>`` per secret, space-separated."""
    return " ".join(Webhook(secret).sign(message_id, timestamp, body) for secret in secrets)


class WebhookUrlPolicy:
    """Where deliveries may go: https and public addresses, except in development and tests."""

    def __init__(self, *, allow_private: bool, resolve: Resolver | None = None) -> None:
        self._allow_private = allow_private
        guard = addresses_for(allow_private=allow_private, resolve=resolve) if resolve else None
        self.resolver = guard or addresses_for(allow_private=allow_private)

    def refusal(self, url: str) -> str | None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return "not an http(s) URL"
        if parts.scheme != "https" and not self._allow_private:
            return "webhook URLs must use https"
        return None

    async def check_url(self, url: str) -> None:
        """The ``WebhookUrlCheck`` port: a 422 (webhook_url_refused) for a URL deliveries cannot reach.

        With private addresses allowed (development, tests) the name is not resolved: there is
        no address to refuse, and one that does not resolve (the demo's) may be stored; every
        delivery resolves it again and logs the failure."""
        refusal = self.refusal(url)
        if refusal is None and not self._allow_private:
            parts = urlsplit(url)
            try:
                await self.resolver(parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80))
            except ProviderUnavailable as error:
                refusal = error.detail
        if refusal is not None:
            raise RuleViolation(f"deliveries cannot go to this URL: {refusal}", code="webhook_url_refused", field="url")


class HttpWebhookSender:
    """The ``WebhookSender`` port over httpx; close it with ``aclose()``."""

    def __init__(
        self,
        *,
        allow_private: bool,
        timeout_seconds: float = 10.0,
        resolve: Resolver | None = None,
        verify: ssl.SSLContext | bool = True,
    ) -> None:
        self._policy = WebhookUrlPolicy(allow_private=allow_private, resolve=resolve)
        self._timeout = timeout_seconds
        self._client = httpx.AsyncClient(
            transport=PinnedTransport(self._policy.resolver, verify=verify),
            timeout=timeout_seconds,
            follow_redirects=False,  # the answer must come from the URL that was checked
            trust_env=False,
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    async def check_url(self, url: str) -> None:
        await self._policy.check_url(url)

    async def send(self, url: str, *, message_id: str, body: str, secrets: Sequence[str], now: datetime) -> Outcome:
        started = time.monotonic()

        def took() -> int:
            return int((time.monotonic() - started) * 1000)

        refusal = self._policy.refusal(url)
        if refusal is not None:  # checked again at every delivery: the settings may have changed
            return Outcome(None, 0, refusal)
        headers = {
            "content-type": "application/json",
            "user-agent": USER_AGENT,
            "webhook-id": message_id,
            "webhook-timestamp": str(int(now.timestamp())),
            "webhook-signature": sign(secrets, message_id, now, body),
        }
        try:
            async with asyncio.timeout(self._timeout):  # the whole exchange, however slowly it trickles
                status, answer = await self._post(url, body, headers)
        except TimeoutError:
            return Outcome(None, took(), f"no answer within {self._timeout:g} s")
        except ProviderUnavailable as error:  # the guard refused the address it resolved
            return Outcome(None, took(), error.detail)
        except httpx.HTTPError as error:
            return Outcome(None, took(), f"{type(error).__name__}: {error}"[:ERROR_SNIPPET])
        ok = 200 <= status < 300
        return Outcome(status, took(), None if ok else f"HTTP {status}: {answer}"[:ERROR_SNIPPET])

    async def _post(self, url: str, body: str, headers: dict[str, str]) -> tuple[int, str]:
        async with self._client.stream("POST", url, content=body.encode(), headers=headers) as response:
            read = b""
            async for chunk in response.aiter_raw():
                read += chunk
                if len(read) >= RESPONSE_CAP_BYTES:
                    break
            return response.status_code, read[:RESPONSE_CAP_BYTES].decode("utf-8", "replace")


@dataclass(frozen=True, slots=True)
class RelayConfig:
    """What a worker's webhook relay needs from the settings."""

    secret_box_path: Path
    allow_private: bool
    timeout_seconds: float
    policy: RelayPolicy
    every: timedelta  # how often workers relay
    retention: timedelta

    @property
    def budget(self) -> timedelta:
        """How long one relay job may run before it leaves the rest to the next one."""
        return max(self.every * 10, timedelta(seconds=self.timeout_seconds * 2))

    @classmethod
    def from_settings(cls, settings: Settings) -> RelayConfig:
        schedule = RetrySchedule(
            base=timedelta(seconds=settings.webhook_retry_base_seconds),
            cap=timedelta(seconds=settings.webhook_retry_max_seconds),
            max_attempts=settings.webhook_max_attempts,
        )
        policy = RelayPolicy(
            schedule=schedule,
            disable_after=timedelta(hours=settings.webhook_disable_after_hours),
            lease=timedelta(seconds=settings.webhook_timeout_seconds * 3 + 30),
        )
        return cls(
            secret_box_path=settings.secret_box_path,
            allow_private=settings.private_provider_urls_allowed,
            timeout_seconds=settings.webhook_timeout_seconds,
            policy=policy,
            every=timedelta(seconds=settings.webhook_relay_seconds),
            retention=timedelta(days=settings.event_retention_days),
        )


@dataclass(frozen=True, slots=True)
class WebhookBacklog:
    """What the delivery log holds, for monitoring (read at scrape time, so every worker counts)."""

    deliveries: dict[str, int]  # by outcome: pending, retrying, succeeded, failed
    endpoints: dict[str, int]  # enabled, disabled
    lag_seconds: float  # age of the oldest event still on its way to an endpoint; 0 when none is


# one pass over the log (bounded by the retention period); retrying: pending after a failed try
_DELIVERIES_BY_OUTCOME = text(
    """
    SELECT CASE WHEN status = 'pending' AND attempts > 0 THEN 'retrying' ELSE status END, count(*)
    FROM webhook_deliveries GROUP BY 1
    """
)
_ENDPOINTS_BY_STATE = text(
    "SELECT CASE WHEN enabled THEN 'enabled' ELSE 'disabled' END, count(*) FROM webhook_endpoints GROUP BY 1"
)
# An unpublished event is on its way while the relay has not fanned it out yet, or while one of
# its deliveries is pending to an enabled endpoint. Unpublished events that are not (a delivery
# gave up, its endpoint is disabled or deleted) wait for nothing: they show in the outcomes
# instead, or a single dead receiver would hold the lag up for the whole retention period.
# Both halves read indexed subsets: unpublished events past the relay, pending deliveries.
_QUEUE_LAG = text(
    """
    SELECT coalesce(extract(epoch FROM now() - least(
        (SELECT min(o.occurred_at) FROM outbox o, webhook_relay r
         WHERE r.id = 1 AND o.published_at IS NULL AND (o.xact_id, o.seq) > (r.xact_id, r.seq)),
        (SELECT min(o.occurred_at) FROM webhook_deliveries d
         JOIN webhook_endpoints e ON e.id = d.endpoint_id AND e.enabled
         JOIN outbox o ON o.id = d.event_id AND o.published_at IS NULL
         WHERE d.status = 'pending')
    )), 0)
    """
)


async def webhook_backlog(engine: AsyncEngine) -> WebhookBacklog:
    """Deliveries by outcome, endpoints by state and the queue lag, in one read-only transaction."""
    async with engine.connect() as conn:
        deliveries = {str(kind): int(n) for kind, n in (await conn.execute(_DELIVERIES_BY_OUTCOME)).all()}
        endpoints = {str(state): int(n) for state, n in (await conn.execute(_ENDPOINTS_BY_STATE)).all()}
        lag = float(await conn.scalar(_QUEUE_LAG) or 0)
    return WebhookBacklog(deliveries=deliveries, endpoints=endpoints, lag_seconds=max(lag, 0.0))
