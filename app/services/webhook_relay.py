"""The webhook relay, run by the background workers: fan events out to endpoints, send due
deliveries, prune what is past retention.

No transaction stays open while a receiver is called: claiming due deliveries holds them for a
lease and commits, each outcome is written in its own short transaction. (A long transaction
would also hold back the event feed, which waits for every running transaction.) A worker that
dies mid-send leaves its deliveries to be tried again when the lease ends: at least once.
"""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import groupby
from uuid import UUID

from app.domain.clock import utcnow
from app.domain.delivery import Delivery, DeliveryStatus, Outcome, RetrySchedule
from app.domain.events import PING, Audience, StoredEvent
from app.domain.webhook import WebhookEndpoint
from app.services.ports import UnitOfWork, WebhookSender

UowFactory = Callable[[], UnitOfWork]


@dataclass(frozen=True, slots=True)
class RelayPolicy:
    schedule: RetrySchedule = field(default_factory=RetrySchedule)
    disable_after: timedelta = timedelta(days=3)  # an endpoint failing this long is disabled
    lease: timedelta = timedelta(seconds=60)  # > the receiver timeout, so a live worker finishes first
    batch: int = 50


@dataclass(slots=True)
class RelayReport:
    fanned_out: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)  # succeeded / retrying / failed


async def fan_out(uow: UnitOfWork, *, limit: int = 500) -> int:
    """Give each new event a delivery per endpoint that wants it; events nobody wants are
    published at once. One relay at a time; the count of events passed."""
    async with uow:
        taken = await uow.webhook_deliveries.take_events(limit)
        if not taken:
            return 0
        endpoints = await uow.webhook_endpoints.enabled()
        now = utcnow()
        deliveries = [
            Delivery(endpoint_id=e.id, event_id=event.id, event_type=event.type, created_at=now, next_attempt_at=now)
            for event in taken
            for e in endpoints
            if e.owner == event_audience(event) and e.wants(event.type)
        ]
        await uow.webhook_deliveries.add(deliveries)
        wanted = {d.event_id for d in deliveries}
        await uow.webhook_deliveries.mark_published([e.id for e in taken if e.id not in wanted], now)
        await uow.webhook_deliveries.move_past(taken[-1].position)
        await uow.commit()
    return len(taken)


def event_audience(event: StoredEvent) -> Audience:
    """The owner whose endpoints receive the event: its partner's, or its organization's."""
    if event.partner_id is not None:
        return Audience(partner_id=event.partner_id)
    return Audience(org_id=event.org_id)


async def deliver_due(
    uow: UowFactory, sender: WebhookSender, policy: RelayPolicy, report: RelayReport | None = None
) -> int:
    """Send the deliveries that are due, each endpoint's in event order; the count sent."""
    report = report if report is not None else RelayReport()
    now = utcnow()
    async with uow() as claim:
        due = await claim.webhook_deliveries.claim_due(now, now + policy.lease, policy.batch)
        await claim.commit()
        if not due:
            return 0
        endpoints = await claim.webhook_endpoints.get_many([d.endpoint_id for d in due])
        events = await claim.webhook_deliveries.events([d.event_id for d in due if d.event_type != PING])
    by_endpoint = groupby(sorted(due, key=lambda d: str(d.endpoint_id)), key=lambda d: d.endpoint_id)
    await asyncio.gather(
        *(_send_in_order(uow, sender, policy, endpoints.get(eid), list(ds), events, report) for eid, ds in by_endpoint)
    )
    return len(due)


async def _send_in_order(
    uow: UowFactory,
    sender: WebhookSender,
    policy: RelayPolicy,
    endpoint: WebhookEndpoint | None,
    deliveries: Sequence[Delivery],
    events: dict[UUID, StoredEvent],
    report: RelayReport,
) -> None:
    if endpoint is None:  # deleted meanwhile: its deliveries went with it
        return
    for delivery in deliveries:  # claimed oldest first
        now = utcnow()
        if delivery.event_type == PING:
            body = ping_body(delivery)
        elif delivery.event_id in events:
            body = events[delivery.event_id].payload()
        else:
            await _record(uow, delivery, None, endpoint, policy, report, give_up="the event is no longer stored")
            continue
        outcome = await sender.send(
            endpoint.url,
            message_id=str(delivery.event_id),
            body=_json(body),
            secrets=endpoint.signing_secrets(now),
            now=now,
        )
        if not await _record(uow, delivery, outcome, endpoint, policy, report):
            return  # disabled (410 Gone, days of failures): the rest stays pending until re-enabled


async def _record(
    uow: UowFactory,
    claimed: Delivery,
    outcome: Outcome | None,
    endpoint: WebhookEndpoint,
    policy: RelayPolicy,
    report: RelayReport,
    *,
    give_up: str | None = None,
) -> bool:
    """Write the outcome; whether the endpoint still takes deliveries."""
    now = utcnow()
    async with uow() as work:
        delivery = await work.webhook_deliveries.get(claimed.id, for_update=True)
        current = await work.webhook_endpoints.get(endpoint.owner, endpoint.id, for_update=True)
        if delivery is None or current is None or not delivery.pending:
            # the endpoint was deleted, or a redelivery request changed the delivery meanwhile
            return current is not None and current.enabled
        if give_up is not None or outcome is None:
            delivery.give_up(give_up or "not sent", now)
        else:
            delivery.record(outcome, now, policy.schedule, random.random())  # noqa: S311 - jitter, not a secret
            if outcome.ok:
                current.delivered()
            else:
                current.failed(now, gone=outcome.gone, disable_after=policy.disable_after)
            await work.webhook_endpoints.save(current)
        await work.webhook_deliveries.save(delivery)
        if delivery.status is DeliveryStatus.SUCCEEDED and delivery.event_type != PING:
            await work.webhook_deliveries.mark_published([delivery.event_id], now)
        await work.commit()
    kind = "retrying" if delivery.pending else delivery.status.value
    report.outcomes[kind] = report.outcomes.get(kind, 0) + 1
    return current.enabled


def ping_body(delivery: Delivery) -> dict[str, object]:
    """What ``POST .../test`` sends: signed like any event, so a receiver's check is tested too."""
    return {
        "id": str(delivery.event_id),
        "type": PING,
        "occurred_at": delivery.created_at.isoformat(),
        "data": {"endpoint_id": str(delivery.endpoint_id)},
    }


def _json(body: dict[str, object]) -> str:
    return json.dumps(body, separators=(",", ":"), sort_keys=True)


async def relay(uow: UowFactory, sender: WebhookSender, policy: RelayPolicy, *, budget: timedelta) -> RelayReport:
    """Fan out and send until nothing is due or ``budget`` is spent (a job should not hold its
    worker for long: matching runs share the workers)."""
    report = RelayReport()
    deadline = utcnow() + budget
    while True:
        fanned = await fan_out(uow(), limit=policy.batch * 10)
        report.fanned_out += fanned
        sent = await deliver_due(uow, sender, policy, report)
        if (sent == 0 and fanned == 0) or utcnow() >= deadline:
            return report


async def prune(uow: UnitOfWork, *, retention: timedelta) -> tuple[int, int]:
    """Drop events and finished deliveries older than ``retention``; the counts (events, deliveries)."""
    async with uow:
        counts = await uow.webhook_deliveries.prune(utcnow() - retention)
        await uow.commit()
    return counts
