"""Codes of the event feed."""

from __future__ import annotations

from app.domain.error_catalog.entry import ErrorCode, Feature
from app.domain.errors import InvalidTransition, NotFound, RuleViolation

EVENTS = Feature(
    "events",
    "The caller's events in commit order (the pull alternative to webhooks), and webhook endpoints.",
    (
        ErrorCode(
            "invalid_event_type", RuleViolation, "Unknown event type", "A filter names an event type we do not emit."
        ),
        ErrorCode(
            "invalid_webhook_url",
            RuleViolation,
            "Invalid webhook URL",
            "The URL is not an absolute http(s) URL, or it carries credentials.",
        ),
        ErrorCode(
            "webhook_url_refused",
            RuleViolation,
            "Webhook URL refused",
            "Deliveries cannot go there: not https (outside development), or a private, loopback or reserved address.",
        ),
        ErrorCode("webhook_endpoint_not_found", NotFound, "Webhook endpoint not found", "No such endpoint of yours."),
        ErrorCode("webhook_delivery_not_found", NotFound, "Delivery not found", "No such delivery to your endpoints."),
        ErrorCode(
            "delivery_pending", InvalidTransition, "Delivery still pending", "It is still being tried; redeliver later."
        ),
    ),
)
