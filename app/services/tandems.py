"""Use cases for tandems: manual pairing, each side's answer, the life cycle and the fit check."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from uuid import UUID

from app.domain.access import Caller
from app.domain.clock import utcnow
from app.domain.errors import PermissionDenied
from app.domain.health import Health, HealthAssessment
from app.domain.session import SessionStatus
from app.domain.tandem import Side, Tandem, Transition
from app.domain.values import MeetingFormat
from app.services import authz
from app.services.pagination import Page, PageRequest
from app.services.pairing import propose_pair
from app.services.ports import UnitOfWork


async def propose_tandem(
    uow: UnitOfWork,
    caller: Caller,
    program_id: UUID,
    *,
    mentor_enrollment_id: UUID,
    mentee_enrollment_id: UUID,
    formats: tuple[MeetingFormat, ...] = (),
    reason: str | None = None,
) -> Tandem:
    """Manual pairing by a manager, checked by the same rules and locks as every pairing."""
    org_id = authz.scope_of(caller, "program")
    async with uow:
        program = authz.found(await uow.programs.get(org_id, program_id), "program")
        authz.require_manager(caller)
        tandem = await propose_pair(
            uow,
            program,
            mentor_enrollment_id=mentor_enrollment_id,
            mentee_enrollment_id=mentee_enrollment_id,
            actor_id=caller.user_id,
            formats=formats,
            reason=reason,
        )
        await uow.commit()
    return tandem


async def load_visible_tandem(uow: UnitOfWork, caller: Caller, org_id: UUID, tandem_id: UUID) -> Tandem:
    """The tandem, if the caller may see it: its participants and the organization's managers."""
    tandem = authz.found(await uow.tandems.get(org_id, tandem_id), "tandem")
    authz.participant_side(caller, tandem)
    return tandem


async def get_tandem(uow: UnitOfWork, caller: Caller, tandem_id: UUID) -> Tandem:
    org_id = authz.scope_of(caller, "tandem")
    async with uow:
        return await load_visible_tandem(uow, caller, org_id, tandem_id)


@dataclass(frozen=True, slots=True)
class TandemView:
    """A tandem as its readers see it: the aggregate and its stored health, explained (None
    for a closed tandem)."""

    tandem: Tandem
    health: HealthAssessment | None


async def view_tandem(uow: UnitOfWork, caller: Caller, tandem_id: UUID) -> TandemView:
    """The tandem with its health, in one read: the health is stored with the tandem."""
    org_id = authz.scope_of(caller, "tandem")
    async with uow:
        tandem = await load_visible_tandem(uow, caller, org_id, tandem_id)
    return TandemView(tandem, tandem.health)


@dataclass(frozen=True, slots=True)
class TandemFilter:
    """Narrow a program's tandem list; a criterion left None does not narrow it."""

    health: Health | None = None
    rematch_flagged: bool | None = None


async def list_tandems(
    uow: UnitOfWork, caller: Caller, program_id: UUID, request: PageRequest, where: TandemFilter | None = None
) -> Page[Tandem]:
    """Managers see the program's tandems; members only their own. Filtered by the stored
    health (``at_risk``: closed tandems, which have none, never match) and the rematch flag."""
    org_id = authz.scope_of(caller, "program")
    async with uow:
        authz.found(await uow.programs.get(org_id, program_id), "program")
        only = None if caller.manages_org else caller.person_id
        if only is None and not caller.manages_org:
            return Page(items=[], next_cursor=None)
        where = where or TandemFilter()
        return await uow.tandems.page(
            org_id,
            program_id,
            request,
            person_id=only,
            health=where.health,
            rematch_flagged=where.rematch_flagged,
        )


async def tandem_history(uow: UnitOfWork, caller: Caller, tandem_id: UUID) -> list[Transition]:
    return list((await get_tandem(uow, caller, tandem_id)).history)


async def tandem_health(uow: UnitOfWork, caller: Caller, tandem_id: UUID) -> HealthAssessment | None:
    return (await view_tandem(uow, caller, tandem_id)).health


Step = Callable[[Tandem, Side | None], None]


