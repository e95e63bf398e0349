"""GET /metrics: Prometheus metrics of this process (prometheus-client).

Requests are counted and timed by route template (``/v1/programs/{program_id}``, never the
concrete path, so the number of series stays bounded), method and status. Queue depths are read
from the database at scrape time: operators scale workers on ``tandem_jobs{status="todo"}``, and
watch webhooks by ``tandem_webhook_deliveries{outcome}`` and ``tandem_webhook_queue_lag_seconds``.
Each app has its own registry (no globals: tests build many apps). Metrics reveal traffic
shapes, so a deployment either keeps /metrics on a private network or sets
``TANDEM_METRICS_TOKEN``, which scrapers then send as a bearer token.
"""

from __future__ import annotations

import asyncio
import hmac
import time

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.composition import open_work, webhook_backlog
from app.api.problems import problem_for
from app.api.rest.responses import problems

router = APIRouter(tags=["operations"])
QUERY_TIMEOUT_SECONDS = 2.0


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        ProcessCollector(registry=self.registry)
        PlatformCollector(registry=self.registry)
        self.requests = Counter(
            "tandem_http_requests", "HTTP requests answered", ["method", "route", "status"], registry=self.registry
        )
        self.duration = Histogram(
            "tandem_http_request_duration_seconds",
            "time to answer, by route template",
            ["method", "route"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
            registry=self.registry,
        )
        # what a request costs the database: a benchmark divides these by the requests it sent
        self.db_statements = Counter(
            "tandem_db_statements", "SQL statements sent by the API's engine", registry=self.registry
        )
        self.db_transactions = Counter(
            "tandem_db_transactions", "transactions begun by the API's engine", registry=self.registry
        )
        self.in_flight = Gauge("tandem_http_requests_in_flight", "requests being answered", registry=self.registry)
        self.jobs = Gauge("tandem_jobs", "background jobs waiting or running", ["status"], registry=self.registry)
        self.runs = Gauge("tandem_matching_runs", "matching runs queued or running", ["status"], registry=self.registry)
        # webhooks: from the delivery log at scrape time, so every worker process's deliveries count
        self.deliveries = Gauge(
            "tandem_webhook_deliveries",
            "webhook deliveries in the log by outcome (pending, retrying, succeeded, failed)",
            ["outcome"],
            registry=self.registry,
        )
        self.endpoints = Gauge(
            "tandem_webhook_endpoints",
            "webhook endpoints by state (enabled, disabled)",
            ["state"],
            registry=self.registry,
        )
        self.webhook_lag = Gauge(
            "tandem_webhook_queue_lag_seconds",
            "age of the oldest event still on its way to a webhook endpoint; 0 when none is",
            registry=self.registry,
        )


class MetricsMiddleware:
    """Pure ASGI, outside the routes, so problems and 413s are counted too."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500  # what a server answers when the app fails before starting a response
        started = time.perf_counter()

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        self.metrics.in_flight.inc()
        try:
            await self.app(scope, receive, recording_send)
        finally:
            self.metrics.in_flight.dec()
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            self.metrics.requests.labels(scope["method"], route, str(status)).inc()
            self.metrics.duration.labels(scope["method"], route).observe(time.perf_counter() - started)


@router.get(
    "/metrics",
    operation_id="get_metrics",
    summary="Prometheus metrics of this process",
    response_class=PlainTextResponse,
    responses=problems(401),
)
async def get_metrics(request: Request) -> Response:
    expected: str | None = request.app.state.settings.metrics_token
    if expected is not None:
        given = request.headers.get("authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {expected}".encode()):
            return problem_for(
                "invalid_token", "metrics need the metrics token", headers={"WWW-Authenticate": "Bearer"}
            )
    metrics: Metrics = request.app.state.metrics
    await _read_queue_depths(request, metrics)
    return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)


async def _read_queue_depths(request: Request, metrics: Metrics) -> None:
    try:
        async with asyncio.timeout(QUERY_TIMEOUT_SECONDS):
            jobs, runs = await open_work(request.app.state.engine)
    except Exception:  # a scrape without queue depths beats a failed scrape; /readyz reports the database
        request.app.state.log.warning("metrics: queue depths unavailable", exc_info=True)
        return
    for status in ("todo", "doing"):
        metrics.jobs.labels(status).set(jobs.get(status, 0))
    for status in ("queued", "running"):
        metrics.runs.labels(status).set(runs.get(status, 0))
    await _read_webhook_backlog(request, metrics)


async def _read_webhook_backlog(request: Request, metrics: Metrics) -> None:
    try:
        async with asyncio.timeout(QUERY_TIMEOUT_SECONDS):
            backlog = await webhook_backlog(request.app.state.engine)
    except Exception:  # as for queue depths: the rest of the scrape still answers
        request.app.state.log.warning("metrics: webhook backlog unavailable", exc_info=True)
        return
    for outcome in ("pending", "retrying", "succeeded", "failed"):
        metrics.deliveries.labels(outcome).set(backlog.deliveries.get(outcome, 0))
    for state in ("enabled", "disabled"):
        metrics.endpoints.labels(state).set(backlog.endpoints.get(state, 0))
    metrics.webhook_lag.set(backlog.lag_seconds)
