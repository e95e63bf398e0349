"""The async unit of work: one database handle, the repositories over it, and the outbox.

A request holds one unit of work for its whole life (``hold()``), and every use case it calls
enters it with ``async with``: a GET reads in one transaction whatever number of use cases,
loaders and checks it runs. A use case's block that raises, or that wrote without committing,
rolls back, so nothing half-written can be committed later by another use case of the same
request (a GraphQL request may run several mutations). Without ``hold()`` (CLI, jobs, tests)
each outermost block opens and closes its own database handle, as a plain unit of work does.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import TracebackType
from typing import Any, Self
from uuid import uuid4

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.domain.access import Caller
from app.domain.audit import SYSTEM, Actor, AuditEntry, audited, entry_of_write
from app.domain.placement import PLACEMENT_EVENTS
from app.infra.auth.secret_box import SecretBox
from app.infra.db import repositories as r
from app.infra.db.bulk import insert_rows
from app.infra.db.engine import WROTE
from app.infra.db.errors import DatabaseUnavailable, translate
from app.infra.db.repositories.audit import AuditTrailRepository, row_of
from app.infra.db.repositories.calendar_links import CalendarLinkRepository
from app.infra.db.repositories.insights import ProgramInsightsRepository
from app.infra.db.repositories.partners import touch_pool_mentors
from app.infra.db.repositories.scim_groups import ScimGroupRepository
from app.infra.db.repositories.scim_tokens import ScimTokenRepository
from app.infra.db.tables import audit_events, outbox
from app.services import health, ports

log = logging.getLogger(__name__)


class _TaskLock:
    """A lock the task holding it may take again: use cases nest, siblings take turns.

    GraphQL resolves sibling fields in concurrent tasks; an ``AsyncSession`` refuses concurrent
    use, so each use case block and each loader batch has the database handle to itself.
    """

    def __init__(self) -> None:
        self._lock = asyncio.Lock()
        self._owner: asyncio.Task[Any] | None = None
        self._depth = 0

    async def acquire(self) -> None:
        task = asyncio.current_task()
        if self._owner is not task:
            await self._lock.acquire()
            self._owner = task
        self._depth += 1

    def release(self) -> None:
        self._depth -= 1
        if self._depth == 0:
            self._owner = None
            self._lock.release()


class SqlUnitOfWork:
    """Rolls back unless ``commit()`` was called; integrity errors leave it as domain errors.

    ``actor`` is who the audit trail names for the events it stores: the system (workers) unless
    built for an operator, or the caller once ``act_for`` is told (the API, per request).
    """

    def __init__(
        self,
        db_factory: async_sessionmaker[AsyncSession],
        secrets: SecretBox | None = None,
        *,
        actor: Actor = SYSTEM,
        request_id: str | None = None,
    ) -> None:
        self._factory = db_factory
        self._secrets = secrets
        self._actor = actor
        self._request_id = request_id
        self._db: AsyncSession | None = None
        self._lock = _TaskLock()
        self._depth = 0
        self._held = False
        self._touched: list[Any] = []

    def _open(self) -> AsyncSession:
        self._db = db = self._factory()
        self._touched = []
        self.organizations: ports.OrganizationRepository = r.OrganizationRepository(db, self._touched)
        self.users: ports.UserRepository = r.UserRepository(db, self._touched)
        self.people: ports.PersonRepository = r.PersonRepository(db, self._touched)
        self.programs: ports.ProgramRepository = r.ProgramRepository(db, self._touched)
        self.enrollments: ports.EnrollmentRepository = r.EnrollmentRepository(db, self._touched)
        self.tandems: ports.TandemRepository = r.TandemRepository(db, self._touched)
        self.goals: ports.GoalRepository = r.GoalRepository(db, self._touched)
        self.sessions: ports.SessionRepository = r.SessionRepository(db, self._touched)
        self.preferences: ports.PreferenceRepository = r.PreferenceRepository(db)
        self.matching_runs: ports.MatchingRunRepository = r.MatchingRunRepository(db, self._touched)
        self.signins: ports.SignInRepository = r.SignInRepository(db)
        self.events: ports.EventLog = r.EventLogRepository(db)
        self.idempotency_records: ports.IdempotencyRecords = r.IdempotencyRecordRepository(db)
        self.partners: ports.PartnerRepository = r.PartnerRepository(db, self._touched)
        self.partner_mentors: ports.PartnerMentorRepository = r.PartnerMentorRepository(db, self._touched)
        self.program_reads: ports.ProgramReads = ProgramInsightsRepository(db)
        self.calendar_links: ports.CalendarLinks = CalendarLinkRepository(db)
        self.scim_tokens: ports.ScimTokens = ScimTokenRepository(db)
        self.scim_groups: ports.ScimGroups = ScimGroupRepository(db, self._touched)
        self.webhook_deliveries: ports.WebhookDeliveries = r.WebhookDeliveryRepository(db)
        self.audit: ports.AuditTrail = AuditTrailRepository(db)
        if self._secrets is not None:
            self.sso_configs: ports.SsoConfigRepository = r.SsoConfigRepository(db, self._secrets)
            self.webhook_endpoints: ports.WebhookEndpointRepository = r.WebhookEndpointRepository(db, self._secrets)
        return db

    async def _close(self) -> None:
        db, self._db = self._db, None
        if db is not None:
            try:
                await db.rollback()  # a no-op after commit
            except DatabaseUnavailable:
                # the database went away after the work was done: nothing of this transaction
                # can be kept or lost now, and the request's answer must not turn into an error
                log.info("the database was unreachable while a unit of work ended; its connection is dropped")
            finally:
                with contextlib.suppress(DatabaseUnavailable):
                    await db.close()

    def act_for(self, caller: Caller) -> None:
        """The audit trail names ``caller`` (and its request) for the events stored from now on."""
        self._actor = Actor.of(caller)
        self._request_id = caller.request_id or self._request_id

    def hold(self) -> None:
        """Keep one database handle open across blocks until ``release()``: a request's lifetime."""
        self._held = True

    @asynccontextmanager
    async def kept_open(self) -> AsyncIterator[Self]:
        """``hold()`` for the block, then ``release()``. Unlike ``async with``, the block does not
        take the unit of work for itself: loaders in other tasks may enter it meanwhile."""
        self.hold()
        try:
            yield self
        finally:
            await self.release()

    async def release(self) -> None:
        self._held = False
        if self._depth == 0:
            await self._close()

    async def __aenter__(self) -> Self:
        await self._lock.acquire()
        if self._db is None:
            self._open()
        self._depth += 1
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        db = self._db
        assert db is not None
        self._depth -= 1
        try:
            if self._depth > 0:
                pass  # a block inside another of the same task: the outer one decides
            elif not self._held:
                await self._close()
            elif exc is not None or db.info.get(WROTE):
                await self._rollback(db)
        finally:
            self._lock.release()
        if isinstance(exc, DBAPIError):
            domain_error = translate(exc)
            if domain_error is not None:
                raise domain_error from exc

    async def _rollback(self, db: AsyncSession) -> None:
        await db.rollback()
        db.info.pop(WROTE, None)
        self._touched.clear()

    async def commit(self) -> None:
        assert self._db is not None, "commit() outside of 'async with'"
        # health follows every write to a tandem, its sessions or goals, in the same transaction
        await health.refresh_touched(self, list(self._touched))
        await self._store_events()
        try:
            await self._db.commit()
        except DBAPIError as exc:
            domain_error = translate(exc)
            if domain_error is not None:
                raise domain_error from exc
            raise
        finally:
            self._db.info.pop(WROTE, None)
            self._touched.clear()

    async def _store_events(self) -> None:
        assert self._db is not None
        events: list[Any] = []
        written: dict[Any, Any] = {}  # each aggregate once, however often it was saved
        for obj in self._touched:
            events += obj.pull_events() if hasattr(obj, "pull_events") else []
            written.setdefault(getattr(obj, "id", id(obj)), obj)
        rows = [
            {
                "id": uuid4(),
                "org_id": e.org_id,
                "partner_id": e.partner_id,
                "type": e.type,
                "subject_id": e.subject_id,
                "data": e.data,
                "occurred_at": e.occurred_at,
            }
            for e in events
        ]
        if rows:  # one statement of constant text however many (a pool sync writes 1,000 at once)
            await self._db.execute(insert_rows(outbox, rows))
        # every state change in the audit trail, in its own transaction: one place for all use cases
        trail = [row_of(AuditEntry.of_event(e, self._actor, self._request_id)) for e in events if audited(e)]
        # an aggregate written without an event of its own is audited as created or updated
        evented = {e.subject_id for e in events}
        for key, obj in written.items():
            entry = None if key in evented else entry_of_write(obj, self._actor, self._request_id)
            if entry is not None:
                trail.append(row_of(entry))
        if trail:
            await self._db.execute(insert_rows(audit_events, trail))
        # a partner told of its mentor's placement finds the mentor in its updated_since listing too
        placed = [e for e in events if e.type in PLACEMENT_EVENTS]
        if placed:
            latest = max(e.occurred_at for e in placed)
            await touch_pool_mentors(self._db, sorted({e.subject_id for e in placed}), latest)
