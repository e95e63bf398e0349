"""Use cases for a partner's mentor pool: bulk sync by external id, reading it back with what
happened to each mentor in the granting organizations, and withdrawing mentors.

Each organization that granted the partner gets a Person per pool mentor (``source`` partner);
a sync that changes a mentor updates those Persons in the same transaction.

A sync comes as one batch (one transaction) or as a stream of any length, written a chunk of
``MAX_BATCH`` rows at a time, each chunk in its own transaction: a stream is not atomic as a
whole, and sending it again is safe, as a sync of equal rows changes nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterable, AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from app.domain.access import Caller, Scope
from app.domain.errors import RuleViolation
from app.domain.partner import PROFILE_FIELDS, PartnerMentor, Placement, SyncStatus, validate_external_id
from app.services import authz
from app.services.pagination import Page, PageRequest
from app.services.ports import UnitOfWork

MAX_BATCH = 1000


@dataclass(frozen=True, slots=True)
class RowError:
    field: str
    message: str
    code: str


@dataclass(frozen=True, slots=True)
class RejectedRow:
    """A row the adapter could not read (wrong types, unknown fields): reported, never stored."""

    external_id: str | None
    errors: tuple[RowError, ...]


MentorRow = Mapping[str, Any] | RejectedRow  # a profile as PartnerMentor takes it, or why it is unreadable


@dataclass(frozen=True, slots=True)
class RowResult:
    index: int  # position in the batch, for rows without a readable external_id
    external_id: str | None
    status: SyncStatus
    errors: tuple[RowError, ...] = ()


@dataclass(frozen=True, slots=True)
class SyncReport:
    results: list[RowResult]

    @property
    def counts(self) -> dict[SyncStatus, int]:
        seen = Counter(r.status for r in self.results)
        return {status: seen[status] for status in SyncStatus}


@dataclass(frozen=True, slots=True)
class MentorView:
    """A pool mentor and their Persons in the organizations that grant the partner."""

    mentor: PartnerMentor
    placements: tuple[Placement, ...]

    @property
    def enrolled(self) -> bool:
        return any(p.active_enrollments for p in self.placements)

    @property
    def matched(self) -> bool:
        return any(p.matched_tandems for p in self.placements)


async def sync_partner_mentors(
    uow: UnitOfWork, caller: Caller, partner_id: UUID, rows: Sequence[MentorRow]
) -> SyncReport:
    """Insert or update mentors by external_id. Each row succeeds or fails on its own.

    A row equal to the stored mentor is ``unchanged``; a withdrawn mentor sent again is back in
    the pool (``updated``). Of two rows with one external_id, the first counts.
    """
    authz.require_partner(caller, partner_id, Scope.MENTORS_SYNC)
    if len(rows) > MAX_BATCH:
        raise RuleViolation(f"a batch holds at most {MAX_BATCH} rows", code="batch_too_large", field="items")
    return SyncReport(await _sync_chunk(uow, partner_id, rows, 0))


async def sync_partner_mentor_stream(
    uow: UnitOfWork, caller: Caller, partner_id: UUID, rows: AsyncIterable[MentorRow], *, chunk: int = MAX_BATCH
) -> AsyncIterator[list[RowResult]]:
    """``sync_partner_mentors`` over a stream of any length: the results of each chunk of
    ``chunk`` rows once it is committed, with indexes counted from the stream's start.

    Only one chunk is held at a time, so memory does not grow with the stream. Of two rows with
    one external_id in a chunk the first counts; in different chunks, the later is a later sync.
    The caller and the partner are checked before the first row is read.
    """
    authz.require_partner(caller, partner_id, Scope.MENTORS_SYNC)
    async with uow:
        authz.found(await uow.partners.get(partner_id), "partner")
    pending: list[MentorRow] = []
    offset = 0
    async for row in rows:
        pending.append(row)
        if len(pending) == chunk:
            yield await _sync_chunk(uow, partner_id, pending, offset)
            offset, pending = offset + len(pending), []
    if pending:
        yield await _sync_chunk(uow, partner_id, pending, offset)


async def _sync_chunk(uow: UnitOfWork, partner_id: UUID, rows: Sequence[MentorRow], offset: int) -> list[RowResult]:
    """One transaction: read the stored mentors of the rows at once (locked), write the rows in
    one upsert that skips the equal ones, then project the changed ones into the granting
    organizations. ``offset`` is the index of the first row."""
    results: list[RowResult | None] = [None] * len(rows)
    valid: dict[str, tuple[int, PartnerMentor]] = {}
    for position, row in enumerate(rows):
        read = _read_row(partner_id, offset + position, row)
        if isinstance(read, RowResult):
            results[position] = read
        elif read.external_id in valid:
            error = RowError("external_id", "the batch names this external_id twice", "duplicate_external_id")
            results[position] = RowResult(offset + position, read.external_id, SyncStatus.ERROR, (error,))
        else:
            valid[read.external_id] = (position, read)
    mentors = [mentor for _, mentor in valid.values()]
    async with uow:
        # shared on the partner: syncs run side by side, a grant being made waits for them
        authz.found(await uow.partners.get(partner_id, lock="share"), "partner")
        outcome = await uow.partner_mentors.sync(partner_id, mentors)
        changed = [mentor for mentor in mentors if outcome[mentor.external_id][0] is not SyncStatus.UNCHANGED]
        for mentor in changed:  # partner_mentor.upserted for the created and the changed
            mentor.synced(*outcome[mentor.external_id])
        if changed:  # an identical re-sync leaves the organizations' Persons alone, unread
            await project(uow, await uow.partners.granting_orgs(partner_id), changed)
        await uow.commit()
    for external_id, (position, _) in valid.items():
        results[position] = RowResult(offset + position, external_id, outcome[external_id][0])
    return [result for result in results if result is not None]


async def list_partner_mentors(
    uow: UnitOfWork,
    caller: Caller,
    partner_id: UUID,
    request: PageRequest,
    *,
    updated_since: datetime | None = None,
) -> Page[MentorView]:
    """The pool, least recently changed first (withdrawn mentors included, marked as such).

    ``updated_since`` keeps mentors whose pool row changed at or after that time. What happened to
    them in the organizations is reported as of now; it does not count as a change of the row.
    """
    _require_reader(caller, partner_id)
    async with uow:
        authz.found(await uow.partners.get(partner_id), "partner")
        page = await uow.partner_mentors.page(partner_id, request, updated_since=updated_since)
        placements = await uow.partner_mentors.placements(partner_id, [m.external_id for m in page.items])
    views = [MentorView(m, tuple(placements.get(m.external_id, ()))) for m in page.items]
    return Page(items=views, next_cursor=page.next_cursor)


async def get_partner_mentor(uow: UnitOfWork, caller: Caller, partner_id: UUID, external_id: str) -> MentorView:
    _require_reader(caller, partner_id)
    external_id = validate_external_id(external_id)
    async with uow:
        mentor = authz.found(await uow.partner_mentors.get(partner_id, external_id), "partner_mentor")
        placements = await uow.partner_mentors.placements(partner_id, [external_id])
    return MentorView(mentor, tuple(placements.get(external_id, ())))


async def withdraw_partner_mentor(
    uow: UnitOfWork, caller: Caller, partner_id: UUID, external_id: str, *, expected_version: int | None = None
) -> MentorView:
    """Take a mentor out of the pool; withdrawing again changes nothing.

    The Persons in granting organizations stay as they are (they may be in running tandems, which
    are the organization's to end); they no longer follow the pool until the mentor is synced again.
    """
    authz.require_partner(caller, partner_id, Scope.MENTORS_SYNC)
    external_id = validate_external_id(external_id)
    async with uow:
        mentor = authz.found(await uow.partner_mentors.get(partner_id, external_id, for_update=True), "partner_mentor")
        authz.check_version(mentor, expected_version)
        if mentor.withdraw():
            await uow.partner_mentors.save(mentor)
        placements = await uow.partner_mentors.placements(partner_id, [external_id])
        await uow.commit()
    return MentorView(mentor, tuple(placements.get(external_id, ())))


async def project(uow: UnitOfWork, org_ids: Sequence[UUID], mentors: Sequence[PartnerMentor]) -> None:
    """Give each mentor a Person in each organization (created, or updated to the pool's profile).

    An email the organization already uses for someone else is left off that Person: the
    organization's people keep unique emails, and the mentor still joins.
    """
    if not org_ids or not mentors:
        return
    people = [mentor.as_person(org_id) for org_id in org_ids for mentor in mentors]
    emails = sorted({person.email for person in people if person.email})
    holders = dict(await uow.partner_mentors.email_owners(org_ids, emails))
    for person in people:
        if person.email is None:
            continue
        me = (person.partner_id, person.external_id)
        if holders.setdefault((person.org_id, person.email), me) != me:
            person.email = None
    await uow.partner_mentors.project(people)


def _read_row(partner_id: UUID, index: int, row: MentorRow) -> PartnerMentor | RowResult:
    """The row as a mentor of the pool, or its error result (the domain's rules decide)."""
    if isinstance(row, RejectedRow):
        return RowResult(index, row.external_id, SyncStatus.ERROR, row.errors)
    external_id = row.get("external_id")
    external_id = external_id if isinstance(external_id, str) else None
    unknown = sorted(set(row) - set(PROFILE_FIELDS))  # identity and withdrawal are not the row's to set
    if unknown:
        error = RowError(unknown[0], f"not a profile field: {', '.join(unknown)}", "not_editable")
        return RowResult(index, external_id, SyncStatus.ERROR, (error,))
    try:
        return PartnerMentor(partner_id=partner_id, **row)
    except RuleViolation as exc:
        error = RowError(exc.field or "", exc.detail, exc.code)
        return RowResult(index, external_id, SyncStatus.ERROR, (error,))


def _require_reader(caller: Caller, partner_id: UUID) -> None:
    """The partner itself (scope mentors:read) or a platform admin reads the pool."""
    if not caller.is_platform_admin:
        authz.require_partner(caller, partner_id, Scope.MENTORS_READ)
