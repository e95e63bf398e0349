"""Use cases of matching runs: start one (a background job), watch it, accept its proposals.

The optimizer never runs on a request's event loop: ``start_run`` stores a queued run and
hands its id to the job queue; a worker calls ``execute_run``, which runs the optimizer in a
thread and stores the proposals. ``accept_run`` turns chosen proposals into proposed tandems
in one transaction through ``pairing.propose_pair``: the same locks and rules as manual pairing.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from uuid import UUID

from app.domain.access import Caller
from app.domain.errors import DomainError, ServiceUnavailable
from app.domain.matching import match
from app.domain.matching.run import MatchingRun, PinnedPair, RunStatus
from app.domain.tandem import Tandem
from app.services import authz
from app.services.matching import flagged_tandems, load_candidates
from app.services.pagination import Page, PageRequest
from app.services.pairing import propose_pair
from app.services.ports import JobQueue, UnitOfWork

log = logging.getLogger(__name__)

PROGRESS_LOADED = 10
PROGRESS_SCORED = 50


@dataclass(frozen=True, slots=True)
class Accepted:
    """``dissolved``: the flagged tandems the accepted proposals replaced (a rematch)."""

    run: MatchingRun
    tandems: list[Tandem]
    dissolved: list[Tandem] = field(default_factory=list)


async def start_run(
    uow: UnitOfWork, jobs: JobQueue, caller: Caller, program_id: UUID, pinned: Sequence[PinnedPair] = ()
) -> MatchingRun:
    """Queue a run of the program (managers; the program must be in matching or running, else
    422). In a running program it is a rematch: of participants with room for a tandem, and of
    those whose tandem a failed fit check flagged (never with that same partner again)."""
    org_id = authz.scope_of(caller, "program")
    async with uow:
        program = authz.found(await uow.programs.get(org_id, program_id), "program")
        authz.require_manager(caller)
        program.ensure_matching()
        run = MatchingRun(org_id=org_id, program_id=program_id, pinned=tuple(pinned))
        named = {p.mentor_enrollment_id for p in run.pinned} | {p.mentee_enrollment_id for p in run.pinned}
        run.check_pinned({e.id: e for e in await uow.enrollments.get_many(org_id, list(named))} if named else {})
        await uow.matching_runs.add(run)
        await uow.commit()
    try:
        await jobs.run_matching(run.id)  # after the commit: the worker must find the run
    except ServiceUnavailable:
        # committed, but no worker will ever see it: fail it rather than leave it queued forever
        async with uow:
            stored = await uow.matching_runs.get(org_id, run.id, for_update=True)
            if stored is not None and stored.status is RunStatus.QUEUED:
                stored.fail("the job queue could not take the run; start a new one")
                await uow.matching_runs.save(stored)
                await uow.commit()
        raise
    return run


async def get_run(uow: UnitOfWork, caller: Caller, program_id: UUID, run_id: UUID) -> MatchingRun:
    org_id = authz.scope_of(caller, "matching_run")
    async with uow:
        run = await uow.matching_runs.get(org_id, run_id)
        if run is None or run.program_id != program_id:
            authz.found(None, "matching_run")
        assert run is not None
        authz.require_manager(caller)
        return run


async def list_runs(uow: UnitOfWork, caller: Caller, program_id: UUID, request: PageRequest) -> Page[MatchingRun]:
    org_id = authz.scope_of(caller, "program")
    async with uow:
        authz.found(await uow.programs.get(org_id, program_id), "program")
        authz.require_manager(caller)
        return await uow.matching_runs.page(org_id, program_id, request)


async def accept_run(
    uow: UnitOfWork, caller: Caller, program_id: UUID, run_id: UUID, indices: Sequence[int] | None = None
) -> Accepted:
    """All (``indices`` None) or the chosen proposals become proposed tandems, all or none.

    The run's row lock serializes accepts of one run; every pairing goes through
    ``propose_pair``, so an overlap with tandems formed meanwhile fails on the same rule
    (409 ``mentee_already_paired`` / ``mentor_capacity_exceeded``) and nothing is kept.
    """
    org_id = authz.scope_of(caller, "program")
    async with uow:
        program = authz.found(await uow.programs.get(org_id, program_id), "program")
        authz.require_manager(caller)
        run = await uow.matching_runs.get(org_id, run_id, for_update=True)
        if run is None or run.program_id != program_id:
            authz.found(None, "matching_run")
        assert run is not None
        chosen = run.chosen(indices)
        # lock every enrollment involved at once, in id order: accepts of different runs cannot deadlock
        involved = {p.mentor_enrollment_id for _, p in chosen} | {p.mentee_enrollment_id for _, p in chosen}
        await uow.enrollments.lock(org_id, sorted(involved))
        # a rematch: the flagged tandems of the people placed anew end first, so they are free
        dissolved = [t for t in await flagged_tandems(uow, org_id, program_id) if _involves(t, involved)]
        for tandem in dissolved:
            tandem.dissolve(caller.user_id, f"rematched by matching run {run.id} after a failed fit check")
            await uow.tandems.save(tandem)
        tandems = [
            await propose_pair(
                uow,
                program,
                mentor_enrollment_id=proposal.mentor_enrollment_id,
                mentee_enrollment_id=proposal.mentee_enrollment_id,
                actor_id=caller.user_id,
                reason=f"matching run {run.id}, proposal {index}",
            )
            for index, proposal in chosen
        ]
        run.mark_accepted(index for index, _ in chosen)
        await uow.matching_runs.save(run)
        await uow.commit()
    return Accepted(run, tandems, dissolved)


def _involves(tandem: Tandem, enrollment_ids: set[UUID]) -> bool:
    return tandem.mentor_enrollment_id in enrollment_ids or tandem.mentee_enrollment_id in enrollment_ids


async def execute_run(uow: Callable[[], UnitOfWork], run_id: UUID, *, resume: bool = False) -> MatchingRun | None:
    """The worker's part: load, optimize off the event loop, store; progress 10 → 50 → 100.

    A run that is no longer queued is left alone, except a running one when ``resume``: the job's
    earlier attempt was handed back by a stopping worker or its worker died, and this attempt
    does the work again. A rule a pinned pair breaks fails the run with the reason; an unexpected
    error fails it and is raised again, so the job queue records the failure too. Cancellation
    (the worker stopping) leaves the run running: its job goes back to the queue.
    """
    async with uow() as tx:
        run = await tx.matching_runs.get_any(run_id, for_update=True)
        if run is None:
            return None
        if run.status is RunStatus.QUEUED:
            run.start()
            await tx.matching_runs.save(run)
            await tx.commit()
        elif not (resume and run.status is RunStatus.RUNNING):
            return run
        else:
            log.warning("matching run %s: resumed after its earlier attempt stopped", run.id)
    try:
        async with uow() as tx:
            program = authz.found(await tx.programs.get(run.org_id, run.program_id), "program")
            mentees, mentors = await load_candidates(tx, run.org_id, run.program_id, free_flagged=True)
            people = list({c.person.id for c in (*mentees, *mentors)})
            excluded = await tx.tandems.exclusions_among(run.org_id, people)
            # a pair whose fit check failed is not proposed again, whoever else is free
            flagged = await flagged_tandems(tx, run.org_id, run.program_id)
            excluded += [(t.mentor_person_id, t.mentee_person_id) for t in flagged]
            run.report(PROGRESS_LOADED)
            await tx.matching_runs.save(run)
            await tx.commit()
        pinned = [(p.mentee_enrollment_id, p.mentor_enrollment_id) for p in run.pinned]
        result = await asyncio.to_thread(
            match, program, mentees, mentors, program.matching_policy, pinned=pinned, excluded=excluded
        )
        async with uow() as tx:
            run.report(PROGRESS_SCORED)
            await tx.matching_runs.save(run)
            await tx.commit()
        async with uow() as tx:
            run.complete(result)
            await tx.matching_runs.save(run)
            await tx.commit()
    except DomainError as error:
        await _fail(uow, run, f"{error.code}: {error.detail}")
    except Exception as error:
        await _fail(uow, run, f"internal error: {type(error).__name__}")
        raise
    return run


async def fail_abandoned(uow: Callable[[], UnitOfWork], run_id: UUID, message: str) -> None:
    """Fail a queued or running run whose job will not run again (its workers kept dying)."""
    log.warning("matching run %s failed: %s", run_id, message)
    async with uow() as tx:
        run = await tx.matching_runs.get_any(run_id, for_update=True)
        if run is None or run.status not in (RunStatus.QUEUED, RunStatus.RUNNING):
            return
        run.fail(message)
        await tx.matching_runs.save(run)
        await tx.commit()


async def _fail(uow: Callable[[], UnitOfWork], run: MatchingRun, message: str) -> None:
    log.warning("matching run %s failed: %s", run.id, message)
    async with uow() as tx:
        fresh = await tx.matching_runs.get_any(run.id, for_update=True)
        if fresh is None or fresh.status not in (RunStatus.QUEUED, RunStatus.RUNNING):
            return
        fresh.fail(message)
        await tx.matching_runs.save(fresh)
        await tx.commit()
    run.status, run.error = fresh.status, fresh.error
