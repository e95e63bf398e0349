"""Use case: common free slots of a tandem's two people, for planning the next session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from uuid import UUID

from app.domain.access import Caller
from app.domain.availability import Interval, common_slots
from app.domain.errors import RuleViolation
from app.domain.session import SessionStatus
from app.services import authz
from app.services.ports import UnitOfWork
from app.services.tandems import load_visible_tandem

MIN_DURATION_MINUTES = 15
MAX_DURATION_MINUTES = 480
MAX_DAYS = 60
MAX_SLOTS = 50


@dataclass(frozen=True, slots=True)
class SlotSuggestions:
    """Free slots in UTC, with each side's time zone so that adapters can show local times."""

    slots: list[Interval]
    mentor_timezone: str
    mentee_timezone: str


async def suggest_slots(
    uow: UnitOfWork,
    caller: Caller,
    tandem_id: UUID,
    *,
    duration: timedelta,
    days: int,
    limit: int,
    now: datetime,
) -> SlotSuggestions:
    """The next ``limit`` slots of ``duration`` within ``days`` from ``now`` when both people are
    available (their weekly windows, each in their own time zone) and neither has a scheduled
    session. Only active tandems plan sessions; slots stay inside the program period, since a
    session outside it would be refused.
    """
    _check_bounds(duration, days, limit)
    org_id = authz.scope_of(caller, "tandem")
    async with uow:
        tandem = await load_visible_tandem(uow, caller, org_id, tandem_id)
        tandem.ensure_can_schedule()  # slots for a session that would be refused help nobody
        program = authz.found(await uow.programs.get(org_id, tandem.program_id), "program")
        mentor = authz.found(await uow.people.get(org_id, tandem.mentor_person_id), "person")
        mentee = authz.found(await uow.people.get(org_id, tandem.mentee_person_id), "person")
        busy = [
            (s.starts_at, s.ends_at)
            for person_id in (mentor.id, mentee.id)
            for s in await uow.sessions.for_person(org_id, person_id)
            if s.status is SessionStatus.SCHEDULED
        ]
    # the session rule compares UTC dates with the period, so the bounds are UTC days as well
    after = max(now, datetime.combine(program.starts_on, time.min, UTC))
    until = min(now + timedelta(days=days), datetime.combine(program.ends_on, time.max, UTC))
    slots = common_slots(
        (mentor.availability, mentor.timezone),
        (mentee.availability, mentee.timezone),
        busy=busy,
        after=after,
        until=until,
        duration=duration,
        limit=limit,
    )
    return SlotSuggestions(slots, mentor.timezone, mentee.timezone)


def _check_bounds(duration: timedelta, days: int, limit: int) -> None:
    # the REST schema bounds these too; the check here holds for every adapter
    if not timedelta(minutes=MIN_DURATION_MINUTES) <= duration <= timedelta(minutes=MAX_DURATION_MINUTES):
        raise RuleViolation(
            f"duration must be {MIN_DURATION_MINUTES} to {MAX_DURATION_MINUTES} minutes",
            code="invalid_duration",
            field="duration_minutes",
        )
    if not 1 <= days <= MAX_DAYS:
        raise RuleViolation(f"days must be 1 to {MAX_DAYS}", code="invalid_days", field="days")
    if not 1 <= limit <= MAX_SLOTS:
        raise RuleViolation(f"limit must be 1 to {MAX_SLOTS}", code="invalid_limit", field="limit")
