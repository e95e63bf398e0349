"""Repositories of partner networks, their grants, and their mentor pools.

Syncs write with ``INSERT … ON CONFLICT`` on the unique keys, so two syncs of one mentor racing
each other end in one row (the later waits for the earlier and then updates or leaves it).

A sync chunk of 1,000 mentors is a handful of statements of constant text: the rows travel as
one array parameter per column (``bulk.rows_select``), not as a VALUES list of 16,000 bind
parameters, whose compilation alone took longer than PostgreSQL needed to run it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    Label,
    Text,
    and_,
    delete,
    func,
    literal_column,
    or_,
    select,
    text,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.enrollment import EnrollmentStatus
from app.domain.partner import (
    PROFILE_FIELDS,
    SYNCED_FIELDS,
    Partner,
    PartnerGrant,
    PartnerMentor,
    Placement,
    SyncStatus,
)
from app.domain.person import Person
from app.domain.placement import PoolMentorRef
from app.domain.tandem import MATCHED_STATUSES, TandemStatus
from app.infra.db import mapping as m
from app.infra.db import tables as tb
from app.infra.db.base import table_of
from app.infra.db.bulk import one_of, rows_select
from app.infra.db.repository import Repository
from app.services.pagination import Cursor, Page, PageRequest

MATCHED = tuple(status.value for status in MATCHED_STATUSES)
# what a sync changes on a partner Person; the organization's own additions (department,
# seniority, availability) and erasure are left alone
PERSON_SYNCED = (*(f for f in PROFILE_FIELDS if f != "external_id"), "source")


def _upsert(table: Any, rows: Sequence[Mapping[str, Any]]) -> Any:
    """``INSERT INTO table (…) SELECT unnest(…), …``, to which the caller adds its ON CONFLICT."""
    return pg_insert(table).from_select(list(rows[0]), rows_select(table, rows))


def pool_mentor_column(person_id: Any, label: str) -> Label[Any]:
    """The pool mentor the Person ``person_id`` is, as ``{partner_id, mentor_id, external_id}``,
    while the Person's organization grants the partner (else NULL; an erased Person is nobody's).

    Enrollments and tandems are read with it, so that a pool mentor's placements address the
    partner's events; a revoked grant hides what happens there, as it does in ``placements``.
    """
    p, g, pm = table_of(tb.PersonRow), tb.partner_grants, tb.partner_mentors
    ref = func.jsonb_build_object(
        "partner_id", pm.c.partner_id, "mentor_id", pm.c.id, "external_id", pm.c.external_id, type_=JSONB
    )
    found = (
        select(ref)
        .select_from(p)
        .join(g, and_(g.c.org_id == p.c.org_id, g.c.partner_id == p.c.partner_id))
        .join(pm, and_(pm.c.partner_id == p.c.partner_id, pm.c.external_id == p.c.external_id))
        .where(p.c.id == person_id, p.c.erased_at.is_(None))
    )
    return found.scalar_subquery().label(label)


async def touch_pool_mentors(db: AsyncSession, mentor_ids: Sequence[UUID], at: datetime) -> None:
    """Move pool mentors whose placement changed to ``at`` in the partner's ``updated_since``
    listing. Their version (the ETag of the partner's own writes) stays.

    Rows are locked in the order syncs lock them (partner, external_id): no deadlock with a sync.
    """
    if not mentor_ids:
        return
    pm = tb.partner_mentors
    locked = (
        select(pm.c.id)
        .where(pm.c.id.in_(list(mentor_ids)))
        .order_by(pm.c.partner_id, pm.c.external_id)
        .with_for_update()
    )
    ids = list((await db.execute(locked)).scalars())
    later = func.greatest(pm.c.updated_at, at)
    await db.execute(update(pm).where(pm.c.id.in_(ids)).values(updated_at=later))


def _changed(table: Any, columns: Sequence[str]) -> ColumnElement[bool]:
    """Whether the proposed row (``excluded``) differs from the stored one in any of ``columns``."""
    stored = tuple_(*(table.c[c] for c in columns))
    proposed = tuple_(*(literal_column(f"excluded.{c}") for c in columns))
    return stored.is_distinct_from(proposed)


class PartnerRepository(Repository[Partner]):
    table = tb.PartnerRow
    to_domain = staticmethod(m.partner_to_domain)
    to_row = staticmethod(m.partner_to_row)

    async def get(self, partner_id: UUID, *, lock: Literal["share", "update"] | None = None) -> Partner | None:
        stmt = select(self.t).where(self.t.c.id == partner_id)
        if lock is not None:
            stmt = stmt.with_for_update(read=lock == "share")
        found = await self._all(stmt)
        return found[0] if found else None

    async def get_by_client_id(self, client_id: str) -> Partner | None:
        return await self._one(self.t.c.client_id == client_id)

    async def page(self, request: PageRequest, *, granted_by_org: UUID | None = None) -> Page[Partner]:
        if granted_by_org is None:
            return await self._page(request)
        g = tb.partner_grants
        granted = select(g.c.partner_id).where(g.c.org_id == granted_by_org)
        return await self._page(request, self.t.c.id.in_(granted))

    async def add_grant(self, grant: PartnerGrant) -> bool:
        stmt = pg_insert(tb.partner_grants).values(m.partner_grant_to_row(grant)).on_conflict_do_nothing()
        inserted = await self.db.execute(stmt.returning(tb.partner_grants.c.org_id))
        return inserted.first() is not None

    async def get_grant(self, org_id: UUID, partner_id: UUID) -> PartnerGrant | None:
        g = tb.partner_grants
        stmt = select(g).where(g.c.org_id == org_id, g.c.partner_id == partner_id)
        row = (await self.db.execute(stmt)).mappings().first()
        return m.partner_grant_to_domain(dict(row)) if row else None

    async def remove_grant(self, org_id: UUID, partner_id: UUID) -> bool:
        g = tb.partner_grants
        stmt = delete(g).where(g.c.org_id == org_id, g.c.partner_id == partner_id).returning(g.c.org_id)
        return (await self.db.execute(stmt)).first() is not None

    async def granting_orgs(self, partner_id: UUID) -> list[UUID]:
        g = tb.partner_grants
        stmt = select(g.c.org_id).where(g.c.partner_id == partner_id).order_by(g.c.org_id)
        return list((await self.db.execute(stmt)).scalars())


class PartnerMentorRepository(Repository[PartnerMentor]):
    table = tb.PartnerMentorRow
    to_domain = staticmethod(m.partner_mentor_to_domain)
    to_row = staticmethod(m.partner_mentor_to_row)

    # the profile (the key aside), and a withdrawn mentor synced again is back in the pool
    SYNCED = SYNCED_FIELDS

    async def sync(
        self, partner_id: UUID, mentors: Sequence[PartnerMentor]
    ) -> dict[str, tuple[SyncStatus, PartnerMentor | None]]:
        """Two statements for any number of mentors: lock the stored rows of their ids (one
        ``SELECT … FOR UPDATE``), then insert the new and update the changed (one ``INSERT …
        ON CONFLICT … DO UPDATE … WHERE`` distinct, returning what it wrote). A mentor equal to
        its stored row is not sent at all, so an identical re-sync writes nothing.

        Stored rows are compared as read, and only those replaced become domain objects.
        """
        if not mentors:
            return {}
        t = self.t
        # one order for every writer: two syncs of overlapping batches cannot deadlock
        ordered = sorted(mentors, key=lambda mentor: mentor.external_id)
        rows = {mentor.external_id: m.partner_mentor_to_row(mentor) for mentor in ordered}
        locked = (
            select(t)
            .where(t.c.partner_id == partner_id, t.c.external_id.in_(one_of(list(rows), Text)))
            .order_by(t.c.external_id)
            .with_for_update()
        )
        stored = {row["external_id"]: row for row in (await self.db.execute(locked)).mappings()}
        outcome: dict[str, tuple[SyncStatus, PartnerMentor | None]] = {}
        changed = []
        for external_id, row in rows.items():
            before = stored.get(external_id)
            if before is not None and all(before[c] == row[c] for c in self.SYNCED):
                outcome[external_id] = (SyncStatus.UNCHANGED, None)
            else:
                changed.append(row)
        if not changed:
            return outcome
        stmt = _upsert(t, changed)
        stmt = stmt.on_conflict_do_update(
            index_elements=["partner_id", "external_id"],
            set_={
                **{c: stmt.excluded[c] for c in self.SYNCED},
                "updated_at": stmt.excluded.updated_at,
                "version": t.c.version + 1,
            },
            # a row another sync stored since the lock was taken is written only if it differs
            where=_changed(t, self.SYNCED),
        )
        # xmax = 0 tells an inserted row from an updated one
        returning = stmt.returning(
            t.c.external_id, t.c.id, t.c.version, t.c.created_at, literal_column("(xmax = 0)").label("inserted")
        )
        by_external_id = {mentor.external_id: mentor for mentor in ordered}
        written = (await self.db.execute(returning)).all()
        for external_id, mentor_id, version, created_at, inserted in written:
            mentor = by_external_id[external_id]
            mentor.id, mentor.version, mentor.created_at = mentor_id, version, created_at
            before = stored.get(external_id)
            status = SyncStatus.CREATED if inserted else SyncStatus.UPDATED
            outcome[external_id] = (status, None if before is None else m.partner_mentor_to_domain(dict(before)))
            self._touched.append(mentor)  # its events (``PartnerMentor.synced``) go out on commit
        for row in changed:  # sent but not written: another sync had stored the same meanwhile
            outcome.setdefault(row["external_id"], (SyncStatus.UNCHANGED, None))
        return outcome

    async def get(self, partner_id: UUID, external_id: str, *, for_update: bool = False) -> PartnerMentor | None:
        return await self._one(
            self.t.c.partner_id == partner_id, self.t.c.external_id == external_id, for_update=for_update
        )

    async def page(
        self, partner_id: UUID, request: PageRequest, *, updated_since: datetime | None = None
    ) -> Page[PartnerMentor]:
        """Keyset on (updated_at, id); the opaque cursor carries updated_at in its timestamp."""
        t = self.t
        stmt = select(t).where(t.c.partner_id == partner_id)
        if updated_since is not None:
            stmt = stmt.where(t.c.updated_at >= updated_since)
        if request.after is not None:
            after = request.after
            stmt = stmt.where(
                or_(t.c.updated_at > after.created_at, and_(t.c.updated_at == after.created_at, t.c.id > after.id))
            )
        items = await self._all(stmt.order_by(t.c.updated_at, t.c.id).limit(request.limit + 1))
        more = len(items) > request.limit
        items = items[: request.limit]
        last = items[-1] if items and more else None
        return Page(items=items, next_cursor=Cursor(last.updated_at, last.id) if last else None)

    async def active(self, partner_id: UUID) -> list[PartnerMentor]:
        t = self.t
        stmt = select(t).where(t.c.partner_id == partner_id, t.c.withdrawn_at.is_(None))
        return await self._all(stmt.order_by(t.c.external_id))

    async def placements(self, partner_id: UUID, external_ids: Sequence[str]) -> dict[str, list[Placement]]:
        if not external_ids:
            return {}
        p, g, o = table_of(tb.PersonRow), tb.partner_grants, table_of(tb.OrganizationRow)
        e, td = table_of(tb.EnrollmentRow), tb.tandems
        in_tandem = or_(td.c.mentor_person_id == p.c.id, td.c.mentee_person_id == p.c.id)
        enrolled = select(func.count()).where(e.c.person_id == p.c.id, e.c.status == EnrollmentStatus.ACTIVE.value)
        proposed = select(func.count()).where(in_tandem, td.c.status == TandemStatus.PROPOSED.value)
        matched = select(func.count()).where(in_tandem, td.c.status.in_(MATCHED))
        stmt = (
            select(
                p.c.external_id,
                p.c.org_id,
                o.c.name,
                p.c.id,
                enrolled.scalar_subquery(),
                proposed.scalar_subquery(),
                matched.scalar_subquery(),
            )
            # only organizations that grant the partner now: a revoked grant hides what happens there
            .join(g, and_(g.c.org_id == p.c.org_id, g.c.partner_id == p.c.partner_id))
            .join(o, o.c.id == p.c.org_id)
            .where(p.c.partner_id == partner_id, p.c.external_id.in_(list(external_ids)))
            .order_by(p.c.external_id, o.c.name, p.c.org_id)
        )
        out: dict[str, list[Placement]] = {}
        for external_id, org_id, org_name, person_id, *counts in (await self.db.execute(stmt)).all():
            out.setdefault(external_id, []).append(Placement(org_id, org_name, person_id, *counts))
        return out

    async def pool_mentor_of(self, person_id: UUID) -> PoolMentorRef | None:
        found = await self.db.execute(select(pool_mentor_column(person_id, "pool_mentor")))
        return m.pool_mentor_ref(found.scalar_one())

    async def email_owners(
        self, org_ids: Sequence[UUID], emails: Sequence[str]
    ) -> dict[tuple[UUID, str], tuple[UUID | None, str | None]]:
        if not org_ids or not emails:
            return {}
        p = table_of(tb.PersonRow)
        stmt = select(p.c.org_id, p.c.email, p.c.partner_id, p.c.external_id).where(
            p.c.org_id.in_(list(org_ids)), p.c.email.in_(one_of(emails, Text))
        )
        return {(row[0], row[1]): (row[2], row[3]) for row in (await self.db.execute(stmt)).all()}

    async def project(self, people: Sequence[Person]) -> None:
        """Upsert on the partial unique index of partner Persons; org-side fields stay untouched.

        The organization's own additions (department, availability) survive a re-sync, and an
        equal profile is not rewritten (its version, the ETag, stays).
        """
        if not people:
            return
        p = table_of(tb.PersonRow)
        ordered = sorted(
            people, key=lambda person: (str(person.partner_id), person.external_id or "", str(person.org_id))
        )
        stmt = _upsert(p, [m.person_to_row(person) for person in ordered])
        stmt = stmt.on_conflict_do_update(
            index_elements=["partner_id", "external_id", "org_id"],
            index_where=text("partner_id IS NOT NULL"),
            set_={
                **{c: stmt.excluded[c] for c in PERSON_SYNCED},
                "updated_at": stmt.excluded.updated_at,
                "version": p.c.version + 1,
            },
            where=_changed(p, PERSON_SYNCED),
        )
        await self.db.execute(stmt)
