"""Partner networks, their client credentials, organizations' grants, and the mentor pool."""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator
from datetime import datetime
from typing import Annotated, Any, Self
from uuid import UUID

from pydantic import (
    BaseModel,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)

from app.api.schemas.base import Body, PageOut, Resource
from app.api.schemas.people import (
    Bio,
    BirthYear,
    City,
    DisplayName,
    Email,
    Formats,
    Interests,
    Languages,
    TimeZone,
)
from app.domain.access import Scope
from app.domain.generations import Generation
from app.domain.partner import MAX_EXTERNAL_ID_LENGTH, MentorStage, Partner, Placement, SyncStatus
from app.domain.values import MeetingFormat
from app.services.partner_mentors import (
    MAX_BATCH,
    MentorRow,
    MentorView,
    RejectedRow,
    RowError,
    RowResult,
    SyncReport,
)
from app.services.partners import GrantResult, IssuedCredentials

PartnerName = Annotated[str, StringConstraints(min_length=1, max_length=200)]
ExternalId = Annotated[str, StringConstraints(min_length=1, max_length=MAX_EXTERNAL_ID_LENGTH)]


class PartnerIn(Body):
    name: PartnerName = Field(description="unique among partner networks")
    allowed_scopes: list[Scope] = Field(
        default_factory=lambda: list(Scope),
        min_length=1,
        description="what the partner's tokens may be granted; both by default",
    )


class PartnerOut(Resource):
    name: str
    client_id: str = Field(description="the OAuth client id for POST /oauth/token (client_credentials)")
    allowed_scopes: list[Scope]

    @classmethod
    def of(cls, p: Partner) -> Self:
        return cls(
            id=p.id,
            name=p.name,
            client_id=p.client_id,
            allowed_scopes=sorted(p.allowed_scopes),
            created_at=p.created_at,
            updated_at=p.updated_at,
        )


class PartnerCredentialsOut(PartnerOut):
    """The partner with its client secret: shown in this response only, never again."""

    client_secret: str = Field(description="store it now: Tandem keeps only a digest and cannot show it again")

    @classmethod
    def issued(cls, issued: IssuedCredentials) -> Self:
        return cls(**PartnerOut.of(issued.partner).model_dump(), client_secret=issued.client_secret)


class PartnerPage(PageOut[PartnerOut]):
    pass


class PartnerGrantOut(BaseModel):
    org_id: UUID
    partner_id: UUID
    partner_name: str
    granted_by: UUID | None = Field(description="the user who granted access")
    created_at: datetime

    @classmethod
    def of(cls, result: GrantResult) -> Self:
        g = result.grant
        return cls(
            org_id=g.org_id,
            partner_id=g.partner_id,
            partner_name=result.partner.name,
            granted_by=g.granted_by,
            created_at=g.created_at,
        )


class PartnerMentorIn(Body):
    """One mentor of the pool, keyed by the partner's own id. Mentors are digital natives (born 1981+)."""

    external_id: ExternalId = Field(description="the partner's own id of the mentor")
    display_name: DisplayName
    email: Email | None = None
    birth_year: BirthYear
    bio: Bio = ""
    interests: Interests = Field(default_factory=list)
    languages: Languages = Field(default_factory=lambda: ["en"])
    city: City | None = None
    timezone: TimeZone = Field(default="UTC", description="IANA time zone, e.g. Europe/Berlin")
    preferred_formats: Formats = Field(default_factory=list)

    def profile(self) -> dict[str, Any]:
        return {k: tuple(v) if isinstance(v, list) else v for k, v in self.model_dump().items()}


NDJSON = "application/x-ndjson"
# a streamed sync bounds each line instead of the body: far more than any mentor's profile
MAX_LINE_BYTES = 65_536


