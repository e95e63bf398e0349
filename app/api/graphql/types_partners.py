"""GraphQL object types of partner networks: partners, their credentials, grants and mentor pool.

The same shapes as REST's ``schemas/partners.py``; a partner's secret digest is never a field.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import strawberry

from app.api.cursors import encode_cursor
from app.api.graphql.pagination import Connection, Edge, PageInfo
from app.api.graphql.queries_support import described, or_none
from app.api.graphql.types import Ctx, MeetingFormat
from app.domain import access
from app.domain import partner as pa
from app.services import partners
from app.services.pagination import Cursor, Page
from app.services.partner_mentors import MentorView, RowResult, SyncReport
from app.services.partners import GrantResult, IssuedCredentials

Scope = strawberry.enum(access.Scope, description="what a partner's client-credentials token may do")
SyncStatus = strawberry.enum(pa.SyncStatus, description="what one row of a pool sync did")
MentorStage = strawberry.enum(pa.MentorStage, description="how far a pool mentor got in one organization")


@strawberry.type(description="a partner network and its OAuth client; the client secret is never returned")
class Partner:
    id: UUID
    version: int = strawberry.field(description="pass as expectedVersion to rotatePartnerSecret (REST's ETag)")
    name: str
    client_id: str = strawberry.field(description="the OAuth client id for POST /oauth/token (client_credentials)")
    allowed_scopes: list[Scope]  # type: ignore[valid-type]
    created_at: datetime
    updated_at: datetime

    @described(
        "the caller's organization's grant of the partner (its org admins and program managers); null "
        "outside an organization: platform admins ask partnerGrant(orgId, partnerId)"
    )
    async def grant(self, info: Ctx) -> PartnerGrant | None:
        ctx = info.context
        if ctx.caller.org_id is None:
            return None
        found = await or_none(partners.get_partner_grant(ctx.uow, ctx.caller, ctx.caller.org_id, self.id))
        return PartnerGrant.of(found) if found else None

    @classmethod
    def of(cls, p: pa.Partner) -> Partner:
        return cls(
            id=p.id,
            version=p.version,
            name=p.name,
            client_id=p.client_id,
            allowed_scopes=sorted(p.allowed_scopes),
            created_at=p.created_at,
            updated_at=p.updated_at,
        )


@strawberry.type(description="the partner with its client secret: shown in this answer only, never again")
class PartnerCredentials:
    partner: Partner
    client_secret: str = strawberry.field(
        description="store it now: Tandem keeps only a digest and cannot show it again"
    )

    @classmethod
    def of(cls, issued: IssuedCredentials) -> PartnerCredentials:
        return cls(partner=Partner.of(issued.partner), client_secret=issued.client_secret)


@strawberry.type(description="an organization lets a partner supply mentors to its programs")
class PartnerGrant:
    org_id: UUID
    partner_id: UUID
    partner_name: str
    granted_by: UUID | None = strawberry.field(description="the user who granted access")
    created_at: datetime
    created: bool = strawberry.field(
        description="false when the organization had already granted the partner (REST answers 200, not 201)"
    )

    @classmethod
    def of(cls, result: GrantResult) -> PartnerGrant:
        g = result.grant
        return cls(
            org_id=g.org_id,
            partner_id=g.partner_id,
            partner_name=result.partner.name,
            granted_by=g.granted_by,
            created_at=g.created_at,
            created=result.created,
        )


@strawberry.type(description="the grant that was revoked: the organization keeps the partner's Persons")
class RevokedGrant:
    org_id: UUID
    partner_id: UUID


@strawberry.type(description="a pool mentor's Person in one granting organization, and how far they got there")
class Placement:
    org_id: UUID
    organization_name: str
    person_id: UUID
    stage: MentorStage  # type: ignore[valid-type]
    active_enrollments: int
    proposed_tandems: int
    matched_tandems: int = strawberry.field(description="tandems both sides accepted: active, paused or completed")

    @classmethod
    def of(cls, p: pa.Placement) -> Placement:
        return cls(
            org_id=p.org_id,
            organization_name=p.organization_name,
            person_id=p.person_id,
            stage=p.stage,
            active_enrollments=p.active_enrollments,
            proposed_tandems=p.proposed_tandems,
            matched_tandems=p.matched_tandems,
        )


@strawberry.type(description="a mentor of a partner's pool, with what happened to them in the granting organizations")
class PartnerMentor:
    id: UUID
    version: int = strawberry.field(description="pass as expectedVersion to withdrawPartnerMentor (REST's ETag)")
    partner_id: UUID
    external_id: str = strawberry.field(description="the partner's own id of the mentor")
    display_name: str
    email: str | None
    birth_year: int
    generation: str = strawberry.field(description="derived from birthYear")
    bio: str
    interests: list[str]
    languages: list[str]
    city: str | None
    timezone: str
    preferred_formats: list[MeetingFormat]  # type: ignore[valid-type]
    withdrawn: bool = strawberry.field(description="withdrawn from the pool (a later sync brings them back)")
    withdrawn_at: datetime | None = strawberry.field(description="set while the mentor is withdrawn from the pool")
    enrolled: bool = strawberry.field(description="enrolled in a program of any granting organization")
    matched: bool = strawberry.field(description="in an accepted tandem in any granting organization")
    placements: list[Placement] = strawberry.field(description="one per organization that grants the partner")
    created_at: datetime
    updated_at: datetime = strawberry.field(description="last change of the pool entry: pass as updatedSince")

    @classmethod
    def of(cls, view: MentorView) -> PartnerMentor:
        m = view.mentor
        return cls(
            id=m.id,
            version=m.version,
            partner_id=m.partner_id,
            external_id=m.external_id,
            display_name=m.display_name,
            email=m.email,
            birth_year=m.birth_year,
            generation=m.generation.value,
            bio=m.bio,
            interests=list(m.interests),
            languages=list(m.languages),
            city=m.city,
            timezone=m.timezone,
            preferred_formats=list(m.preferred_formats),
            withdrawn=m.withdrawn,
            withdrawn_at=m.withdrawn_at,
            enrolled=view.enrolled,
            matched=view.matched,
            placements=[Placement.of(p) for p in view.placements],
            created_at=m.created_at,
            updated_at=m.updated_at,
        )


def mentor_connection(page: Page[MentorView]) -> Connection[PartnerMentor]:
    """The pool's page as a connection; its keyset is (updatedAt, id), not creation like other lists."""
    edges = [
        Edge(cursor=encode_cursor(Cursor(v.mentor.updated_at, v.mentor.id)) or "", node=PartnerMentor.of(v))
        for v in page.items
    ]
    info = PageInfo(has_next_page=page.next_cursor is not None, end_cursor=encode_cursor(page.next_cursor))
    return Connection(edges=edges, page_info=info)


