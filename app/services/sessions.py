"""Use cases for sessions: scheduling, their life cycle, and each participant's feedback."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from app.domain.access import Caller
from app.domain.goal import ensure_goals_of_tandem
from app.domain.session import Feedback, Session
from app.domain.tandem import Tandem
from app.domain.values import MeetingFormat
from app.services import authz
from app.services.commands import UNSET, Changes, Maybe, given_or_none
from app.services.pagination import Page, PageRequest
from app.services.ports import UnitOfWork
from app.services.tandems import load_visible_tandem


async def schedule_session(
    uow: UnitOfWork,
    caller: Caller,
    tandem_id: UUID,
    *,
    starts_at: datetime,
    duration_minutes: int,
    format: MeetingFormat,
    location: str | None = None,
    video_link: str | None = None,
    agenda: str = "",
) -> Session:
    """Sessions are for active tandems of running programs, inside the program period."""
    org_id = authz.scope_of(caller, "tandem")
    async with uow:
        tandem = await load_visible_tandem(uow, caller, org_id, tandem_id)
        tandem.ensure_can_schedule()
        program = authz.found(await uow.programs.get(org_id, tandem.program_id), "program")
        program.ensure_running()
        session = Session(
            org_id=org_id,
            tandem_id=tandem.id,
            starts_at=starts_at,
            duration_minutes=duration_minutes,
            format=format,
            location=location,
            video_link=video_link,
            agenda=agenda,
        )
        session.ensure_within(program.starts_on, program.ends_on)
        session.record_scheduled()
        await uow.sessions.add(session)
        await uow.commit()
    return session


async def get_session(uow: UnitOfWork, caller: Caller, session_id: UUID) -> Session:
    org_id = authz.scope_of(caller, "session")
    async with uow:
        session = authz.found(await uow.sessions.get(org_id, session_id), "session")
        await load_visible_tandem(uow, caller, org_id, session.tandem_id)
    return session


async def list_sessions(uow: UnitOfWork, caller: Caller, tandem_id: UUID, request: PageRequest) -> Page[Session]:
    org_id = authz.scope_of(caller, "tandem")
    async with uow:
        await load_visible_tandem(uow, caller, org_id, tandem_id)
        return await uow.sessions.page(org_id, tandem_id, request)


@dataclass(frozen=True, slots=True)
class SessionChanges(Changes):
    """Change time or details of a scheduled session; a field left out stays as it is."""

    starts_at: Maybe[datetime] = UNSET
    duration_minutes: Maybe[int] = UNSET
    format: Maybe[MeetingFormat] = UNSET
    location: Maybe[str] = UNSET
    video_link: Maybe[str] = UNSET
    agenda: Maybe[str] = UNSET


async def reschedule_session(
    uow: UnitOfWork, caller: Caller, session_id: UUID, changes: SessionChanges, expected_version: int | None = None
) -> Session:
    def step(session: Session, tandem: Tandem) -> None:
        session.reschedule(
            starts_at=given_or_none(changes.starts_at),
            duration_minutes=given_or_none(changes.duration_minutes),
            format=given_or_none(changes.format),
            location=given_or_none(changes.location),
            video_link=given_or_none(changes.video_link),
            agenda=given_or_none(changes.agenda),
        )

    return await _change(uow, caller, session_id, step, expected_version, check_period=True)


async def hold_session(
    uow: UnitOfWork,
    caller: Caller,
    session_id: UUID,
    *,
    notes: str | None = None,
    goals_covered: tuple[UUID, ...] = (),
    expected_version: int | None = None,
) -> Session:
    return await _change(
        uow,
        caller,
        session_id,
        lambda s, _: s.hold(notes=notes, goals_covered=goals_covered),
        expected_version,
        goals_covered=goals_covered,
    )


async def cancel_session(
    uow: UnitOfWork, caller: Caller, session_id: UUID, expected_version: int | None = None
) -> Session:
    return await _change(uow, caller, session_id, lambda s, _: s.cancel(), expected_version)


async def miss_session(
    uow: UnitOfWork, caller: Caller, session_id: UUID, expected_version: int | None = None
) -> Session:
    return await _change(uow, caller, session_id, lambda s, _: s.miss(), expected_version)


async def give_feedback(
    uow: UnitOfWork,
    caller: Caller,
    session_id: UUID,
    *,
    rating: int,
    learned: str = "",
    goals_covered: tuple[UUID, ...] = (),
    comment: str = "",
) -> Session:
    """The caller's own feedback, once per held session (a database constraint backs it)."""
    org_id = authz.scope_of(caller, "session")
    async with uow:
        # the row lock makes simultaneous submissions queue up, so the second one sees the first
        session = authz.found(await uow.sessions.get(org_id, session_id, for_update=True), "session")
        tandem = authz.found(await uow.tandems.get(org_id, session.tandem_id), "tandem")
        side = authz.require_side(caller, tandem)
        assert caller.person_id is not None  # require_side found the caller's person in the tandem
        session.give_feedback(
            Feedback(
                author_person_id=caller.person_id,
                side=side,
                rating=rating,
                learned=learned,
                goals_covered=goals_covered,
                comment=comment,
            )
        )
        await _cover_goals(uow, session, goals_covered)
        await uow.sessions.save(session)
        await uow.commit()
    return session


async def _cover_goals(uow: UnitOfWork, session: Session, goal_ids: tuple[UUID, ...]) -> None:
    """The goals a held session covered must be its tandem's; the open ones are now in progress."""
    if not goal_ids:
        return
    goals = await uow.goals.get_many(session.org_id, list(dict.fromkeys(goal_ids)))
    ensure_goals_of_tandem(session.tandem_id, goal_ids, goals)
    for goal in goals:
        if goal.cover():
            await uow.goals.save(goal)


async def _change(
    uow: UnitOfWork,
    caller: Caller,
    session_id: UUID,
    step: Callable[[Session, Tandem], None],
    expected_version: int | None,
    *,
    check_period: bool = False,
    goals_covered: tuple[UUID, ...] = (),
) -> Session:
    org_id = authz.scope_of(caller, "session")
    async with uow:
        session = authz.found(await uow.sessions.get(org_id, session_id, for_update=True), "session")
        tandem = await load_visible_tandem(uow, caller, org_id, session.tandem_id)
        authz.check_version(session, expected_version)
        step(session, tandem)
        if check_period:
            program = authz.found(await uow.programs.get(org_id, tandem.program_id), "program")
            session.ensure_within(program.starts_on, program.ends_on)
        await _cover_goals(uow, session, goals_covered)
        await uow.sessions.save(session)
        await uow.commit()
    return session
