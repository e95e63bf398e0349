"""Invariants that races could break, hammered with truly concurrent use case calls.

Each call gets its own unit of work, so its own connection and transaction, as concurrent HTTP
requests would.
"""

from __future__ import annotations

import asyncio
from typing import Any

from app.domain.errors import Conflict, DomainError, InvalidTransition, VersionMismatch
from app.domain.session import SessionStatus
from app.domain.tandem import TandemStatus
from app.domain.values import MeetingFormat, Topic
from app.services import people, programs, sessions, tandems
from app.services.people import ProfileChanges
from tests.factories import active_tandem, enroll, member, new_org, new_person, new_program, pair_world, past

ATTEMPTS = 20


async def _gather(calls: list[Any]) -> tuple[list[Any], list[BaseException]]:
    results = await asyncio.gather(*calls, return_exceptions=True)
    errors = [r for r in results if isinstance(r, BaseException)]
    return [r for r in results if not isinstance(r, BaseException)], errors


async def test_twenty_simultaneous_pairings_of_one_mentee_open_exactly_one_tandem(uow_factory) -> None:
    world = await pair_world(uow_factory)
    manager, program = world["manager"], world["program"]
    mentors = []
    for i in range(ATTEMPTS):
        person = await new_person(uow_factory, manager, birth_year=1990 + i % 10, department=f"Dept {i}")
        mentors.append(await enroll(uow_factory, manager, program, person, "mentor", offers=(Topic("AI"),)))

    made, errors = await _gather(
        [
            tandems.propose_tandem(
                uow_factory(), manager, program.id, mentor_enrollment_id=m.id, mentee_enrollment_id=world["mentee_e"].id
            )
            for m in mentors
        ]
    )

    assert len(made) == 1
    assert len(errors) == ATTEMPTS - 1
    assert all(isinstance(e, Conflict) and e.code == "mentee_already_paired" for e in errors), errors
    page = await tandems.list_tandems(uow_factory(), manager, program.id, _page())
    assert [t.id for t in page.items] == [made[0].id]


async def test_a_capacity_one_mentor_offered_to_twenty_mentees_gets_exactly_one_tandem(uow_factory) -> None:
    world = await pair_world(uow_factory)
    manager, program = world["manager"], world["program"]
    mentees = []
    for i in range(ATTEMPTS):
        person = await new_person(uow_factory, manager, birth_year=1955 + i, department=f"Board {i}")
        mentees.append(await enroll(uow_factory, manager, program, person, "mentee", needs=(Topic("TikTok"),)))

    made, errors = await _gather(
        [
            tandems.propose_tandem(
                uow_factory(), manager, program.id, mentor_enrollment_id=world["mentor_e"].id, mentee_enrollment_id=m.id
            )
            for m in mentees
        ]
    )

    assert len(made) == 1
    assert all(isinstance(e, Conflict) and e.code == "mentor_capacity_exceeded" for e in errors), errors
    assert len(errors) == ATTEMPTS - 1


async def test_a_capacity_three_mentor_gets_exactly_three_tandems_under_a_race(uow_factory) -> None:
    world = await pair_world(uow_factory, mentor_capacity=3)
    manager, program = world["manager"], world["program"]
    mentees = [
        await enroll(
            uow_factory,
            manager,
            program,
            await new_person(uow_factory, manager, birth_year=1960 + i, department=f"Ops {i}"),
            "mentee",
        )
        for i in range(10)
    ]
    made, errors = await _gather(
        [
            tandems.propose_tandem(
                uow_factory(), manager, program.id, mentor_enrollment_id=world["mentor_e"].id, mentee_enrollment_id=m.id
            )
            for m in mentees
        ]
    )
    assert len(made) == 3
    assert len(errors) == 7


async def test_both_sides_accepting_at_once_activate_the_tandem_once(uow_factory) -> None:
    world = await pair_world(uow_factory)
    proposal = await tandems.propose_tandem(
        uow_factory(),
        world["manager"],
        world["program"].id,
        mentor_enrollment_id=world["mentor_e"].id,
        mentee_enrollment_id=world["mentee_e"].id,
    )
    await _gather(
        [
            tandems.accept_tandem(uow_factory(), member(world["mentor"]), proposal.id),
            tandems.accept_tandem(uow_factory(), member(world["mentee"]), proposal.id),
        ]
    )
    tandem = await tandems.get_tandem(uow_factory(), world["manager"], proposal.id)
    assert tandem.status is TandemStatus.ACTIVE
    assert [h.to_status for h in tandem.history] == [TandemStatus.PROPOSED, TandemStatus.ACTIVE]