@strawberry.type(description="why a row failed")
class RowError:
    field: str = strawberry.field(description="the offending field of the row as REST names it, e.g. birth_year")
    message: str
    code: str = strawberry.field(description="stable, machine-readable error code, e.g. not_a_digital_native")


@strawberry.type(description="what one row of a sync did")
class MentorSyncRow:
    index: int = strawberry.field(description="position of the row in the batch")
    external_id: str | None
    status: SyncStatus  # type: ignore[valid-type]
    errors: list[RowError] = strawberry.field(description="why the row failed; empty unless status is ERROR")

    @classmethod
    def of(cls, r: RowResult) -> MentorSyncRow:
        return cls(
            index=r.index,
            external_id=r.external_id,
            status=r.status,
            errors=[RowError(field=e.field, message=e.message, code=e.code) for e in r.errors],
        )


@strawberry.type(description="how many rows of the batch ended in each status")
class MentorSyncCounts:
    created: int
    updated: int
    unchanged: int
    error: int


@strawberry.type(description="one result per row, in the batch's order, and the counts per status")
class MentorSync:
    items: list[MentorSyncRow]
    counts: MentorSyncCounts

    @classmethod
    def of(cls, report: SyncReport) -> MentorSync:
        counts = report.counts
        return cls(
            items=[MentorSyncRow.of(r) for r in report.results],
            counts=MentorSyncCounts(
                created=counts[pa.SyncStatus.CREATED],
                updated=counts[pa.SyncStatus.UPDATED],
                unchanged=counts[pa.SyncStatus.UNCHANGED],
                error=counts[pa.SyncStatus.ERROR],
            ),
        )
