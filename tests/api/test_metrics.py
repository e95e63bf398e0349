"""GET /metrics: requests by route template, queue depths, webhook deliveries, and the optional scrape token."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import insert

from app.api.app import create_app
from app.domain.access import Caller, Role
from app.domain.delivery import Delivery, Outcome, RetrySchedule
from app.infra.db import tables as tb
from app.infra.settings import Settings
from app.infra.webhooks import WebhookUrlPolicy
from app.services import webhook_relay, webhooks
from app.services.pagination import PageRequest
from tests.api import route_matrix_world as w
from tests.factories import new_org

pytestmark = pytest.mark.db


def _samples(body: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(body)
        for s in family.samples
    }


async def test_requests_are_counted_by_route_template_and_status(client) -> None:
    before = _samples((await client.get("/metrics")).text)
    await client.get(f"/v1/programs/{uuid.uuid4()}")  # 401: no token
    await client.get(f"/v1/programs/{uuid.uuid4()}")
    await client.get("/no/such/route/" + uuid.uuid4().hex)
    response = await client.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    after = _samples(response.text)

    key = (
        "tandem_http_requests_total",
        frozenset({"method": "GET", "route": "/v1/programs/{program_id}", "status": "401"}.items()),
    )
    assert after[key] - before.get(key, 0) == 2
    unmatched = (
        "tandem_http_requests_total",
        frozenset({"method": "GET", "route": "unmatched", "status": "404"}.items()),
    )
    assert after[unmatched] >= 1
    assert not [name for name, labels in after if any(v.startswith("/no/such") for _, v in labels)]
    assert ("tandem_jobs", frozenset({"status": "todo"}.items())) in after
    assert ("tandem_matching_runs", frozenset({"status": "running"}.items())) in after


async def test_a_metrics_token_guards_the_scrape(tmp_path: Path, database_url: str) -> None:
    app = create_app(Settings(data_dir=tmp_path, metrics_token="scrape-secret-0123456789"), database_url=database_url)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://tandem.test") as http:
            refused = await http.get("/metrics")
            assert refused.status_code == 401 and refused.json()["code"] == "invalid_token"
            assert (await http.get("/metrics", headers={"Authorization": "Bearer wrong"})).status_code == 401
            allowed = await http.get("/metrics", headers={"Authorization": "Bearer scrape-secret-0123456789"})
            assert allowed.status_code == 200 and "tandem_http_requests_total" in allowed.text


def _webhook_figures(body: str) -> dict[str, float]:
    samples = _samples(body)
    figures = {
        f"{outcome}": samples[("tandem_webhook_deliveries", frozenset({"outcome": outcome}.items()))]
        for outcome in ("pending", "retrying", "succeeded", "failed")
    }
    figures |= {
        f"endpoints_{state}": samples[("tandem_webhook_endpoints", frozenset({"state": state}.items()))]
        for state in ("enabled", "disabled")
    }
    return figures | {"lag": samples[("tandem_webhook_queue_lag_seconds", frozenset())]}


async def test_webhook_deliveries_by_outcome_and_the_queue_lag_come_from_the_delivery_log(client, app, engine) -> None:
    """Counted from the tables at scrape time, so deliveries made by any worker process count.

    The database is shared with the rest of the run: counts are compared before and after, and
    the lag is bounded by an event backdated far beyond anything else the run writes."""
    uow = w.uow_factory_of(engine, app.state.secret_box)
    org, _ = await new_org(uow)
    admin = Caller(uuid.uuid4(), Role.ORG_ADMIN, org_id=org.id)
    urls = WebhookUrlPolicy(allow_private=True)
    endpoint = await webhooks.create_endpoint(uow(), urls, admin, url="http://127.0.0.1:9/metrics")
    old = datetime.now(UTC) - timedelta(days=20)
    event_id = uuid.uuid4()
    async with engine.begin() as conn:
        row = {"id": event_id, "org_id": org.id, "type": "tandem.proposed", "subject_id": uuid.uuid4(), "data": {}}
        await conn.execute(insert(tb.outbox).values(row | {"occurred_at": old}))

    waiting = _webhook_figures((await client.get("/metrics")).text)
    assert waiting["lag"] >= timedelta(days=20).total_seconds(), "not fanned out yet: on its way"
    while await webhook_relay.fan_out(uow()):
        pass
    start = _webhook_figures((await client.get("/metrics")).text)
    assert start["lag"] >= timedelta(days=20).total_seconds(), "its delivery is pending: still on its way"

    schedule, now = RetrySchedule(), datetime.now(UTC)
    [delivery] = (await webhooks.list_deliveries(uow(), admin, endpoint.id, PageRequest(limit=10))).items
    delivery.record(Outcome(500, 12, "HTTP 500"), now, schedule, 0.5)
    await _save(uow, delivery)
    ping = await webhooks.send_test(uow(), admin, endpoint.id)
    ping.record(Outcome(200, 8), now, schedule, 0.5)
    await _save(uow, ping)
    retrying = _webhook_figures((await client.get("/metrics")).text)
    assert _changes(start, retrying) == {"pending": -1, "retrying": 1, "succeeded": 1}
    assert retrying["lag"] >= timedelta(days=20).total_seconds()

    delivery.give_up("out of tries", now)
    await _save(uow, delivery)
    async with uow() as work:
        current = await work.webhook_endpoints.get(endpoint.owner, endpoint.id, for_update=True)
        assert current is not None
        current.failed(now, gone=True, disable_after=timedelta(days=3))
        await work.webhook_endpoints.save(current)
        await work.commit()
    given_up = _webhook_figures((await client.get("/metrics")).text)
    assert _changes(retrying, given_up) == {
        "retrying": -1,
        "failed": 1,
        "endpoints_enabled": -1,
        "endpoints_disabled": 1,
    }
    # unpublished, but nothing is on its way to a receiver any more: the failure shows as an outcome
    assert given_up["lag"] < timedelta(days=19).total_seconds()


async def _save(uow: Any, delivery: Delivery) -> None:
    async with uow() as work:
        await work.webhook_deliveries.save(delivery)
        await work.commit()


def _changes(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    return {k: after[k] - before[k] for k in before if k != "lag" and after[k] != before[k]}
