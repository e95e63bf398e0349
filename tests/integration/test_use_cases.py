"""Use cases against real PostgreSQL: authorization, tenancy, life cycles, GDPR, paging."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.domain.enrollment import EnrollmentStatus
from app.domain.errors import Conflict, NotFound, PermissionDenied, RuleViolation, VersionMismatch
from app.domain.health import Health
from app.domain.program import ProgramStatus
from app.domain.tandem import Tandem, TandemStatus
from app.domain.values import MeetingFormat
from app.infra.db.tables import outbox
from app.services import enrollments, goals, people, programs, sessions, tandems
from app.services.pagination import PageRequest
from app.services.people import ProfileChanges
from app.services.programs import ProgramRevision, RulesRevision
from app.services.sessions import SessionChanges
from tests.factories import (
    PLATFORM_ADMIN,
    active_tandem,
    enroll,
    member,
    new_org,
    new_person,
    pair_world,
    past,
)


async def _propose(uow_factory, world) -> Tandem:
    return await tandems.propose_tandem(
        uow_factory(),
        world["manager"],
        world["program"].id,
        mentor_enrollment_id=world["mentor_e"].id,
        mentee_enrollment_id=world["mentee_e"].id,
    )


async def test_another_tenants_program_is_not_found(uow_factory) -> None:
    world = await pair_world(uow_factory)
    _, stranger = await new_org(uow_factory)
    with pytest.raises(NotFound):
        await programs.get_program(uow_factory(), stranger, world["program"].id)
    with pytest.raises(NotFound):
        await programs.get_program(uow_factory(), PLATFORM_ADMIN, world["program"].id)
    with pytest.raises(NotFound):
        await programs.launch_program(uow_factory(), stranger, world["program"].id)


async def test_a_member_may_not_run_programs_or_see_other_peoples_tandems(uow_factory) -> None:
    world = await pair_world(uow_factory)
    tandem = await _propose(uow_factory, world)
    outsider = await new_person(uow_factory, world["manager"], birth_year=1970)
    with pytest.raises(PermissionDenied):
        await programs.launch_program(uow_factory(), member(outsider), world["program"].id)
    with pytest.raises(PermissionDenied):
        await tandems.get_tandem(uow_factory(), member(outsider), tandem.id)
    with pytest.raises(PermissionDenied):
        await tandems.accept_tandem(uow_factory(), world["manager"], tandem.id)  # accepting is the sides' call
    own = await tandems.list_tandems(uow_factory(), member(outsider), world["program"].id, PageRequest())
    assert own.items == []
    mine = await tandems.list_tandems(uow_factory(), member(world["mentee"]), world["program"].id, PageRequest())
    assert [t.id for t in mine.items] == [tandem.id]


async def test_completing_a_program_completes_running_tandems_and_expires_open_proposals(uow_factory) -> None:
    world = await pair_world(uow_factory, status="running")
    running = await active_tandem(uow_factory, world)
    latecomer = await new_person(uow_factory, world["manager"], birth_year=2000, department="IT")
    program = world["program"]
    with pytest.raises(RuleViolation) as closed:  # enrollment closes once the program runs
        await enroll(uow_factory, world["manager"], program, latecomer, "mentor")
    assert closed.value.code == "enrollment_closed"

    done = await programs.complete_program(uow_factory(), world["manager"], program.id)
    assert done.status is ProgramStatus.COMPLETED
    tandem = await tandems.get_tandem(uow_factory(), world["manager"], running.id)
    assert tandem.status is TandemStatus.COMPLETED
    assert tandem.history[-1].reason == "the program was completed"


async def test_cancelling_a_program_expires_its_unanswered_proposals(uow_factory) -> None:
    world = await pair_world(uow_factory)
    proposal = await _propose(uow_factory, world)
    await programs.cancel_program(uow_factory(), world["manager"], world["program"].id)
    assert (await tandems.get_tandem(uow_factory(), world["manager"], proposal.id)).status is TandemStatus.EXPIRED


async def test_dissolving_frees_both_for_a_rematch_unless_never_pair_again(uow_factory) -> None:
    world = await pair_world(uow_factory, status="running")
    first = await active_tandem(uow_factory, world)
    with pytest.raises(Conflict):
        await _propose(uow_factory, world)
    with pytest.raises(RuleViolation) as no_reason:
        await tandems.dissolve_tandem(uow_factory(), world["manager"], first.id, reason="  ")
    assert no_reason.value.code == "reason_required"

    await tandems.dissolve_tandem(uow_factory(), world["manager"], first.id, reason="schedules never matched")
    second = await _propose(uow_factory, world)  # free again: the rematch is possible
    await tandems.accept_tandem(uow_factory(), member(world["mentor"]), second.id)
    await tandems.accept_tandem(uow_factory(), member(world["mentee"]), second.id)
    await tandems.dissolve_tandem(
        uow_factory(), member(world["mentee"]), second.id, reason="chemistry", never_pair_again=True
    )
    with pytest.raises(Conflict) as excluded:
        await _propose(uow_factory, world)
    assert excluded.value.code == "pair_excluded"


async def test_a_rule_change_that_would_break_an_open_tandem_is_refused(uow_factory) -> None:
    world = await pair_world(uow_factory)
    await _propose(uow_factory, world)
    stricter = ProgramRevision(rules=RulesRevision(min_generation_gap=4))
    with pytest.raises(Conflict) as refused:
        await programs.update_program(uow_factory(), world["manager"], world["program"].id, stricter)
    assert refused.value.code == "rules_break_open_tandems"
    milder = ProgramRevision(rules=RulesRevision(proposal_expiry_days=7))
    updated = await programs.update_program(uow_factory(), world["manager"], world["program"].id, milder)
    assert updated.rules.proposal_expiry_days == 7


async def test_a_stale_if_match_is_refused(uow_factory) -> None:
    world = await pair_world(uow_factory)
    program = await programs.update_program(
        uow_factory(),
        world["manager"],
        world["program"].id,
        ProgramRevision(title="Reverse Mentoring 2027"),
        expected_version=world["program"].version,
    )
    with pytest.raises(VersionMismatch):
        await programs.update_program(
            uow_factory(),
            world["manager"],
            program.id,
            ProgramRevision(title="again"),
            expected_version=world["program"].version,
        )


async def test_erasing_a_person_anonymizes_and_ends_their_participation(uow_factory) -> None:
    world = await pair_world(uow_factory, status="running")
    tandem = await active_tandem(uow_factory, world)
    export = await people.export_person(uow_factory(), member(world["mentee"]), world["mentee"].id)
    assert export.person.email == world["mentee"].email
    assert [t.id for t in export.tandems] == [tandem.id]

    erased = await people.erase_person(uow_factory(), world["manager"], world["mentee"].id)
    assert erased.email is None and erased.display_name == "Erased person"
    assert erased.birth_year == world["mentee"].birth_year  # anonymous statistics survive
    after = await people.export_person(uow_factory(), world["manager"], world["mentee"].id)
    assert after.tandems[0].status is TandemStatus.DISSOLVED
    assert after.enrollments[0].status is EnrollmentStatus.WITHDRAWN


async def test_a_member_edits_only_their_own_profile(uow_factory) -> None:
    world = await pair_world(uow_factory)
    me = member(world["mentor"])
    updated = await people.update_person(
        uow_factory(), me, world["mentor"].id, ProfileChanges(bio="Creator, 120k followers")
    )
    assert updated.bio == "Creator, 120k followers" and updated.version == 2
    with pytest.raises(PermissionDenied):
        await people.update_person(uow_factory(), me, world["mentee"].id, ProfileChanges(bio="hacked"))
    with pytest.raises(Conflict) as taken:
        await people.update_person(uow_factory(), me, world["mentor"].id, ProfileChanges(email=world["mentee"].email))
    assert taken.value.code == "email_taken"


async def test_sessions_goals_feedback_and_health_of_a_running_tandem(uow_factory) -> None:
    world = await pair_world(uow_factory, status="running")
    tandem = await active_tandem(uow_factory, world)
    mentor, mentee = member(world["mentor"]), member(world["mentee"])
    goal = await goals.add_goal(uow_factory(), mentee, tandem.id, title="How does TikTok work?")
    assert (await tandems.tandem_health(uow_factory(), mentee, tandem.id)).health is Health.TOO_EARLY

    with pytest.raises(RuleViolation) as early:
        await tandems.answer_fit_check(uow_factory(), mentee, tandem.id, fits=True)
    assert early.value.code == "fit_check_too_early"

    session = await sessions.schedule_session(
        uow_factory(),
        mentor,
        tandem.id,
        starts_at=past(2),
        duration_minutes=60,
        format=MeetingFormat.SHADOWING_DAY,
        agenda="A day in the social media team",
    )
    session = await sessions.reschedule_session(uow_factory(), mentor, session.id, SessionChanges(starts_at=past(3)))
    await sessions.hold_session(uow_factory(), mentor, session.id, goals_covered=(goal.id,))
    await sessions.give_feedback(uow_factory(), mentee, session.id, rating=5, learned="the For You feed")
    await goals.update_goal(uow_factory(), mentee, goal.id, status=goals.GoalStatus.ACHIEVED)

    assert (await tandems.tandem_health(uow_factory(), mentee, tandem.id)).health is Health.ON_TRACK
    flagged = await tandems.answer_fit_check(uow_factory(), mentor, tandem.id, fits=False)
    assert flagged.rematch_flagged
    assert (await tandems.tandem_health(uow_factory(), mentee, tandem.id)).health is Health.AT_RISK

    with pytest.raises(RuleViolation) as outside:
        await sessions.schedule_session(
            uow_factory(), mentor, tandem.id, starts_at=past(400), duration_minutes=60, format=MeetingFormat.PHONE
        )
    assert outside.value.code == "outside_program_period"


async def test_paging_while_inserting_yields_no_duplicate_and_no_gap(uow_factory) -> None:
    _, manager = await new_org(uow_factory)
    for i in range(25):
        await new_person(uow_factory, manager, birth_year=1960 + i)
    seen, cursor, inserted = [], None, 0
    while True:
        page = await people.list_people(uow_factory(), manager, PageRequest(limit=7, after=cursor))
        seen.extend(p.id for p in page.items)
        if inserted < 3:  # rows arriving while a client pages through
            await new_person(uow_factory, manager, birth_year=1990)
            inserted += 1
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    everyone = await people.list_people(uow_factory(), manager, PageRequest(limit=200))
    assert len(seen) == len(set(seen))
    assert seen == [p.id for p in everyone.items]
    assert len(seen) == 28


async def test_unanswered_proposals_expire(uow_factory) -> None:
    world = await pair_world(uow_factory)
    proposal = await _propose(uow_factory, world)
    async with uow_factory() as uow:  # let two weeks pass for this proposal
        tandem = await uow.tandems.get(world["org"].id, proposal.id)
        tandem.expires_at = tandem.created_at - timedelta(seconds=1)
        await uow.tandems.save(tandem)
        await uow.commit()
    with pytest.raises(RuleViolation) as late:
        await tandems.accept_tandem(uow_factory(), member(world["mentee"]), proposal.id)
    assert late.value.code == "proposal_expired"
    assert await tandems.expire_proposals(uow_factory()) >= 1
    assert (await tandems.get_tandem(uow_factory(), world["manager"], proposal.id)).status is TandemStatus.EXPIRED


async def test_the_database_refuses_a_second_open_tandem_even_without_the_locks(uow_factory) -> None:
    world = await pair_world(uow_factory)
    first = await _propose(uow_factory, world)
    other = await new_person(uow_factory, world["manager"], birth_year=2001, department="Data")
    other_e = await enroll(uow_factory, world["manager"], world["program"], other, "mentor")
    twin = Tandem.propose(
        org_id=first.org_id,
        program_id=first.program_id,
        mentor_enrollment_id=other_e.id,
        mentee_enrollment_id=first.mentee_enrollment_id,
        mentor_person_id=other.id,
        mentee_person_id=first.mentee_person_id,
        expiry_days=14,
        actor_id=None,
    )
    with pytest.raises(Conflict) as refused:
        async with uow_factory() as uow:  # straight to the repository: no rule check, no lock
            await uow.tandems.add(twin)
            await uow.commit()
    assert refused.value.code == "mentee_already_paired"


async def test_changes_record_their_events_in_the_outbox(uow_factory, engine) -> None:
    world = await pair_world(uow_factory)
    proposal = await _propose(uow_factory, world)
    await tandems.decline_tandem(uow_factory(), member(world["mentor"]), proposal.id, reason="no time this year")
    async with engine.connect() as conn:
        rows = (await conn.execute(select(outbox.c.type).where(outbox.c.subject_id == proposal.id))).scalars().all()
    # declining closes the tandem: its health (too early) goes, which is a change of health too
    assert sorted(rows) == ["tandem.health_changed", "tandem.proposed", "tandem.status_changed"]


async def test_a_withdrawal_waits_until_the_open_tandem_has_ended(uow_factory) -> None:
    world = await pair_world(uow_factory)
    proposal = await _propose(uow_factory, world)
    program_id, mentee_e = world["program"].id, world["mentee_e"]
    with pytest.raises(Conflict):
        await enrollments.withdraw_enrollment(uow_factory(), member(world["mentee"]), program_id, mentee_e.id)
    await tandems.decline_tandem(uow_factory(), member(world["mentee"]), proposal.id)
    withdrawn = await enrollments.withdraw_enrollment(uow_factory(), member(world["mentee"]), program_id, mentee_e.id)
    assert withdrawn.status is EnrollmentStatus.WITHDRAWN


async def test_erasing_a_person_with_an_open_proposal_declines_it(uow_factory) -> None:
    world = await pair_world(uow_factory)
    proposal = await _propose(uow_factory, world)
    await people.erase_person(uow_factory(), member(world["mentor"]), world["mentor"].id)
    assert (await tandems.get_tandem(uow_factory(), world["manager"], proposal.id)).status is TandemStatus.DECLINED
