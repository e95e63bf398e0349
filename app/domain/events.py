"""Domain events: facts that happened, recorded by aggregates and stored in the outbox."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from app.domain.clock import utcnow
from app.domain.errors import RuleViolation

# What an event's ``data`` may keep once a person it concerns is erased: ids of other objects,
# statuses, roles and ratings. Anything else an event carries (now or later) counts as personal.
ANONYMOUS_EVENT_DATA = frozenset({"program_id", "tandem_id", "role", "from", "to", "side", "rating"})


@dataclass(frozen=True, slots=True)
class DomainEvent:
    """``type`` uses the public event names of API.md (``tandem.status_changed``, ...).

    An event with a ``partner_id`` is addressed to that partner network (its mentors' pool and
    placements) and only to it: the organization it happened in (``org_id``, None for the pool
    itself) learns of the same change through its own events.
    """

    type: str
    org_id: UUID | None
    subject_id: UUID
    data: dict[str, Any] = field(default_factory=dict)
    occurred_at: datetime = field(default_factory=utcnow)
    partner_id: UUID | None = None


class EventRecorder:
    """Mixin for aggregates: collects events until the unit of work stores them."""

    def __init__(self) -> None:
        self._events: list[DomainEvent] = []

    def record(self, event: DomainEvent) -> None:
        self._events.append(event)

    def pending_events(self) -> tuple[DomainEvent, ...]:
        return tuple(self._events)

    def drop_last_event(self) -> None:
        self._events.pop()

    def pull_events(self) -> list[DomainEvent]:
        events, self._events = self._events, []
        return events


# Every type an event can have; filters (the feed's ``types``, an endpoint's) must name these.
EVENT_TYPES = frozenset(
    {
        "program.status_changed",
        "enrollment.created",
        "enrollment.withdrawn",
        "matching_run.completed",
        "matching_run.failed",
        "tandem.proposed",
        "tandem.status_changed",
        "tandem.fit_flagged",
        "tandem.health_changed",
        "session.scheduled",
        "session.status_changed",
        "feedback.submitted",
        "goal.created",
        "goal.updated",
        "goal.status_changed",
        "person.created",
        "person.updated",
        "person.erased",
        "person.deactivated",
        "person.reactivated",
        "partner_mentor.upserted",
        "partner_mentor.withdrawn",
        "partner_mentor.matched",
        "partner_mentor.placement_changed",
    }
)
PING = "ping"  # sent by an endpoint's test, never stored as an event


def parse_event_types(values: tuple[str, ...] | list[str] | frozenset[str], *, field_name: str) -> frozenset[str]:
    """Known event types only: a misspelt filter would silently match nothing forever."""
    unknown = sorted(set(values) - EVENT_TYPES)
    if unknown:
        raise RuleViolation(f"unknown event types: {', '.join(unknown)}", code="invalid_event_type", field=field_name)
    return frozenset(values)


@dataclass(frozen=True, slots=True)
class Audience:
    """Who an event is for: an organization (its own events) or a partner network (its mentors')."""

    org_id: UUID | None = None
    partner_id: UUID | None = None

    def __post_init__(self) -> None:
        if (self.org_id is None) == (self.partner_id is None):
            raise ValueError("an audience is an organization or a partner, exactly one")


@dataclass(frozen=True, slots=True, order=True)
class FeedPosition:
    """A place in the commit-ordered feed: the writing transaction's id, then the row's sequence.

    Events appear in the feed only once every transaction that could still write a smaller
    position has ended, so a reader that moved past a position never misses an event before it.
    """

    xact: int
    seq: int


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """An event as the outbox keeps it: ``id`` is stable across the feed and every webhook retry."""

    id: UUID
    type: str
    org_id: UUID | None
    partner_id: UUID | None
    subject_id: UUID
    data: dict[str, Any]
    occurred_at: datetime
    position: FeedPosition

    def payload(self) -> dict[str, Any]:
        """The JSON an integrator receives, over the feed and in a webhook alike."""
        return {
            "id": str(self.id),
            "type": self.type,
            "occurred_at": self.occurred_at.isoformat(),
            "org_id": str(self.org_id) if self.org_id else None,
            "partner_id": str(self.partner_id) if self.partner_id else None,
            "subject_id": str(self.subject_id),
            "data": self.data,
        }
