"""The webhook relay against a real receiver on loopback: signed, retried, at least once, in order."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from app.domain.access import Caller, Role
from app.domain.delivery import RetrySchedule
from app.infra.auth.secret_box import SecretBox
from app.infra.db import tables as tb
from app.infra.db.engine import make_db_factory
from app.infra.db.unit_of_work import SqlUnitOfWork
from app.infra.webhooks import HttpWebhookSender, WebhookUrlPolicy
from app.services import webhook_relay, webhooks
from app.services.pagination import PageRequest
from app.services.webhook_relay import RelayPolicy
from tests.factories import new_org
from tests.webhook_receiver import Receiver, start

FAST = RelayPolicy(
    schedule=RetrySchedule(base=timedelta(milliseconds=50), factor=1.0, max_attempts=15, jitter=0.0),
    lease=timedelta(seconds=5),
)


BOX = SecretBox(Fernet.generate_key())  # one deployment key for the run, as in production


@pytest.fixture
def secret_uow(engine: AsyncEngine) -> Callable[[], SqlUnitOfWork]:
    box = BOX
    factory = make_db_factory(engine)
    return lambda: SqlUnitOfWork(factory, box)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    server = start(r)
    yield r
    server.shutdown()


@pytest.fixture
async def sender() -> AsyncIterator[HttpWebhookSender]:
    s = HttpWebhookSender(allow_private=True, timeout_seconds=0.5)
    yield s
    await s.aclose()


async def _org_with_endpoint(secret_uow, receiver: Receiver, **filters) -> tuple[uuid.UUID, uuid.UUID]:
    org, _ = await new_org(secret_uow)
    admin = Caller(uuid.uuid4(), Role.ORG_ADMIN, org_id=org.id)
    urls = WebhookUrlPolicy(allow_private=True)
    endpoint = await webhooks.create_endpoint(secret_uow(), urls, admin, url=receiver.url, **filters)
    receiver.secret = endpoint.secret
    return org.id, endpoint.id


async def _events(engine: AsyncEngine, org_id: uuid.UUID, count: int) -> list[str]:
    rows = [
        {
            "id": uuid.uuid4(),
            "org_id": org_id,
            "type": "tandem.proposed",
            "subject_id": uuid.uuid4(),
            "data": {"n": n},
            "occurred_at": datetime.now(UTC),
        }
        for n in range(count)
    ]
    async with engine.begin() as conn:
        await conn.execute(insert(tb.outbox).values(rows))
    return [str(r["id"]) for r in rows]


async def _relay_until(secret_uow, sender, done: Callable[[], bool], seconds: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not done() and asyncio.get_running_loop().time() < deadline:
        await webhook_relay.relay(secret_uow, sender, FAST, budget=timedelta(seconds=2))
        await asyncio.sleep(0.05)


async def _endpoint_row(engine: AsyncEngine, endpoint_id: uuid.UUID) -> dict:
    async with engine.connect() as conn:
        row = await conn.execute(select(tb.webhook_endpoints).where(tb.webhook_endpoints.c.id == endpoint_id))
        return dict(row.mappings().one())


async def test_a_receiver_failing_for_a_while_gets_every_event_signed_with_retries_by_the_same_id(
    secret_uow, engine, receiver, sender
) -> None:
    org_id, endpoint_id = await _org_with_endpoint(secret_uow, receiver)
    receiver.script = [500] * 6
    ids = await _events(engine, org_id, 20)

    await _relay_until(secret_uow, sender, lambda: receiver.delivered_ids() >= set(ids))

    assert receiver.delivered_ids() == set(ids)
    assert all(r.verified for r in receiver.received), "every request carries a valid signature"
    retried = [r.webhook_id for r in receiver.received if r.answered == 500]
    assert len(retried) == 6 and set(retried) <= set(ids), "a retry carries the event's id again"
    first_tries = list(dict.fromkeys(r.webhook_id for r in receiver.received))
    assert first_tries == ids, "the endpoint's events arrive in event order"
    assert all(r.body["id"] == r.webhook_id and r.body["type"] == "tandem.proposed" for r in receiver.received)
    async with engine.connect() as conn:
        unpublished = await conn.scalar(
            select(tb.outbox.c.id).where(
                tb.outbox.c.id.in_([uuid.UUID(i) for i in ids]), tb.outbox.c.published_at.is_(None)
            )
        )
    assert unpublished is None, "published_at is set once every endpoint took the event"
    assert (await _endpoint_row(engine, endpoint_id))["failing_since"] is None


async def test_410_gone_disables_the_endpoint_with_a_visible_reason(secret_uow, engine, receiver, sender) -> None:
    org_id, endpoint_id = await _org_with_endpoint(secret_uow, receiver)
    receiver.default = 410
    await _events(engine, org_id, 3)

    await _relay_until(secret_uow, sender, lambda: len(receiver.received) >= 1)
    await webhook_relay.relay(secret_uow, sender, FAST, budget=timedelta(seconds=1))

    row = await _endpoint_row(engine, endpoint_id)
    assert (row["enabled"], row["disabled_reason"]) == (False, "the receiver answered 410 Gone")
    assert len(receiver.received) == 1, "nothing more is sent to a disabled endpoint"


async def test_a_hanging_receiver_times_out_and_the_delivery_is_tried_again(
    secret_uow, engine, receiver, sender
) -> None:
    org_id, endpoint_id = await _org_with_endpoint(secret_uow, receiver)
    receiver.hang_for = 1.5  # longer than the sender's 0.5 s timeout
    [event_id] = await _events(engine, org_id, 1)

    await _relay_until(secret_uow, sender, lambda: event_id in receiver.delivered_ids())

    assert [r.webhook_id for r in receiver.received] == [event_id, event_id]
    admin = Caller(uuid.uuid4(), Role.ORG_ADMIN, org_id=org_id)
    [delivery] = (await webhooks.list_deliveries(secret_uow(), admin, endpoint_id, _page())).items
    assert (delivery.status.value, delivery.attempts, delivery.last_status_code) == ("succeeded", 2, 200)


async def test_a_ping_and_a_redelivery_reach_the_receiver(secret_uow, engine, receiver, sender) -> None:
    org_id, endpoint_id = await _org_with_endpoint(secret_uow, receiver)
    admin = Caller(uuid.uuid4(), Role.ORG_ADMIN, org_id=org_id)
    ping = await webhooks.send_test(secret_uow(), admin, endpoint_id)
    await _relay_until(secret_uow, sender, lambda: len(receiver.received) >= 1)
    assert receiver.received[0].body["type"] == "ping" and receiver.received[0].verified

    await webhooks.redeliver(secret_uow(), admin, ping.id)
    await _relay_until(secret_uow, sender, lambda: len(receiver.received) >= 2)
    assert [r.webhook_id for r in receiver.received] == [str(ping.event_id)] * 2


def _page() -> PageRequest:
    return PageRequest(limit=50)
