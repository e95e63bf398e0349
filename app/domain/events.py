"""Domain events: facts that happened, recorded by aggregates and stored in the outbox."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from app.domain.clock import utcnow

# What an event's ``data`` may keep once a person it concerns is erased: ids of other objects,
# statuses, roles and ratings. Anything else an event carries (now or later) counts as personal.
ANONYMOUS_EVENT_DATA = frozenset({"program_id", "tandem_id", "role", "from", "to", "side", "rating"})


@dataclass(frozen=True, slots=True)
class DomainEvent:
    """``type`` uses the public event names of API.md (``tandem.status_changed``, ...)."""

    type: str
    org_id: UUID
    subject_id: UUID
    data: dict[str, Any] = field(default_factory=dict)
    occurred_at: datetime = field(default_factory=utcnow)


class EventRecorder:
    """Mixin for aggregates: collects events until the unit of work stores them."""

    def __init__(self) -> None:
        self._events: list[DomainEvent] = []

    def record(self, event: DomainEvent) -> None:
        self._events.append(event)

    def pull_events(self) -> list[DomainEvent]:
        events, self._events = self._events, []
        return events
