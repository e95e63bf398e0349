"""/v1/webhook-endpoints: where an organization (its admins) or a partner network (scope
webhooks:manage) wants its events POSTed, signed per Standard Webhooks; and the delivery log."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response, status

from app.api.deps import CurrentCaller, RequestUow
from app.api.rest.conventions import IfMatch, Paging, page_out, set_etag
from app.api.rest.responses import COMMON, problems
from app.api.schemas.webhooks import (
    WebhookDeliveryOut,
    WebhookDeliveryPage,
    WebhookEndpointIn,
    WebhookEndpointOut,
    WebhookEndpointPage,
    WebhookEndpointPatch,
    WebhookEndpointWithSecret,
)
from app.api.webhook_urls import WebhookUrls
from app.services import webhooks
from app.services.webhooks import EndpointChanges

router = APIRouter(prefix="/v1/webhook-endpoints", tags=["webhooks"], responses=COMMON)


def _no_store(response: Response) -> None:
    response.headers["Cache-Control"] = "no-store"


@router.post("", operation_id="create_webhook_endpoint", status_code=status.HTTP_201_CREATED)
async def create_webhook_endpoint(
    body: WebhookEndpointIn, caller: CurrentCaller, uow: RequestUow, urls: WebhookUrls, response: Response
) -> WebhookEndpointWithSecret:
    """Register a receiver. The signing ``secret`` is in this response only (rotate it if lost).

    Deliveries POST each event as JSON with the headers webhook-id (the event id), webhook-timestamp
    and webhook-signature; verify them with any Standard Webhooks library (docs/webhooks.md).
    """
    endpoint = await webhooks.create_endpoint(
        uow, urls, caller, url=body.url, description=body.description, event_types=frozenset(body.event_types)
    )
    set_etag(response, endpoint)
    _no_store(response)
    response.headers["Location"] = f"/v1/webhook-endpoints/{endpoint.id}"
    return WebhookEndpointWithSecret.issued(endpoint)


@router.get("", operation_id="list_webhook_endpoints")
async def list_webhook_endpoints(caller: CurrentCaller, uow: RequestUow, paging: Paging) -> WebhookEndpointPage:
    page = await webhooks.list_endpoints(uow, caller, paging)
    return WebhookEndpointPage.model_validate(page_out(page, WebhookEndpointOut))


@router.get("/{endpoint_id}", operation_id="get_webhook_endpoint")
async def get_webhook_endpoint(
    endpoint_id: UUID, caller: CurrentCaller, uow: RequestUow, response: Response
) -> WebhookEndpointOut:
    endpoint = await webhooks.get_endpoint(uow, caller, endpoint_id)
    set_etag(response, endpoint)
    return WebhookEndpointOut.of(endpoint)


@router.patch("/{endpoint_id}", operation_id="update_webhook_endpoint", responses=problems(412))
async def update_webhook_endpoint(
    endpoint_id: UUID,
    body: WebhookEndpointPatch,
    caller: CurrentCaller,
    uow: RequestUow,
    urls: WebhookUrls,
    if_match: IfMatch,
    response: Response,
) -> WebhookEndpointOut:
    """Change the URL, description or event filter; ``enabled: true`` revives a disabled endpoint."""
    changes = EndpointChanges(
        url=body.url,
        description=body.description,
        event_types=frozenset(body.event_types) if body.event_types is not None else None,
        enabled=body.enabled,
    )
    endpoint = await webhooks.update_endpoint(uow, urls, caller, endpoint_id, changes, expected_version=if_match)
    set_etag(response, endpoint)
    return WebhookEndpointOut.of(endpoint)


@router.delete("/{endpoint_id}", operation_id="delete_webhook_endpoint", status_code=status.HTTP_204_NO_CONTENT)
async def delete_webhook_endpoint(endpoint_id: UUID, caller: CurrentCaller, uow: RequestUow) -> Response:
    """Delete the endpoint with its delivery log; nothing more is sent to it."""
    await webhooks.delete_endpoint(uow, caller, endpoint_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{endpoint_id}/rotate-secret", operation_id="rotate_webhook_secret", responses=problems(412))
async def rotate_webhook_secret(
    endpoint_id: UUID, caller: CurrentCaller, uow: RequestUow, if_match: IfMatch, response: Response
) -> WebhookEndpointWithSecret:
    """A new signing secret, shown once. For 24 hours deliveries carry a signature with the old
    secret too, so receivers switch over without losing one."""
    endpoint = await webhooks.rotate_secret(uow, caller, endpoint_id, expected_version=if_match)
    set_etag(response, endpoint)
    _no_store(response)
    return WebhookEndpointWithSecret.issued(endpoint)


@router.post("/{endpoint_id}/test", operation_id="test_webhook_endpoint", status_code=status.HTTP_202_ACCEPTED)
async def test_webhook_endpoint(endpoint_id: UUID, caller: CurrentCaller, uow: RequestUow) -> WebhookDeliveryOut:
    """Queue a signed ``ping`` to the endpoint; its outcome shows in the delivery log."""
    return WebhookDeliveryOut.of(await webhooks.send_test(uow, caller, endpoint_id))


@router.get("/{endpoint_id}/deliveries", operation_id="list_webhook_deliveries")
async def list_webhook_deliveries(
    endpoint_id: UUID, caller: CurrentCaller, uow: RequestUow, paging: Paging
) -> WebhookDeliveryPage:
    """The delivery log, oldest first: each event's tries, the receiver's last status, the next try."""
    page = await webhooks.list_deliveries(uow, caller, endpoint_id, paging)
    return WebhookDeliveryPage.model_validate(page_out(page, WebhookDeliveryOut))


@router.post(
    "/deliveries/{delivery_id}/redeliver",
    operation_id="redeliver_webhook",
    status_code=status.HTTP_202_ACCEPTED,
    responses=problems(409),
)
async def redeliver_webhook(delivery_id: UUID, caller: CurrentCaller, uow: RequestUow) -> WebhookDeliveryOut:
    """Send a finished delivery (succeeded or failed) again, with a fresh retry schedule; 409
    while it is still being tried."""
    return WebhookDeliveryOut.of(await webhooks.redeliver(uow, caller, delivery_id))
