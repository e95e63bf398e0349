"""GraphQL object types of calendar links: the link as listed, and the secret feed URL shown once.

The same shapes as REST's ``schemas/calendars.py``; the token and feed URL are fields of the
create answer only, as only the token's digest is stored.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import strawberry

from app.api.schemas.calendars import IssuedCalendarLinkOut
from app.domain.calendar_link import CalendarLink as DomainCalendarLink


@strawberry.type(description="a revocable secret feed URL of a person's calendar; never its token")
class CalendarLink:
    id: UUID
    person_id: UUID
    created_at: datetime

    @classmethod
    def of(cls, link: DomainCalendarLink) -> CalendarLink:
        return cls(id=link.id, person_id=link.person_id, created_at=link.created_at)


@strawberry.type(description="the new link with its token and feed URL: shown in this answer only, never again")
class IssuedCalendarLink:
    link: CalendarLink
    token: str = strawberry.field(description="only its digest is stored; revoke the link if it is lost")
    feed_url: str = strawberry.field(description="subscribe to this URL; it needs no Authorization header")

    @classmethod
    def of(cls, issued: IssuedCalendarLinkOut) -> IssuedCalendarLink:
        link = CalendarLink(id=issued.id, person_id=issued.person_id, created_at=issued.created_at)
        return cls(link=link, token=issued.token, feed_url=issued.feed_url)


@strawberry.type(description="the link that was revoked: its URL no longer opens the calendar")
class RevokedCalendarLink:
    id: UUID
    person_id: UUID