async def _act(
    uow: UnitOfWork,
    caller: Caller,
    tandem_id: UUID,
    step: Step,
    *,
    expected_version: int | None,
    participant_only: bool = False,
    after: Callable[[UnitOfWork, Tandem], Awaitable[None]] | None = None,
) -> Tandem:
    org_id = authz.scope_of(caller, "tandem")
    async with uow:
        tandem = authz.found(await uow.tandems.get(org_id, tandem_id, for_update=True), "tandem")
        side = authz.require_side(caller, tandem) if participant_only else authz.participant_side(caller, tandem)
        authz.check_version(tandem, expected_version)
        step(tandem, side)
        if after is not None:
            await after(uow, tandem)
        await uow.tandems.save(tandem)
        await uow.commit()
    return tandem


async def accept_tandem(
    uow: UnitOfWork, caller: Caller, tandem_id: UUID, expected_version: int | None = None
) -> Tandem:
    """Each side accepts for themselves; the second acceptance activates the tandem."""
    return await _act(
        uow,
        caller,
        tandem_id,
        lambda t, side: t.accept(_known(side), caller.user_id),
        expected_version=expected_version,
        participant_only=True,
    )


async def decline_tandem(
    uow: UnitOfWork, caller: Caller, tandem_id: UUID, reason: str | None = None, expected_version: int | None = None
) -> Tandem:
    return await _act(
        uow,
        caller,
        tandem_id,
        lambda t, side: t.decline(_known(side), caller.user_id, reason),
        expected_version=expected_version,
        participant_only=True,
    )


async def pause_tandem(
    uow: UnitOfWork, caller: Caller, tandem_id: UUID, reason: str | None = None, expected_version: int | None = None
) -> Tandem:
    return await _act(
        uow, caller, tandem_id, lambda t, _: t.pause(caller.user_id, reason), expected_version=expected_version
    )


async def resume_tandem(
    uow: UnitOfWork, caller: Caller, tandem_id: UUID, reason: str | None = None, expected_version: int | None = None
) -> Tandem:
    return await _act(
        uow, caller, tandem_id, lambda t, _: t.resume(caller.user_id, reason), expected_version=expected_version
    )


async def complete_tandem(
    uow: UnitOfWork, caller: Caller, tandem_id: UUID, reason: str | None = None, expected_version: int | None = None
) -> Tandem:
    return await _act(
        uow, caller, tandem_id, lambda t, _: t.complete(caller.user_id, reason), expected_version=expected_version
    )


async def dissolve_tandem(
    uow: UnitOfWork,
    caller: Caller,
    tandem_id: UUID,
    *,
    reason: str,
    never_pair_again: bool = False,
    expected_version: int | None = None,
) -> Tandem:
    """End a tandem early; with ``never_pair_again`` the pair is excluded from later matching."""

    async def exclude(uow: UnitOfWork, tandem: Tandem) -> None:
        if tandem.never_pair_again:
            await uow.tandems.exclude_pair(tandem.org_id, tandem.mentor_person_id, tandem.mentee_person_id)

    return await _act(
        uow,
        caller,
        tandem_id,
        lambda t, _: t.dissolve(caller.user_id, reason, never_pair_again),
        expected_version=expected_version,
        after=exclude,
    )


async def answer_fit_check(
    uow: UnitOfWork, caller: Caller, tandem_id: UUID, *, fits: bool, expected_version: int | None = None
) -> Tandem:
    """After the first held session each side says whether the pairing fits; a no flags a rematch."""
    org_id = authz.scope_of(caller, "tandem")
    async with uow:
        tandem = authz.found(await uow.tandems.get(org_id, tandem_id, for_update=True), "tandem")
        side = authz.require_side(caller, tandem)
        authz.check_version(tandem, expected_version)
        sessions = await uow.sessions.for_tandem(org_id, tandem_id)
        tandem.answer_fit_check(side, fits, sum(1 for s in sessions if s.status is SessionStatus.HELD))
        await uow.tandems.save(tandem)
        await uow.commit()
    return tandem


def _known(side: Side | None) -> Side:
    if side is None:  # guarded by participant_only; kept for the type checker
        raise PermissionDenied("only participants answer a proposal", code="participant_required")
    return side


async def expire_proposals(uow: UnitOfWork, *, batch: int = 500) -> int:
    """System job: unanswered proposals past their expiry become ``expired``. Returns the count.

    Rows are claimed with SKIP LOCKED, so several workers may run this at once.
    """
    async with uow:
        due = await uow.tandems.due_for_expiry(utcnow(), limit=batch)
        for tandem in due:
            tandem.expire_if_due(utcnow())
            await uow.tandems.save(tandem)
        await uow.commit()
    return len(due)
