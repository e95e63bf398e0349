"""GraphQL object types of planning: a person's weekly availability, a tandem's common free slots.

The same shapes as REST's ``AvailabilityOut`` and ``SlotSuggestionsOut``.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID
from zoneinfo import ZoneInfo

import strawberry

from app.domain import person as pe
from app.services.scheduling import SlotSuggestions as FoundSlots


@strawberry.type
class Window:
    weekday: int = strawberry.field(description="0 = Monday … 6 = Sunday")
    start: str = strawberry.field(description="HH:MM")
    end: str = strawberry.field(description="HH:MM")


@strawberry.type(description="weekly availability; its version is the person's")
class Availability:
    person_id: UUID
    version: int = strawberry.field(description="the person's version: pass as expectedVersion")
    timezone: str = strawberry.field(description="the person's time zone, set on the profile; windows are in it")
    windows: list[Window]

    @classmethod
    def of(cls, p: pe.Person) -> Availability:
        windows = [
            Window(weekday=w.weekday, start=w.start.isoformat("minutes"), end=w.end.isoformat("minutes"))
            for w in p.availability
        ]
        return cls(person_id=p.id, version=p.version, timezone=p.timezone, windows=windows)


@strawberry.type(description="a free slot of both people, in UTC and in each side's time zone")
class Slot:
    starts_at: datetime = strawberry.field(description="UTC")
    ends_at: datetime = strawberry.field(description="UTC")
    mentor_local_start: datetime = strawberry.field(description="the start in the mentor's time zone")
    mentee_local_start: datetime = strawberry.field(description="the start in the mentee's time zone")


@strawberry.type(description="common free slots, earliest first; booked sessions of either person are skipped")
class SlotSuggestions:
    items: list[Slot]
    mentor_timezone: str
    mentee_timezone: str

    @classmethod
    def of(cls, found: FoundSlots) -> SlotSuggestions:
        mentor_tz, mentee_tz = ZoneInfo(found.mentor_timezone), ZoneInfo(found.mentee_timezone)
        return cls(
            items=[
                Slot(
                    starts_at=start,
                    ends_at=end,
                    mentor_local_start=start.astimezone(mentor_tz),
                    mentee_local_start=start.astimezone(mentee_tz),
                )
                for start, end in found.slots
            ],
            mentor_timezone=found.mentor_timezone,
            mentee_timezone=found.mentee_timezone,
        )
