"""Queries of webhooks: the caller's endpoints and their delivery logs, as REST's /v1/webhook-endpoints."""

from __future__ import annotations

from uuid import UUID

import strawberry

from app.api.graphql.pagination import Connection, page_request
from app.api.graphql.queries_support import described, or_none
from app.api.graphql.types import Ctx
from app.api.graphql.types_webhooks import WebhookDelivery, WebhookEndpoint
from app.services import webhooks


@strawberry.type
class WebhookQueries:
    @described(
        "the caller's webhook endpoints, oldest first: an organization's for its admins, a partner network's "
        "for its token (scope webhooks:manage)"
    )
    async def webhook_endpoints(
        self, info: Ctx, first: int = 50, after: str | None = None
    ) -> Connection[WebhookEndpoint]:
        ctx = info.context
        page = await webhooks.list_endpoints(ctx.uow, ctx.caller, page_request(first, after))
        return Connection.of(page, WebhookEndpoint.of)

    @described("a webhook endpoint of the caller (never its secret); null for another owner's or a non-admin")
    async def webhook_endpoint(self, info: Ctx, id: UUID) -> WebhookEndpoint | None:
        found = await or_none(webhooks.get_endpoint(info.context.uow, info.context.caller, id))
        return WebhookEndpoint.of(found) if found else None

    @described("an endpoint's delivery log, oldest first (as WebhookEndpoint.deliveries)")
    async def webhook_deliveries(
        self, info: Ctx, endpoint_id: UUID, first: int = 50, after: str | None = None
    ) -> Connection[WebhookDelivery]:
        ctx = info.context
        page = await webhooks.list_deliveries(ctx.uow, ctx.caller, endpoint_id, page_request(first, after))
        return Connection.of(page, WebhookDelivery.of)
