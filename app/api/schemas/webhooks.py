"""Webhook endpoints and their delivery log."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Self
from uuid import UUID

from pydantic import BaseModel, Field, StringConstraints

from app.api.schemas.base import Body, Keep, PageOut, Resource
from app.domain.delivery import Delivery, DeliveryStatus
from app.domain.webhook import MAX_DESCRIPTION_LENGTH, MAX_URL_LENGTH, WebhookEndpoint

Url = Annotated[str, StringConstraints(min_length=1, max_length=MAX_URL_LENGTH)]
Description = Annotated[str, StringConstraints(max_length=MAX_DESCRIPTION_LENGTH)]
EventTypes = Annotated[
    list[Annotated[str, StringConstraints(max_length=64)]],
    Field(max_length=50, description="the event types to receive; empty: every one (ping always arrives)"),
]


class WebhookEndpointIn(Body):
    url: Url = Field(description="https outside development; must resolve to public addresses")
    description: Description = ""
    event_types: EventTypes = Field(default_factory=list)


class WebhookEndpointPatch(Body):
    url: Keep[Url] = None
    description: Keep[Description] = None
    event_types: Keep[EventTypes] = None
    enabled: Keep[bool] = Field(default=None, description="true re-enables a disabled endpoint and clears the reason")


class WebhookEndpointOut(Resource):
    url: str
    description: str
    event_types: list[str]
    enabled: bool
    disabled_reason: str | None = Field(description="why Tandem disabled the endpoint (410 Gone, days of failures)")
    failing_since: datetime | None = Field(description="when the current run of failed deliveries began")
    owner_org_id: UUID | None
    owner_partner_id: UUID | None

    @classmethod
    def of(cls, e: WebhookEndpoint) -> Self:
        return cls(
            id=e.id,
            created_at=e.created_at,
            updated_at=e.updated_at,
            url=e.url,
            description=e.description,
            event_types=sorted(e.event_types),
            enabled=e.enabled,
            disabled_reason=e.disabled_reason,
            failing_since=e.failing_since,
            owner_org_id=e.owner.org_id,
            owner_partner_id=e.owner.partner_id,
        )


class WebhookEndpointWithSecret(WebhookEndpointOut):
    secret: str = Field(description="whsec_…: verifies the signatures; shown in this response only")

    @classmethod
    def issued(cls, e: WebhookEndpoint) -> Self:
        return cls.model_validate(WebhookEndpointOut.of(e).model_dump() | {"secret": e.secret})


class WebhookEndpointPage(PageOut[WebhookEndpointOut]):
    pass


class WebhookDeliveryOut(BaseModel):
    id: UUID
    endpoint_id: UUID
    event_id: UUID = Field(description="the event's id, sent as webhook-id")
    event_type: str
    status: DeliveryStatus
    attempts: int = Field(description="tries so far (a redelivery starts counting again)")
    last_attempt_at: datetime | None
    last_status_code: int | None = Field(description="the receiver's status; null when it did not answer")
    last_duration_ms: int | None
    last_error: str | None = Field(description="what went wrong, with the start of the receiver's answer")
    next_attempt_at: datetime | None = Field(description="when the next try is due; null once finished")
    created_at: datetime

    @classmethod
    def of(cls, d: Delivery) -> Self:
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


class WebhookDeliveryPage(PageOut[WebhookDeliveryOut]):
    pass
