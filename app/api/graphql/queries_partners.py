"""Queries of partner networks: partners, their mentor pool and organizations' grants, as REST's
/v1/partners and /v1/organizations/{org_id}/partners."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import strawberry

from app.api.graphql.pagination import Connection, page_request
from app.api.graphql.queries_support import described, or_none
from app.api.graphql.types import Ctx
from app.api.graphql.types_partners import Partner, PartnerGrant, PartnerMentor, mentor_connection
from app.domain.errors import RuleViolation
from app.services import partner_mentors, partners


@strawberry.type
class PartnerQueries:
    @described("partner networks: platform admins see all, a partner itself, managers those their organization granted")
    async def partners(self, info: Ctx, first: int = 50, after: str | None = None) -> Connection[Partner]:
        page = await partners.list_partners(info.context.uow, info.context.caller, page_request(first, after))
        return Connection.of(page, Partner.of)

    @described("a partner network (never its secret); null for another partner or one not granted to the caller")
    async def partner(self, info: Ctx, id: UUID) -> Partner | None:
        found = await or_none(partners.get_partner(info.context.uow, info.context.caller, id))
        return Partner.of(found) if found else None

    @described(
        "a partner's mentor pool, least recently changed first, with what happened to each mentor "
        "(the partner's token with scope mentors:read, or a platform admin)"
    )
    async def partner_mentors(
        self,
        info: Ctx,
        partner_id: UUID,
        updated_since: Annotated[
            datetime | None,
            strawberry.argument(
                description="only mentors whose pool entry changed at or after this time (with offset)"
            ),
        ] = None,
        first: int = 50,
        after: str | None = None,
    ) -> Connection[PartnerMentor]:
        if updated_since is not None and updated_since.utcoffset() is None:
            raise RuleViolation("updatedSince needs a UTC offset", code="validation_failed", field="updatedSince")
        ctx = info.context
        page = await partner_mentors.list_partner_mentors(
            ctx.uow, ctx.caller, partner_id, page_request(first, after), updated_since=updated_since
        )
        return mentor_connection(page)

    @described(
        "a mentor of the partner's pool by the partner's own id, with what happened to them "
        "(the partner's token with scope mentors:read, or a platform admin); null otherwise"
    )
    async def partner_mentor(self, info: Ctx, partner_id: UUID, external_id: str) -> PartnerMentor | None:
        ctx = info.context
        found = await or_none(partner_mentors.get_partner_mentor(ctx.uow, ctx.caller, partner_id, external_id))
        return PartnerMentor.of(found) if found else None

    @described(
        "an organization's grant of a partner network (platform admins, the organization's managers); "
        "null when the organization did not grant it, or the caller may not see it"
    )
    async def partner_grant(self, info: Ctx, org_id: UUID, partner_id: UUID) -> PartnerGrant | None:
        found = await or_none(partners.get_partner_grant(info.context.uow, info.context.caller, org_id, partner_id))
        return PartnerGrant.of(found) if found else None
