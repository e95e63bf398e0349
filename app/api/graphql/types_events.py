"""The event feed as GraphQL objects: the same events as REST's /v1/events and the webhooks."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import strawberry
from strawberry.scalars import JSON

from app.api.cursors import encode_position
from app.api.graphql.pagination import Connection, Edge, PageInfo
from app.domain.events import StoredEvent
from app.services.events import FeedPage


@strawberry.type(description="something that happened, as webhooks deliver it")
class Event:
    id: UUID = strawberry.field(description="stable: the same id in the feed and in every webhook delivery")
    type: str = strawberry.field(description="e.g. tandem.status_changed")
    occurred_at: datetime
    org_id: UUID | None = strawberry.field(description="the organization it happened in; null for a partner's pool")
    partner_id: UUID | None = strawberry.field(description="set on events addressed to a partner network")
    subject_id: UUID = strawberry.field(description="the object the event is about (a tandem, a session, ...)")
    data: JSON = strawberry.field(description="the object's related ids and the changed fields (snake_case, as REST)")

    @classmethod
    def of(cls, e: StoredEvent) -> Event:
        return cls(
            id=e.id,
            type=e.type,
            occurred_at=e.occurred_at,
            org_id=e.org_id,
            partner_id=e.partner_id,
            subject_id=e.subject_id,
            data=JSON(e.data),
        )


def event_connection(page: FeedPage, first: int) -> Connection[Event]:
    """The feed's page as a connection; its cursor is a position in commit order, not a creation time.

    ``endCursor`` is set whenever the caller has a place to continue from, also on an empty page:
    a feed has no end, a poller asks again later with the same cursor.
    """
    edges = [Edge(cursor=encode_position(e.position) or "", node=Event.of(e)) for e in page.items]
    info = PageInfo(has_next_page=len(page.items) == first, end_cursor=encode_position(page.next_after))
    return Connection(edges=edges, page_info=info)
