"""Events as integrators receive them: over the pull feed and in webhooks alike."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Self
from uuid import UUID

from pydantic import BaseModel, Field

from app.domain.events import StoredEvent


class EventOut(BaseModel):
    id: UUID = Field(description="stable: the same id in the feed and in every webhook delivery (webhook-id)")
    type: str = Field(description="e.g. tandem.status_changed; see docs/webhooks.md for every type")
    occurred_at: datetime
    org_id: UUID | None = Field(description="the organization it happened in; null for a partner's own pool")
    partner_id: UUID | None = Field(description="set on events addressed to a partner network")
    subject_id: UUID = Field(description="the object the event is about (a tandem, a session, a pool mentor, ...)")
    data: dict[str, Any] = Field(description="the object's related ids and the changed fields")

    @classmethod
    def of(cls, event: StoredEvent) -> Self:
        return cls.model_validate(event.payload())


class EventPage(BaseModel):
    """A page of the feed. Continue with ``after=next_cursor``; it is null only before the first event."""

    items: list[EventOut]
    next_cursor: str | None = Field(description="pass as `after` to continue; poll with it when items is empty")
