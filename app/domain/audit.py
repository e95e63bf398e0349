"""The audit trail: who did what, when, to which object, in which request.

Entries are facts, never edited: every state change (one entry per domain event, written by the
unit of work with the caller as actor) and every read of personal data (an export, a report, a
calendar feed link). They keep ids, roles and names of actions only, never personal free text,
so an erasure leaves them as they are and the trail of who touched a person survives it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from uuid import UUID, uuid4

from app.domain.access import Caller, Role
from app.domain.clock import utcnow
from app.domain.errors import RuleViolation
from app.domain.events import DomainEvent


class ActorType(StrEnum):
    USER = "user"  # a person's or an admin's token (REST, GraphQL)
    PARTNER = "partner"  # a partner network's client-credentials token
    OPERATOR = "operator"  # the command line on a server (``tandem ...``)
    SYSTEM = "system"  # the workers' own upkeep: matching runs, expiries, sweeps


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acted: ``id`` is a user id, or a partner id for a partner; operators and the system
    have none. ``role`` is the caller's role at the time (roles change later, entries do not)."""

    type: ActorType
    id: UUID | None = None
    role: Role | None = None

    @classmethod
    def of(cls, caller: Caller) -> Actor:
        if caller.role is Role.PARTNER and caller.partner_id is not None:
            return cls(ActorType.PARTNER, caller.partner_id, caller.role)
        return cls(ActorType.USER, caller.user_id, caller.role)


SYSTEM = Actor(ActorType.SYSTEM)
OPERATOR = Actor(ActorType.OPERATOR)

# reads of personal data, recorded explicitly by the use cases that serve them
PERSON_EXPORTED = "person.exported"
REPORT_DOWNLOADED = "report.downloaded"
CALENDAR_LINK_CREATED = "calendar_link.created"
CALENDAR_LINK_REVOKED = "calendar_link.revoked"

_ACTION = re.compile(r"^[a-z][a-z_]{0,30}\.[a-z][a-z_]{0,30}$")


def parse_action(value: str) -> str:
    """An action is ``object.verb`` (``program.status_changed``): a filter naming anything else is a typo."""
    if not _ACTION.match(value):
        raise RuleViolation(
            "action must look like object.verb, e.g. tandem.status_changed", code="invalid_action", field="action"
        )
    return value


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One entry. ``org_id`` is the tenant (None for a partner's own pool); ``request_id`` is the
    X-Request-ID of the API request it happened in (None outside the API)."""

    org_id: UUID | None
    actor: Actor
    action: str
    target_type: str
    target_id: UUID
    request_id: str | None = None
    occurred_at: datetime = field(default_factory=utcnow)
    id: UUID = field(default_factory=uuid4)

    @property
    def created_at(self) -> datetime:
        """The order key of pages, as every list's (the trail is ordered by when things happened)."""
        return self.occurred_at

    @classmethod
    def of_event(cls, event: DomainEvent, actor: Actor, request_id: str | None) -> AuditEntry:
        """A state change: the event's type is the action, its subject the target."""
        return cls(
            org_id=event.org_id,
            actor=actor,
            action=event.type,
            target_type=event.type.split(".", 1)[0],
            target_id=event.subject_id,
            request_id=request_id,
            occurred_at=event.occurred_at,
        )

    @classmethod
    def by(cls, caller: Caller, action: str, target_type: str, target_id: UUID) -> AuditEntry:
        """A caller's access to personal data, in the tenant the caller acts in."""
        return cls(
            org_id=caller.org_id,
            actor=Actor.of(caller),
            action=action,
            target_type=target_type,
            target_id=target_id,
            request_id=caller.request_id,
        )


def kind_of(obj: object) -> str:
    """``MatchingRun`` → ``matching_run``: the target type of an aggregate."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type(obj).__name__).lower()


def entry_of_write(obj: object, actor: Actor, request_id: str | None) -> AuditEntry | None:
    """A change of an aggregate that recorded no event: ``<kind>.created`` for one just added
    (still at version 1), ``<kind>.updated`` otherwise. None for what belongs to no tenant (a
    partner's pool speaks through its events) or is no versioned aggregate."""
    version, obj_id = getattr(obj, "version", None), getattr(obj, "id", None)
    kind = kind_of(obj)
    org_id = obj_id if kind == "organization" else getattr(obj, "org_id", None)
    if not isinstance(version, int) or not isinstance(obj_id, UUID) or not isinstance(org_id, UUID):
        return None
    action = f"{kind}.created" if version == 1 else f"{kind}.updated"
    return AuditEntry(
        org_id=org_id, actor=actor, action=action, target_type=kind, target_id=obj_id, request_id=request_id
    )


def audited(event: DomainEvent) -> bool:
    """Every event but a partner's copy of a change the organization's own event already records."""
    return event.partner_id is None or event.org_id is None


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """What ``GET /v1/audit-events`` narrows by; None is any. ``since`` (``from``) is inclusive,
    ``until`` (``to``) exclusive, so consecutive ranges neither overlap nor leave gaps."""

    actor_id: UUID | None = None
    target_type: str | None = None
    target_id: UUID | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def __post_init__(self) -> None:
        if self.action is not None:
            parse_action(self.action)
        if self.target_type is not None and not re.match(r"^[a-z][a-z_]{0,31}$", self.target_type):
            raise RuleViolation(
                "target_type must be an object name, e.g. tandem", code="invalid_target_type", field="target_type"
            )
        # the API's names for the two bounds: ?from=…&to=…
        for name, moment in (("from", self.since), ("to", self.until)):
            if moment is not None and moment.tzinfo is None:
                raise RuleViolation(f"{name} needs a time zone offset", code="invalid_time_range", field=name)
        if self.since is not None and self.until is not None and self.until <= self.since:
            raise RuleViolation("to must be after from", code="invalid_time_range", field="to")
