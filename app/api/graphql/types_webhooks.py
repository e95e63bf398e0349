"""GraphQL object types of webhooks: endpoints, the secret shown once, and the delivery log.

The same shapes as REST's ``schemas/webhooks.py``; the signing secret is a field of the
create and rotate answers only, never of the endpoint.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import strawberry

from app.api.graphql.pagination import Connection, page_request
from app.api.graphql.queries_support import described
from app.api.graphql.types import Ctx
from app.domain import delivery as dl
from app.domain import webhook as wh
from app.services import webhooks

DeliveryStatus = strawberry.enum(dl.DeliveryStatus, description="pending: being tried; succeeded; failed: gave up")


@strawberry.type(description="a receiver of the owner's events, signed per Standard Webhooks; never its secret")
class WebhookEndpoint:
    id: UUID
    version: int = strawberry.field(description="pass as expectedVersion to update and rotate (REST's ETag)")
    url: str
    description: str
    event_types: list[str] = strawberry.field(description="the event types it receives; empty: every one")
    enabled: bool
    disabled_reason: str | None = strawberry.field(
        description="why Tandem disabled the endpoint (410 Gone, days of failures)"
    )
    failing_since: datetime | None = strawberry.field(description="when the current run of failed deliveries began")
    owner_org_id: UUID | None
    owner_partner_id: UUID | None
    created_at: datetime
    updated_at: datetime

    @described("the delivery log, oldest first: each event's tries, the receiver's last status, the next try")
    async def deliveries(self, info: Ctx, first: int = 50, after: str | None = None) -> Connection[WebhookDelivery]:
        ctx = info.context
        page = await webhooks.list_deliveries(ctx.uow, ctx.caller, self.id, page_request(first, after))
        return Connection.of(page, WebhookDelivery.of)

    @classmethod
    def of(cls, e: wh.WebhookEndpoint) -> WebhookEndpoint:
        return cls(
            id=e.id,
            version=e.version,
            url=e.url,
            description=e.description,
            event_types=sorted(e.event_types),
            enabled=e.enabled,
            disabled_reason=e.disabled_reason,
            failing_since=e.failing_since,
            owner_org_id=e.owner.org_id,
            owner_partner_id=e.owner.partner_id,
            created_at=e.created_at,
            updated_at=e.updated_at,
        )


@strawberry.type(description="the endpoint with its signing secret: shown in this answer only, never again")
class WebhookEndpointWithSecret:
    endpoint: WebhookEndpoint
    secret: str = strawberry.field(description="whsec_…: verifies the signatures; rotate it if lost")

    @classmethod
    def of(cls, e: wh.WebhookEndpoint) -> WebhookEndpointWithSecret:
        return cls(endpoint=WebhookEndpoint.of(e), secret=e.secret)


@strawberry.type(description="one event sent to one endpoint: its tries so far and what the receiver answered")
class WebhookDelivery:
    id: UUID
    endpoint_id: UUID
    event_id: UUID = strawberry.field(description="the event's id, sent as webhook-id")
    event_type: str
    status: DeliveryStatus  # type: ignore[valid-type]
    attempts: int = strawberry.field(description="tries so far (a redelivery starts counting again)")
    last_attempt_at: datetime | None
    last_status_code: int | None = strawberry.field(description="the receiver's status; null when it did not answer")
    last_duration_ms: int | None
    last_error: str | None = strawberry.field(description="what went wrong, with the start of the receiver's answer")
    next_attempt_at: datetime | None = strawberry.field(description="when the next try is due; null once finished")
    created_at: datetime

    @classmethod
    def of(cls, d: dl.Delivery) -> WebhookDelivery:
        return cls(
            id=d.id,
            endpoint_id=d.endpoint_id,
            event_id=d.event_id,
            event_type=d.event_type,
            status=d.status,
            attempts=d.attempts,
            last_attempt_at=d.last_attempt_at,
            last_status_code=d.last_status_code,
            last_duration_ms=d.last_duration_ms,
            last_error=d.last_error,
            next_attempt_at=d.next_attempt_at,
            created_at=d.created_at,
        )


@strawberry.type(description="the endpoint that was deleted, with its delivery log; nothing more is sent to it")
class DeletedWebhookEndpoint:
    id: UUID