async def test_one_participant_submitting_feedback_twice_at_once_stores_it_once(uow_factory) -> None:
    world = await pair_world(uow_factory, status="running")
    tandem = await active_tandem(uow_factory, world)
    mentee = member(world["mentee"])
    session = await sessions.schedule_session(
        uow_factory(), mentee, tandem.id, starts_at=past(2), duration_minutes=60, format=MeetingFormat.VIDEO_CALL
    )
    await sessions.hold_session(uow_factory(), mentee, session.id)

    made, errors = await _gather(
        [sessions.give_feedback(uow_factory(), mentee, session.id, rating=5, learned=f"try {i}") for i in range(10)]
    )

    assert len(made) == 1
    assert all(isinstance(e, Conflict) and e.code == "feedback_already_given" for e in errors), errors
    stored = await sessions.get_session(uow_factory(), world["manager"], session.id)
    assert stored.status is SessionStatus.HELD
    assert len(stored.feedback) == 1


async def test_two_edits_of_the_same_version_let_exactly_one_win(uow_factory) -> None:
    world = await pair_world(uow_factory)
    person = world["mentor"]
    made, errors = await _gather(
        [
            people.update_person(
                uow_factory(), world["manager"], person.id, ProfileChanges(bio=f"edit {i}"), expected_version=1
            )
            for i in range(2)
        ]
    )
    assert len(made) == 1
    assert len(errors) == 1 and isinstance(errors[0], VersionMismatch)
    assert all(isinstance(e, DomainError) for e in errors)


def _page() -> Any:
    from app.services.pagination import PageRequest

    return PageRequest(limit=50)


async def test_mentor_and_mentee_giving_feedback_at_the_same_moment_both_succeed(uow_factory) -> None:
    world = await pair_world(uow_factory, status="running")
    tandem = await active_tandem(uow_factory, world)
    mentor, mentee = member(world["mentor"]), member(world["mentee"])
    session = await sessions.schedule_session(
        uow_factory(), mentor, tandem.id, starts_at=past(3), duration_minutes=90, format=MeetingFormat.ON_SITE
    )
    await sessions.hold_session(uow_factory(), mentor, session.id)

    _, errors = await _gather(
        [
            sessions.give_feedback(uow_factory(), mentor, session.id, rating=4, learned="how boards decide"),
            sessions.give_feedback(uow_factory(), mentee, session.id, rating=5, learned="what TikTok's feed does"),
        ]
    )

    assert errors == []
    stored = await sessions.get_session(uow_factory(), world["manager"], session.id)
    assert sorted(f.rating for f in stored.feedback) == [4, 5]


async def test_sessions_of_one_tandem_scheduled_held_and_rated_at_once_all_succeed(uow_factory) -> None:
    """Each change of a tandem's sessions reassesses its stored health at commit, under the
    tandem's row lock: the sessions' rows already hold a key-share lock on it, so that lock must
    not be an exclusive one (it deadlocked: two schedulings, each waiting for the other)."""
    world = await pair_world(uow_factory, status="running")
    tandem = await active_tandem(uow_factory, world)
    mentor, mentee = member(world["mentor"]), member(world["mentee"])

    def schedule(days: int) -> Any:
        return sessions.schedule_session(
            uow_factory(), mentor, tandem.id, starts_at=past(days), duration_minutes=60, format=MeetingFormat.PHONE
        )

    scheduled, errors = await _gather([schedule(days) for days in range(2, 12)])
    assert errors == []
    held, errors = await _gather([sessions.hold_session(uow_factory(), mentor, s.id) for s in scheduled])
    assert errors == []
    rated, errors = await _gather(
        [sessions.give_feedback(uow_factory(), side, s.id, rating=4) for s in held for side in (mentor, mentee)]
    )
    assert errors == [] and len(rated) == 20


async def test_twenty_simultaneous_transitions_of_one_program_apply_once_and_refuse_the_rest_as_conflicts(
    uow_factory,
) -> None:
    """Without a row lock the losers failed on a version they never sent (412); now they wait,
    then meet the new state: a transition that is no longer possible (409)."""
    _, manager = await new_org(uow_factory)
    program = await new_program(uow_factory, manager, status="draft")

    made, errors = await _gather(
        [programs.open_enrollment(uow_factory(), manager, program.id) for _ in range(ATTEMPTS)]
    )

    assert len(made) == 1 and len(errors) == ATTEMPTS - 1
    assert all(isinstance(e, InvalidTransition) for e in errors), errors
