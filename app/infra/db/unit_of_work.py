"""The async unit of work: one transaction, the repositories over it, and the outbox."""

from __future__ import annotations

from types import TracebackType
from typing import Any, Self
from uuid import uuid4

from sqlalchemy import insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.infra.auth.secret_box import SecretBox
from app.infra.db import repositories as r
from app.infra.db.errors import translate
from app.infra.db.tables import outbox
from app.services import ports


class SqlUnitOfWork:
    """Rolls back unless ``commit()`` was called; integrity errors leave it as domain errors."""

    def __init__(self, session_factory: async_sessionmaker[AsyncSession], secrets: SecretBox | None = None) -> None:
        self._factory = session_factory
        self._secrets = secrets
        self._session: AsyncSession | None = None

    async def __aenter__(self) -> Self:
        self._session = session = self._factory()
        self._touched: list[Any] = []
        self.organizations: ports.OrganizationRepository = r.OrganizationRepository(session, self._touched)
        self.users: ports.UserRepository = r.UserRepository(session, self._touched)
        self.people: ports.PersonRepository = r.PersonRepository(session, self._touched)
        self.programs: ports.ProgramRepository = r.ProgramRepository(session, self._touched)
        self.enrollments: ports.EnrollmentRepository = r.EnrollmentRepository(session, self._touched)
        self.tandems: ports.TandemRepository = r.TandemRepository(session, self._touched)
        self.goals: ports.GoalRepository = r.GoalRepository(session, self._touched)
        self.sessions: ports.SessionRepository = r.SessionRepository(session, self._touched)
        self.preferences: ports.PreferenceRepository = r.PreferenceRepository(session)
        self.matching_runs: ports.MatchingRunRepository = r.MatchingRunRepository(session, self._touched)
        self.signins: ports.SignInRepository = r.SignInRepository(session)
        self.partners: ports.PartnerRepository = r.PartnerRepository(session, self._touched)
        self.partner_mentors: ports.PartnerMentorRepository = r.PartnerMentorRepository(session, self._touched)
        if self._secrets is not None:
            self.sso_configs: ports.SsoConfigRepository = r.SsoConfigRepository(session, self._secrets)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        session, self._session = self._session, None
        assert session is not None
        try:
            await session.rollback()  # a no-op after commit
        finally:
            await session.close()
        if isinstance(exc, DBAPIError):
            domain_error = translate(exc)
            if domain_error is not None:
                raise domain_error from exc

    async def commit(self) -> None:
        assert self._session is not None, "commit() outside of 'async with'"
        await self._store_events()
        try:
            await self._session.commit()
        except DBAPIError as exc:
            domain_error = translate(exc)
            if domain_error is not None:
                raise domain_error from exc
            raise

    async def _store_events(self) -> None:
        assert self._session is not None
        rows = [
            {
                "id": uuid4(),
                "org_id": e.org_id,
                "type": e.type,
                "subject_id": e.subject_id,
                "data": e.data,
                "occurred_at": e.occurred_at,
            }
            for obj in self._touched
            if hasattr(obj, "pull_events")
            for e in obj.pull_events()
        ]
        if rows:
            await self._session.execute(insert(outbox).values(rows))
