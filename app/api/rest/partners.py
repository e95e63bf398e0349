"""/v1/partners: partner networks, their client credentials and mentor pools; and the grants
with which organizations let a partner supply mentors (/v1/organizations/{org_id}/partners/…)."""

from __future__ import annotations

import re
import tempfile
from collections import Counter
from collections.abc import AsyncIterator
from typing import IO, Annotated, Any, ClassVar
from uuid import UUID

from fastapi import APIRouter, Path, Query, Request, Response, status
from fastapi.responses import StreamingResponse
from fastapi.routing import APIRoute
from pydantic import AwareDatetime
from starlette.routing import Match
from starlette.types import Scope

from app.api.deps import CurrentCaller, RequestUow
from app.api.rest.conventions import IfMatch, Paging, page_out, set_etag
from app.api.rest.responses import COMMON, problems
from app.api.schemas.partners import (
    NDJSON,
    MentorSyncEndOut,
    MentorSyncOut,
    PartnerCredentialsOut,
    PartnerGrantOut,
    PartnerIn,
    PartnerMentorBatchIn,
    PartnerMentorOut,
    PartnerMentorPage,
    PartnerOut,
    PartnerPage,
    end_line,
    ndjson_rows,
    result_lines,
)
from app.domain.partner import MAX_EXTERNAL_ID_LENGTH, SyncStatus
from app.services import partner_mentors, partners

router = APIRouter(prefix="/v1/partners", tags=["partners"], responses=COMMON)
grants = APIRouter(prefix="/v1/organizations", tags=["partners"], responses=COMMON)

# external ids are the partner's own and may hold slashes, hence the path converter
ExternalIdPath = Annotated[str, Path(max_length=MAX_EXTERNAL_ID_LENGTH, description="the partner's id of the mentor")]
UpdatedSince = Annotated[
    AwareDatetime | None,
    Query(description="only mentors whose pool entry changed at or after this time (RFC 3339 with offset)"),
]


