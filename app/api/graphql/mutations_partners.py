"""Partner mutations: partner networks and their secrets, organizations' grants, the mentor pool.

The same use cases as REST's /v1/partners and /v1/organizations/{org_id}/partners; arguments
are checked by REST's models (PartnerIn, and PartnerMentorBatchIn, whose row model turns a bad
row into that row's error rather than refusing the batch). Refusals are Problems.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import strawberry

from app.api.graphql.errors import Problem, attempt, flow_limited
from app.api.graphql.inputs import command, parse
from app.api.graphql.types import Ctx, MeetingFormat
from app.api.graphql.types_partners import (
    MentorSync,
    PartnerCredentials,
    PartnerGrant,
    PartnerMentor,
    RevokedGrant,
    Scope,
)
from app.api.schemas.partners import PartnerIn, PartnerMentorBatchIn
from app.services import partner_mentors, partners

PartnerCredentialsResult = Annotated[PartnerCredentials | Problem, strawberry.union("PartnerCredentialsResult")]
PartnerGrantResult = Annotated[PartnerGrant | Problem, strawberry.union("PartnerGrantResult")]
RevokedGrantResult = Annotated[RevokedGrant | Problem, strawberry.union("RevokedGrantResult")]
MentorSyncResult = Annotated[MentorSync | Problem, strawberry.union("MentorSyncResult")]
PartnerMentorResult = Annotated[PartnerMentor | Problem, strawberry.union("PartnerMentorResult")]


@strawberry.input(description="one mentor of the pool, keyed by the partner's own id; bounds as REST's PartnerMentorIn")
class PartnerMentorInput:
    external_id: str = strawberry.field(description="the partner's own id of the mentor, 1 to 200 characters")
    display_name: str = strawberry.field(description="1 to 200 characters")
    birth_year: int = strawberry.field(description="mentors are digital natives: born 1981 or later")
    email: str | None = None
    bio: str = strawberry.field(default="", description="up to 5000 characters")
    interests: list[str] = strawberry.field(default_factory=list, description="up to 50, each 1 to 100 characters")
    languages: list[str] = strawberry.field(default_factory=lambda: ["en"], description="up to 20 codes: en, pt-BR")
    city: str | None = None
    timezone: str = strawberry.field(default="UTC", description="IANA time zone, e.g. Europe/Berlin")
    preferred_formats: list[MeetingFormat] = strawberry.field(default_factory=list)  # type: ignore[valid-type]


def _no_store(info: Ctx) -> None:
    """An answer with a client secret must not be kept by any cache, nor by the Idempotency-Key store."""
    response = info.context.response
    if response is not None:
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"


@strawberry.type
class PartnerMutations:
    @command("Register a partner network (platform admins); its client secret is in this answer only.")
    async def create_partner(
        self,
        info: Ctx,
        name: str,
        allowed_scopes: Annotated[
            list[Scope] | None,  # type: ignore[valid-type]
            strawberry.argument(description="what the partner's tokens may be granted; both when left out"),
        ] = None,
    ) -> PartnerCredentialsResult:
        values = {"name": name} | ({"allowed_scopes": allowed_scopes} if allowed_scopes is not None else {})
        body = parse(PartnerIn, values, "")
        if isinstance(body, Problem):
            return body
        _no_store(info)
        ctx = info.context
        return await attempt(
            partners.create_partner(ctx.uow, ctx.caller, name=body.name, allowed_scopes=frozenset(body.allowed_scopes)),
            PartnerCredentials.of,
        )

    @command(
        "Issue a new client secret (platform admins), shown once; the old one and the access tokens "
        "obtained with it stop working at once."
    )
    async def rotate_partner_secret(
        self, info: Ctx, id: UUID, expected_version: int | None = None
    ) -> PartnerCredentialsResult:
        _no_store(info)
        ctx = info.context
        return await attempt(
            partners.rotate_partner_secret(ctx.uow, ctx.caller, id, expected_version=expected_version),
            PartnerCredentials.of,
        )

    @command(
        "Let a partner supply mentors to the organization's programs (org admins); granting again "
        "changes nothing. Every mentor of the pool becomes a Person of the organization."
    )
    async def grant_partner_access(self, info: Ctx, org_id: UUID, partner_id: UUID) -> PartnerGrantResult:
        ctx = info.context
        return await attempt(partners.grant_partner_access(ctx.uow, ctx.caller, org_id, partner_id), PartnerGrant.of)

    @command(
        "End the grant (org admins). The organization keeps the partner's Persons and their tandems; "
        "they stop following the pool."
    )
    async def revoke_partner_access(self, info: Ctx, org_id: UUID, partner_id: UUID) -> RevokedGrantResult:
        ctx = info.context
        return await attempt(
            partners.revoke_partner_access(ctx.uow, ctx.caller, org_id, partner_id),
            lambda _: RevokedGrant(org_id=org_id, partner_id=partner_id),
        )

    @command(
        "Insert or update the pool by externalId (partner token with scope mentors:sync), up to 1000 "
        "mentors: one result per row, a bad row fails alone. A withdrawn mentor sent again is back."
    )
    async def sync_partner_mentors(
        self,
        info: Ctx,
        partner_id: UUID,
        items: Annotated[
            list[PartnerMentorInput],
            strawberry.argument(description="up to 1000 mentors; each row succeeds or fails on its own"),
        ],
    ) -> MentorSyncResult:
        body = parse(PartnerMentorBatchIn, {"items": items}, "")
        if isinstance(body, Problem):
            return body
        limited = await flow_limited(info, "partner_sync")
        if limited is not None:
            return limited
        ctx = info.context
        return await attempt(
            partner_mentors.sync_partner_mentors(ctx.uow, ctx.caller, partner_id, body.rows()),
            MentorSync.of,
        )

    @command(
        "Withdraw a mentor from the pool (scope mentors:sync); withdrawing again changes nothing. "
        "Their Persons stay, with any tandems, but no longer follow the pool."
    )
    async def withdraw_partner_mentor(
        self, info: Ctx, partner_id: UUID, external_id: str, expected_version: int | None = None
    ) -> PartnerMentorResult:
        ctx = info.context
        return await attempt(
            partner_mentors.withdraw_partner_mentor(
                ctx.uow, ctx.caller, partner_id, external_id, expected_version=expected_version
            ),
            PartnerMentor.of,
        )
