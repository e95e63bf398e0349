"""GET /metrics: requests by route template, queue depths, and the optional scrape token."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from app.api.app import create_app
from app.infra.settings import Settings

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
