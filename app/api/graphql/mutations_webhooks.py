"""Webhook mutations: an owner's endpoints, their secrets, test pings and redeliveries.

The same use cases as REST's /v1/webhook-endpoints; arguments are checked by REST's
WebhookEndpointIn and WebhookEndpointPatch, and URLs by the same SSRF guard. Refusals are Problems.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import strawberry

from app.api.graphql.errors import Problem, attempt
from app.api.graphql.inputs import command, parse
from app.api.graphql.types import Ctx
from app.api.graphql.types_webhooks import (
    DeletedWebhookEndpoint,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEndpointWithSecret,
)
from app.api.schemas.webhooks import WebhookEndpointIn, WebhookEndpointPatch
from app.api.webhook_urls import get_webhook_urls
from app.services import webhooks
from app.services.ports import WebhookUrlCheck
from app.services.webhooks import EndpointChanges

WebhookEndpointResult = Annotated[WebhookEndpoint | Problem, strawberry.union("WebhookEndpointResult")]
WebhookSecretResult = Annotated[WebhookEndpointWithSecret | Problem, strawberry.union("WebhookSecretResult")]
DeletedWebhookEndpointResult = Annotated[
    DeletedWebhookEndpoint | Problem, strawberry.union("DeletedWebhookEndpointResult")
]
WebhookDeliveryResult = Annotated[WebhookDelivery | Problem, strawberry.union("WebhookDeliveryResult")]

EventTypesArgument = Annotated[
    list[str] | None,
    strawberry.argument(description="the event types to receive, e.g. tandem.proposed; empty: every one"),
]


def _no_store(info: Ctx) -> None:
    """An answer with a signing secret must not be kept by any cache, nor by the Idempotency-Key store."""
    response = info.context.response
    if response is not None:
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"


async def _urls(info: Ctx) -> WebhookUrlCheck:
    """The SSRF guard REST's routes get, for the deployment's settings."""
    request = info.context.request
    assert request is not None, "GraphQL is served over HTTP only"
    return await get_webhook_urls(request)


@strawberry.type
class WebhookMutations:
    @command(
        "Register a receiver of the caller's events (an organization's admins, a partner token with scope "
        "webhooks:manage); the signing secret is in this answer only. https outside development."
    )
    async def create_webhook_endpoint(
        self, info: Ctx, url: str, description: str = "", event_types: EventTypesArgument = None
    ) -> WebhookSecretResult:
        values = {"url": url, "description": description} | ({"event_types": event_types} if event_types else {})
        body = parse(WebhookEndpointIn, values, "")
        if isinstance(body, Problem):
            return body
        _no_store(info)
        ctx = info.context
        return await attempt(
            webhooks.create_endpoint(
                ctx.uow,
                await _urls(info),
                ctx.caller,
                url=body.url,
                description=body.description,
                event_types=frozenset(body.event_types),
            ),
            WebhookEndpointWithSecret.of,
        )

    @command(
        "Change the URL, description or event filter; enabled: true revives a disabled endpoint. "
        "Null or left out keeps the value."
    )
    async def update_webhook_endpoint(
        self,
        info: Ctx,
        id: UUID,
        url: str | None = None,
        description: str | None = None,
        event_types: EventTypesArgument = None,
        enabled: bool | None = None,
        expected_version: int | None = None,
    ) -> WebhookEndpointResult:
        values = {"url": url, "description": description, "event_types": event_types, "enabled": enabled}
        # REST's patch refuses an explicit null; here null and left out both keep the value
        body = parse(WebhookEndpointPatch, {k: v for k, v in values.items() if v is not None}, "")
        if isinstance(body, Problem):
            return body
        changes = EndpointChanges(
            url=body.url,
            description=body.description,
            event_types=frozenset(body.event_types) if body.event_types is not None else None,
            enabled=body.enabled,
        )
        ctx = info.context
        return await attempt(
            webhooks.update_endpoint(
                ctx.uow,
                await _urls(info),
                ctx.caller,
                id,
                changes,
                expected_version=expected_version,
            ),
            WebhookEndpoint.of,
        )

    @command("Delete the endpoint with its delivery log; nothing more is sent to it.")
    async def delete_webhook_endpoint(self, info: Ctx, id: UUID) -> DeletedWebhookEndpointResult:
        ctx = info.context
        return await attempt(webhooks.delete_endpoint(ctx.uow, ctx.caller, id), lambda _: DeletedWebhookEndpoint(id=id))

    @command(
        "A new signing secret, shown once. For 24 hours deliveries carry a signature with the old one "
        "too, so receivers switch over without losing one."
    )
    async def rotate_webhook_secret(
        self, info: Ctx, id: UUID, expected_version: int | None = None
    ) -> WebhookSecretResult:
        _no_store(info)
        ctx = info.context
        return await attempt(
            webhooks.rotate_secret(ctx.uow, ctx.caller, id, expected_version=expected_version),
            WebhookEndpointWithSecret.of,
        )

    @command("Queue a signed ping to the endpoint (enabled or not); its outcome shows in the delivery log.")
    async def test_webhook_endpoint(self, info: Ctx, id: UUID) -> WebhookDeliveryResult:
        ctx = info.context
        return await attempt(webhooks.send_test(ctx.uow, ctx.caller, id), WebhookDelivery.of)

    @command(
        "Send a finished delivery (succeeded or failed) again with a fresh retry schedule; a 409 "
        "Problem while it is still being tried."
    )
    async def redeliver_webhook(self, info: Ctx, delivery_id: UUID) -> WebhookDeliveryResult:
        ctx = info.context
        return await attempt(webhooks.redeliver(ctx.uow, ctx.caller, delivery_id), WebhookDelivery.of)
