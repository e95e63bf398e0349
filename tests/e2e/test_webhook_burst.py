"""Two ``tandem worker`` processes deliver a burst of 1,000 events to a real receiver on loopback.

The receiver verifies every signature with the standardwebhooks library and answers 500 to the
first tries, so some deliveries are retried: every event arrives, each taken (2xx) exactly once,
a retry carrying the same webhook-id, none lost. Both workers send (deliveries are claimed with
SKIP LOCKED, for a lease). Real processes, started side by side: marked ``faults`` with the
other multi-process tests (``make test-faults``).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import insert

from app.domain.access import Caller, Role
from app.infra.auth.secret_box import SecretBox
from app.infra.db import tables as tb
from app.infra.db.engine import make_db_factory, make_engine
from app.infra.db.migrate import upgrade
from app.infra.db.unit_of_work import SqlUnitOfWork
from app.infra.settings import Settings
from app.infra.webhooks import WebhookUrlPolicy
from app.services import webhooks
from tests.conftest import fresh_database
from tests.e2e.processes import query, tandem, wait_until, worker_ids
from tests.e2e.server import environment
from tests.factories import new_org
from tests.webhook_receiver import Receiver, start

pytestmark = pytest.mark.faults

EVENTS = 1000
FAILING_TRIES = 30  # the receiver's first answers are 500s: those deliveries are retried


@pytest.fixture
def burst_database(server_url: str) -> Iterator[str]:
    url, drop = fresh_database(server_url, "tandem_burst")
    try:
        upgrade(url)
        yield url
    finally:
        drop()


async def _endpoint_and_events(url: str, box: SecretBox, receiver_url: str) -> tuple[str, list[str]]:
    """An organization with one endpoint at the receiver, and the burst written to its outbox."""
    engine = make_engine(url, pool_size=2)
    try:
        factory = make_db_factory(engine)
        uow = lambda: SqlUnitOfWork(factory, box)  # noqa: E731 - a factory, as the services take
        org, _ = await new_org(uow)
        admin = Caller(uuid.uuid4(), Role.ORG_ADMIN, org_id=org.id)
        endpoint = await webhooks.create_endpoint(uow(), WebhookUrlPolicy(allow_private=True), admin, url=receiver_url)
        now = datetime.now(UTC)
        rows = [
            {
                "id": uuid.uuid4(),
                "org_id": org.id,
                "type": "tandem.proposed",
                "subject_id": uuid.uuid4(),
                "data": {"n": n},
                "occurred_at": now,
            }
            for n in range(EVENTS)
        ]
        async with engine.begin() as conn:
            await conn.execute(insert(tb.outbox).values(rows))
        return endpoint.secret, [str(r["id"]) for r in rows]
    finally:
        await engine.dispose()


def test_two_workers_deliver_a_burst_of_a_thousand_events_each_exactly_once(
    burst_database: str, tmp_path: Path
) -> None:
    url = burst_database
    shared = tmp_path / "shared"  # the secret box both workers open
    box = SecretBox.from_file(Settings(data_dir=shared).secret_box_path)
    receiver = Receiver(script=[500] * FAILING_TRIES)
    server = start(receiver)
    env = environment(shared, url) | {
        "TANDEM_ENVIRONMENT": "development",  # loopback receivers allowed
        "TANDEM_WEBHOOK_RELAY_SECONDS": "0.2",
        "TANDEM_WEBHOOK_RETRY_BASE_SECONDS": "0.2",
    }
    try:
        receiver.secret, ids = asyncio.run(_endpoint_and_events(url, box, receiver.url))
        started = time.monotonic()
        with tandem(["worker"], env, tmp_path / "w1.log"), tandem(["worker"], env, tmp_path / "w2.log"):
            wait_until(lambda: len(worker_ids(url)) == 2, 60, "both workers registered")
            wait_until(lambda: receiver.delivered_ids() >= set(ids), 120, "every event delivered", every=0.5)
        took = time.monotonic() - started
    finally:
        server.shutdown()

    received = list(receiver.received)
    assert all(r.verified for r in received), "every request carries a valid signature"
    assert {r.webhook_id for r in received} == set(ids), "nothing but the burst's events, by their ids"
    taken = Counter(r.webhook_id for r in received if 200 <= r.answered < 300)
    assert set(taken) == set(ids) and set(taken.values()) == {1}, "each event taken exactly once"
    retried = [r.webhook_id for r in received if r.answered == 500]
    assert len(retried) == FAILING_TRIES and all(taken[i] == 1 for i in retried), "retries carry the same id"
    assert all(r.body["id"] == r.webhook_id for r in received)

    statuses = dict(query(url, "SELECT status, count(*) FROM webhook_deliveries GROUP BY status"))
    assert statuses == {"succeeded": EVENTS}
    [[unpublished]] = query(url, "SELECT count(*) FROM outbox WHERE published_at IS NULL")
    assert unpublished == 0, "published once every endpoint took the event"
    senders = [_sent_by((tmp_path / f"w{n}.log").read_text()) for n in (1, 2)]
    assert all(senders), f"both workers sent deliveries: {senders} (in {took:.1f} s)"


def _sent_by(log: str) -> int:
    """Deliveries a worker's relay jobs reported (``webhooks: … deliveries {'succeeded': n, …}``)."""
    total = 0
    for line in log.splitlines():
        if "webhooks:" in line and "deliveries {" in line:
            outcomes = line.split("deliveries ", 1)[1]
            total += sum(int(part.split(":")[1].strip(" }")) for part in outcomes.strip("{}").split(",") if ":" in part)
    return total
