"""Calendar links: the secret feed URLs of a person's calendar."""

from __future__ import annotations

from datetime import datetime
from typing import Self
from uuid import UUID

from pydantic import BaseModel, Field

from app.domain.calendar_link import CalendarLink


def feed_path(person_id: UUID) -> str:
    return f"/v1/people/{person_id}/calendar.ics"


class CalendarLinkOut(BaseModel):
    id: UUID
    person_id: UUID
    created_at: datetime

    @classmethod
    def of(cls, link: CalendarLink) -> Self:
        return cls(id=link.id, person_id=link.person_id, created_at=link.created_at)


class IssuedCalendarLinkOut(CalendarLinkOut):
    token: str = Field(description="shown once: only its digest is stored")
    feed_url: str = Field(description="subscribe to this URL; it needs no Authorization header")

    @classmethod
    def issued(cls, link: CalendarLink, token: str, base_url: str) -> Self:
        return cls(
            id=link.id,
            person_id=link.person_id,
            created_at=link.created_at,
            token=token,
            feed_url=f"{base_url.rstrip('/')}{feed_path(link.person_id)}?token={token}",
        )


class CalendarLinkList(BaseModel):
    items: list[CalendarLinkOut]