def _no_store(response: Response) -> None:
    """A response with a client secret must not be kept by any cache (RFC 6749 §5.1)."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"


@router.post("", operation_id="create_partner", status_code=status.HTTP_201_CREATED, responses=problems(409))
async def create_partner(
    body: PartnerIn, caller: CurrentCaller, uow: RequestUow, response: Response
) -> PartnerCredentialsOut:
    """Register a partner network (platform admins) and issue its OAuth client credentials.

    The client_secret is in this response only: Tandem stores a digest of it and cannot show it
    again (rotate it if it is lost). The name is unique, so a retried create answers 409.
    """
    issued = await partners.create_partner(uow, caller, name=body.name, allowed_scopes=frozenset(body.allowed_scopes))
    set_etag(response, issued.partner)
    _no_store(response)
    response.headers["Location"] = f"/v1/partners/{issued.partner.id}"
    return PartnerCredentialsOut.issued(issued)


@router.get("", operation_id="list_partners")
async def list_partners(caller: CurrentCaller, uow: RequestUow, paging: Paging) -> PartnerPage:
    """Platform admins see every partner; a partner token itself; org admins and program managers
    the partners their organization granted."""
    page = await partners.list_partners(uow, caller, paging)
    return PartnerPage.model_validate(page_out(page, PartnerOut))


@router.get("/{partner_id}", operation_id="get_partner")
async def get_partner(partner_id: UUID, caller: CurrentCaller, uow: RequestUow, response: Response) -> PartnerOut:
    """The partner (never its secret). Another partner, or one not granted to the caller's
    organization, is not found."""
    partner = await partners.get_partner(uow, caller, partner_id)
    set_etag(response, partner)
    return PartnerOut.of(partner)


@router.post("/{partner_id}/rotate-secret", operation_id="rotate_partner_secret", responses=problems(412))
async def rotate_partner_secret(
    partner_id: UUID, caller: CurrentCaller, uow: RequestUow, if_match: IfMatch, response: Response
) -> PartnerCredentialsOut:
    """Issue a new client secret (platform admins), shown once. The old one stops working at once,
    and so do the access tokens obtained with it: rotating is how a leaked secret is contained."""
    issued = await partners.rotate_partner_secret(uow, caller, partner_id, expected_version=if_match)
    set_etag(response, issued.partner)
    _no_store(response)
    return PartnerCredentialsOut.issued(issued)


_MENTORS_PATH = re.compile(r"^/v1/partners/[^/]+/mentors/?$")
# the answer is spooled to disk past this size: a stream's results never pile up in memory
_SPOOL_IN_MEMORY = 1 << 20


def is_ndjson(scope: Scope) -> bool:
    content_type: bytes = dict(scope.get("headers") or ()).get(b"content-type", b"")
    return content_type.split(b";")[0].strip().lower() == NDJSON.encode()


def is_mentor_stream(scope: Scope) -> bool:
    """A streamed pool sync: its body has no size limit but a limit per line (``MAX_LINE_BYTES``),
    which the route applies as it reads (for BodySizeLimitMiddleware, which runs before routing)."""
    return scope.get("method") == "PUT" and bool(_MENTORS_PATH.match(scope.get("path", ""))) and is_ndjson(scope)


class _ByContentType(APIRoute):
    """One of two routes of one method and path, chosen by the request's content type: the
    NDJSON sync streams its body, which FastAPI would read whole for a route with a body model."""

    ndjson: ClassVar[bool]

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child_scope = super().matches(scope)
        if match is Match.FULL and is_ndjson(scope) is not self.ndjson:
            return Match.NONE, {}
        return match, child_scope


class _JsonRoute(_ByContentType):
    ndjson = False


class _NdjsonRoute(_ByContentType):
    ndjson = True


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


async def sync_partner_mentors(
    partner_id: UUID, body: PartnerMentorBatchIn, caller: CurrentCaller, uow: RequestUow
) -> MentorSyncOut:
    """Insert or update the pool by external_id (partner token with scope mentors:sync).

    The body is a JSON batch ``{"items": [...]}`` of up to 1000 mentors, answered with one
    result per row: created, updated, unchanged, or error with the reasons. A bad row (not a
    digital native, a malformed field) fails alone. Each created or updated mentor becomes, or
    updates, a Person in every organization that granted the partner. A withdrawn mentor sent
    again is back in the pool.

    Or the body is NDJSON (``application/x-ndjson``): one mentor a line, any number of lines,
    each at most 65,536 bytes. It is written 1000 rows at a time, each in its own transaction, so
    a stream is not atomic as a whole: a failure leaves the chunks before it stored. Sending the
    stream again is safe, as a sync of equal rows changes nothing. A line that is no JSON is
    that row's error. The answer, once the whole body is read, is NDJSON too: one result a row
    (``MentorSyncResultOut``, indexes counted over the non-blank lines), then a last line with
    the counts (``MentorSyncEndOut``); an answer without that line was cut off.
    """
    report = await partner_mentors.sync_partner_mentors(uow, caller, partner_id, body.rows())
    return MentorSyncOut.of(report)


async def stream_partner_mentors(
    partner_id: UUID, caller: CurrentCaller, uow: RequestUow, request: Request
) -> Response:
    """The NDJSON form of ``sync_partner_mentors``, documented there (one operation)."""
    spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY)  # noqa: SIM115 - closed by _drain
    try:
        counts: Counter[SyncStatus] = Counter()
        rows = ndjson_rows(request.stream())
        async for results in partner_mentors.sync_partner_mentor_stream(uow, caller, partner_id, rows):
            spool.write(result_lines(results))
            counts.update(r.status for r in results)
        spool.write(end_line(counts) + b"\n")
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    # the answer starts once the body is read: a client that sends its whole body before it
    # reads (most do) would otherwise stall a long stream against a full socket buffer
    return StreamingResponse(_drain(spool), media_type=NDJSON)


async def _drain(spool: IO[bytes]) -> AsyncIterator[bytes]:
    try:
        while block := spool.read(1 << 16):
            yield block
    finally:
        spool.close()


def _end_line_schema() -> dict[str, Any]:
    schema = MentorSyncEndOut.model_json_schema(ref_template="#/components/schemas/{model}")
    schema.pop("$defs", None)  # SyncStatus is a component already
    return schema


_SYNC_DOC = {
    "requestBody": {"content": {NDJSON: {"schema": _ref("PartnerMentorIn")}}},
    "responses": {
        "200": {"content": {NDJSON: {"schema": {"oneOf": [_ref("MentorSyncResultOut"), _end_line_schema()]}}}}
    },
}
router.add_api_route(
    "/{partner_id}/mentors",
    sync_partner_mentors,
    methods=["PUT"],
    operation_id="sync_partner_mentors",
    openapi_extra=_SYNC_DOC,
    route_class_override=_JsonRoute,
)
router.add_api_route(
    "/{partner_id}/mentors",
    stream_partner_mentors,
    methods=["PUT"],
    operation_id="stream_partner_mentors",
    include_in_schema=False,
    route_class_override=_NdjsonRoute,
)


@router.get("/{partner_id}/mentors", operation_id="list_partner_mentors")
async def list_partner_mentors(
    partner_id: UUID, caller: CurrentCaller, uow: RequestUow, paging: Paging, updated_since: UpdatedSince = None
) -> PartnerMentorPage:
    """The pool with what happened to each mentor in the granting organizations (partner token
    with scope mentors:read, or a platform admin).

    Ordered by last change, so an incremental sync passes the newest updated_at it saw as
    ``updated_since`` next time. Withdrawn mentors are listed with withdrawn_at.
    """
    page = await partner_mentors.list_partner_mentors(uow, caller, partner_id, paging, updated_since=updated_since)
    return PartnerMentorPage.model_validate(page_out(page, PartnerMentorOut))


@router.get("/{partner_id}/mentors/{external_id:path}", operation_id="get_partner_mentor")
async def get_partner_mentor(
    partner_id: UUID, external_id: ExternalIdPath, caller: CurrentCaller, uow: RequestUow, response: Response
) -> PartnerMentorOut:
    view = await partner_mentors.get_partner_mentor(uow, caller, partner_id, external_id)
    set_etag(response, view.mentor)
    return PartnerMentorOut.of(view)


@router.delete(
    "/{partner_id}/mentors/{external_id:path}", operation_id="withdraw_partner_mentor", responses=problems(412)
)
async def withdraw_partner_mentor(
    partner_id: UUID,
    external_id: ExternalIdPath,
    caller: CurrentCaller,
    uow: RequestUow,
    if_match: IfMatch,
    response: Response,
) -> PartnerMentorOut:
    """Withdraw a mentor from the pool (scope mentors:sync): answers 200 with the mentor.

    Their Persons in the organizations stay (with any tandems) but no longer follow the pool.
    Withdrawing again changes nothing.
    """
    view = await partner_mentors.withdraw_partner_mentor(
        uow, caller, partner_id, external_id, expected_version=if_match
    )
    set_etag(response, view.mentor)
    return PartnerMentorOut.of(view)


@grants.post(
    "/{org_id}/partners/{partner_id}",
    operation_id="grant_partner_access",
    status_code=status.HTTP_201_CREATED,
    responses={200: {"model": PartnerGrantOut, "description": "The organization had already granted the partner"}},
)
async def grant_partner_access(
    org_id: UUID, partner_id: UUID, caller: CurrentCaller, uow: RequestUow, response: Response
) -> PartnerGrantOut:
    """Let the partner supply mentors to the organization's programs (org admins): 201 the first
    time, 200 after. Every mentor of the partner's pool becomes a Person of the organization."""
    result = await partners.grant_partner_access(uow, caller, org_id, partner_id)
    response.headers["Location"] = f"/v1/organizations/{org_id}/partners/{partner_id}"
    if not result.created:
        response.status_code = status.HTTP_200_OK
    return PartnerGrantOut.of(result)


@grants.get("/{org_id}/partners/{partner_id}", operation_id="get_partner_grant")
async def get_partner_grant(org_id: UUID, partner_id: UUID, caller: CurrentCaller, uow: RequestUow) -> PartnerGrantOut:
    """Whether (and since when) the organization grants the partner; 404 when it does not."""
    return PartnerGrantOut.of(await partners.get_partner_grant(uow, caller, org_id, partner_id))


@grants.delete(
    "/{org_id}/partners/{partner_id}", operation_id="revoke_partner_access", status_code=status.HTTP_204_NO_CONTENT
)
async def revoke_partner_access(org_id: UUID, partner_id: UUID, caller: CurrentCaller, uow: RequestUow) -> Response:
    """End the grant (org admins). The organization keeps the partner's Persons and their tandems;
    they stop following the pool, and the partner no longer sees what happens to them."""
    await partners.revoke_partner_access(uow, caller, org_id, partner_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