def _row_or_rejection(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """A row that does not validate becomes a RejectedRow instead of failing the whole batch."""
    try:
        return handler(value)
    except ValidationError as exc:
        external_id = value.get("external_id") if isinstance(value, dict) else None
        errors = tuple(
            RowError(".".join(str(p) for p in err["loc"]) or "row", err["msg"], err["type"]) for err in exc.errors()
        )
        return RejectedRow(external_id if isinstance(external_id, str) else None, errors)


# documented as PartnerMentorIn; at run time a row that breaks it arrives as a RejectedRow
MentorRowIn = Annotated[PartnerMentorIn, WrapValidator(_row_or_rejection)]


class PartnerMentorBatchIn(Body):
    nul_checked_in_parts = True

    items: list[MentorRowIn] = Field(
        max_length=MAX_BATCH, description=f"up to {MAX_BATCH} mentors; each row succeeds or fails on its own"
    )

    def rows(self) -> list[dict[str, Any] | RejectedRow]:
        rows: list[PartnerMentorIn | RejectedRow] = list(self.items)
        return [row if isinstance(row, RejectedRow) else row.profile() for row in rows]


_ROW = TypeAdapter(MentorRowIn)


def _line_row(number: int, line: bytes | None) -> MentorRow:
    """One line of a streamed sync as a row: a profile, or a RejectedRow saying why not."""
    if line is None:
        error = RowError("row", f"line {number} is longer than {MAX_LINE_BYTES} bytes", "line_too_long")
        return RejectedRow(None, (error,))
    try:
        row: PartnerMentorIn | RejectedRow = _ROW.validate_json(line)
    except ValidationError:  # not JSON (or not UTF-8): the row has nothing to read
        return RejectedRow(None, (RowError("row", f"line {number} is not JSON", "json_invalid"),))
    return row if isinstance(row, RejectedRow) else row.profile()


async def ndjson_rows(body: AsyncIterable[bytes]) -> AsyncIterator[MentorRow]:
    """The rows of an NDJSON body as it arrives, one a line; blank lines are skipped.

    At most one line is held at a time: a line over ``MAX_LINE_BYTES`` is not kept but skipped
    to its end, and becomes that row's error (``line_too_long``), as a line that is no JSON does.
    """
    number = 0
    async for line in _lines(body):
        number += 1
        if line is None or line.strip():
            yield _line_row(number, line)


async def _lines(body: AsyncIterable[bytes]) -> AsyncIterator[bytes | None]:
    """Split the body at newlines; None stands for a line over MAX_LINE_BYTES."""
    held = bytearray()
    too_long = False
    async for chunk in body:
        start = 0
        while (end := chunk.find(b"\n", start)) >= 0:
            if too_long or len(held) + end - start > MAX_LINE_BYTES:
                yield None
            else:
                held += chunk[start:end]
                yield bytes(held)
            held.clear()
            too_long = False
            start = end + 1
        if not too_long:
            held += chunk[start:]
            if len(held) > MAX_LINE_BYTES:  # drop it now rather than hold it to its end
                held.clear()
                too_long = True
    if too_long:
        yield None
    elif held:
        yield bytes(held)


class RowErrorOut(BaseModel):
    field: str = Field(description="the offending field of the row, e.g. birth_year")
    message: str
    code: str = Field(description="stable, machine-readable error code, e.g. not_a_digital_native")


class MentorSyncResultOut(BaseModel):
    index: int = Field(description="position of the row in the batch")
    external_id: str | None
    status: SyncStatus
    errors: list[RowErrorOut] = Field(description="why the row failed; empty unless status is error")

    @classmethod
    def of(cls, r: RowResult) -> Self:
        errors = [RowErrorOut(field=e.field, message=e.message, code=e.code) for e in r.errors]
        return cls(index=r.index, external_id=r.external_id, status=r.status, errors=errors)


class MentorSyncOut(BaseModel):
    items: list[MentorSyncResultOut] = Field(description="one result per row, in the batch's order")
    counts: dict[SyncStatus, int]

    @classmethod
    def of(cls, report: SyncReport) -> Self:
        return cls(items=[MentorSyncResultOut.of(r) for r in report.results], counts=report.counts)


class MentorSyncEndOut(BaseModel):
    """The last line of a streamed sync's answer: what the whole stream did. An answer without
    it was cut off; sending the stream again is safe."""

    counts: dict[SyncStatus, int]


def result_lines(results: list[RowResult]) -> bytes:
    """Rows' results as NDJSON lines, as a streamed sync answers them."""
    return b"".join(MentorSyncResultOut.of(r).model_dump_json().encode() + b"\n" for r in results)


def end_line(counts: dict[SyncStatus, int]) -> bytes:
    return MentorSyncEndOut(counts={status: counts.get(status, 0) for status in SyncStatus}).model_dump_json().encode()


class PlacementOut(BaseModel):
    """The mentor's profile in one organization that grants the partner, and how far they got there."""

    org_id: UUID
    organization_name: str
    person_id: UUID
    stage: MentorStage = Field(description="available, enrolled, proposed (a tandem awaits both sides) or matched")
    active_enrollments: int
    proposed_tandems: int
    matched_tandems: int = Field(description="tandems both sides accepted: active, paused or completed")

    @classmethod
    def of(cls, p: Placement) -> Self:
        return cls(
            org_id=p.org_id,
            organization_name=p.organization_name,
            person_id=p.person_id,
            stage=p.stage,
            active_enrollments=p.active_enrollments,
            proposed_tandems=p.proposed_tandems,
            matched_tandems=p.matched_tandems,
        )


class PartnerMentorOut(Resource):
    partner_id: UUID
    external_id: str
    display_name: str
    email: str | None
    birth_year: int
    generation: Generation = Field(description="derived from birth_year")
    bio: str
    interests: list[str]
    languages: list[str]
    city: str | None
    timezone: str
    preferred_formats: list[MeetingFormat]
    withdrawn_at: datetime | None = Field(description="set while the mentor is withdrawn from the pool")
    enrolled: bool = Field(description="enrolled in a program of any granting organization")
    matched: bool = Field(description="in an accepted tandem in any granting organization")
    placements: list[PlacementOut]

    @classmethod
    def of(cls, view: MentorView) -> Self:
        m = view.mentor
        return cls(
            id=m.id,
            partner_id=m.partner_id,
            external_id=m.external_id,
            display_name=m.display_name,
            email=m.email,
            birth_year=m.birth_year,
            generation=m.generation,
            bio=m.bio,
            interests=list(m.interests),
            languages=list(m.languages),
            city=m.city,
            timezone=m.timezone,
            preferred_formats=list(m.preferred_formats),
            withdrawn_at=m.withdrawn_at,
            enrolled=view.enrolled,
            matched=view.matched,
            placements=[PlacementOut.of(p) for p in view.placements],
            created_at=m.created_at,
            updated_at=m.updated_at,
        )


class PartnerMentorPage(PageOut[PartnerMentorOut]):
    pass
