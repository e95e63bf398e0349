"""Webhook endpoints: where an organization or a partner network wants its events POSTed.

An endpoint belongs to one owner (an ``Audience``) and receives that owner's events, signed with
its secret (Standard Webhooks). Rotating the secret keeps the previous one signing alongside for
a grace period, so receivers can switch without losing a delivery. An endpoint whose receiver
answers 410 Gone, or that keeps failing for days, is disabled with the reason for its owner.
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit
from uuid import UUID, uuid4

from app.domain.clock import utcnow
from app.domain.errors import RuleViolation
from app.domain.events import Audience, parse_event_types

SECRET_PREFIX = "whsec_"  # noqa: S105 - the Standard Webhooks prefix, not a secret
SECRET_GRACE = timedelta(hours=24)  # a rotated-out secret still signs this long
MAX_URL_LENGTH = 2000
MAX_DESCRIPTION_LENGTH = 500
GONE_REASON = "the receiver answered 410 Gone"


def new_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` and 32 random bytes in base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def validate_url(url: str) -> str:
    """An absolute http(s) URL without credentials; whether it may be reached (https, public
    addresses) is the delivery side's check, made at creation and again at every delivery."""
    url = url.strip()
    parts = urlsplit(url)
    if len(url) > MAX_URL_LENGTH or parts.scheme not in ("http", "https") or not parts.hostname:
        raise RuleViolation("the URL must be an absolute http(s) URL", code="invalid_webhook_url", field="url")
    if parts.username or parts.password:
        raise RuleViolation("the URL may not carry credentials", code="invalid_webhook_url", field="url")
    return url


def _description(value: str) -> str:
    value = value.strip()
    if len(value) > MAX_DESCRIPTION_LENGTH:
        raise RuleViolation(
            f"the description is at most {MAX_DESCRIPTION_LENGTH} characters", code="too_long", field="description"
        )
    return value


@dataclass(eq=False)
class WebhookEndpoint:
    """``event_types`` empty means every event of the owner."""

    owner: Audience
    url: str
    secret: str
    description: str = ""
    event_types: frozenset[str] = frozenset()
    enabled: bool = True
    disabled_reason: str | None = None
    previous_secret: str | None = None
    previous_secret_expires_at: datetime | None = None
    failing_since: datetime | None = None
    id: UUID = field(default_factory=uuid4)
    version: int = 1
    created_at: datetime = field(default_factory=utcnow)
    updated_at: datetime = field(default_factory=utcnow)

    @classmethod
    def create(
        cls, owner: Audience, url: str, *, description: str = "", event_types: frozenset[str] = frozenset()
    ) -> WebhookEndpoint:
        return cls(
            owner=owner,
            url=validate_url(url),
            secret=new_secret(),
            description=_description(description),
            event_types=parse_event_types(event_types, field_name="event_types"),
        )

    def change(
        self,
        *,
        url: str | None = None,
        description: str | None = None,
        event_types: frozenset[str] | None = None,
        enabled: bool | None = None,
    ) -> None:
        if url is not None:
            self.url = validate_url(url)
        if description is not None:
            self.description = _description(description)
        if event_types is not None:
            self.event_types = parse_event_types(event_types, field_name="event_types")
        if enabled is True:  # the owner fixed the receiver: failures start counting afresh
            self.enabled, self.disabled_reason, self.failing_since = True, None, None
        elif enabled is False:
            self.enabled, self.disabled_reason = False, None
        self.updated_at = utcnow()

    def wants(self, event_type: str) -> bool:
        return self.enabled and (not self.event_types or event_type in self.event_types)

    def rotate_secret(self, now: datetime | None = None) -> str:
        """A new secret (shown once); the old one keeps signing for ``SECRET_GRACE``."""
        now = now or utcnow()
        self.previous_secret, self.previous_secret_expires_at = self.secret, now + SECRET_GRACE
        self.secret = new_secret()
        self.updated_at = now
        return self.secret

    def signing_secrets(self, now: datetime) -> list[str]:
        """Every secret that signs a delivery now: receivers may verify with either while rotating."""
        expires = self.previous_secret_expires_at
        if self.previous_secret and expires is not None and now < expires:
            return [self.secret, self.previous_secret]
        return [self.secret]

    def delivered(self) -> None:
        self.failing_since = None

    def failed(self, now: datetime, *, gone: bool, disable_after: timedelta) -> None:
        """Count a failed delivery; a 410 Gone, or failures for ``disable_after``, disable the endpoint."""
        if gone:
            self._disable(GONE_REASON, now)
            return
        self.failing_since = self.failing_since or now
        if now - self.failing_since >= disable_after:
            days = disable_after.total_seconds() / 86400
            self._disable(f"every delivery failed for {days:g} days", now)

    def _disable(self, reason: str, now: datetime) -> None:
        self.enabled, self.disabled_reason, self.updated_at = False, reason, now
