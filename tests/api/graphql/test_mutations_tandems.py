"""Tandem and goal mutations: pairing, each side's answer, the life cycle, fit check, the journey."""

from __future__ import annotations

from typing import Any

import pytest

from app.domain.enrollment import ParticipantRole
from app.domain.values import Topic
from app.services import enrollments, goals
from tests.api.graphql.commands import PROBLEM, mutate, ok, refused, rest
from tests.api.tandem_world import EXPECTED, held, proposed, running, strangers
from tests.factories import member, new_org, new_person, pair_world

TANDEM = """... on Tandem { id version programId mentorEnrollmentId menteeEnrollmentId status formats
  rematchFlagged history { fromStatus toStatus actorId reason } }"""
GOAL = "... on Goal { id version tandemId title description status }"

PROPOSE = f"""mutation($programId: UUID!, $tandem: TandemInput!) {{
  proposeTandem(programId: $programId, tandem: $tandem) {{ __typename {TANDEM} {PROBLEM} }} }}"""
ACCEPT = f"""mutation($id: UUID!, $v: Int) {{
  acceptTandem(id: $id, expectedVersion: $v) {{ __typename {TANDEM} {PROBLEM} }} }}"""
WITH_REASON = """mutation($id: UUID!, $reason: String, $v: Int) {{
  {name}(id: $id, reason: $reason, expectedVersion: $v) {{ __typename {tandem} {problem} }} }}"""
DISSOLVE = f"""mutation($id: UUID!, $reason: String!, $never: Boolean!, $v: Int) {{
  dissolveTandem(id: $id, reason: $reason, neverPairAgain: $never, expectedVersion: $v) {{
    __typename {TANDEM} {PROBLEM} }} }}"""
FIT_CHECK = f"""mutation($id: UUID!, $fits: Boolean!, $v: Int) {{
  answerFitCheck(id: $id, fits: $fits, expectedVersion: $v) {{ __typename {TANDEM} {PROBLEM} }} }}"""
ADD_GOAL = f"""mutation($tandemId: UUID!, $title: String!, $description: String! = "") {{
  addGoal(tandemId: $tandemId, title: $title, description: $description) {{ __typename {GOAL} {PROBLEM} }} }}"""
UPDATE_GOAL = f"""mutation($id: UUID!, $title: String, $status: GoalStatus, $v: Int) {{
  updateGoal(id: $id, title: $title, status: $status, expectedVersion: $v) {{ __typename {GOAL} {PROBLEM} }} }}"""


def transition(name: str) -> str:
    return WITH_REASON.format(name=name, tandem=TANDEM, problem=PROBLEM)


def pairing(world: dict[str, Any], **extra: object) -> dict[str, object]:
    return {"mentorEnrollmentId": str(world["mentor_e"].id), "menteeEnrollmentId": str(world["mentee_e"].id)} | extra


async def _another(uow_factory: Any, world: dict[str, Any], role: str, birth_year: int, department: str) -> Any:
    person = await new_person(uow_factory, world["manager"], birth_year=birth_year, department=department)
    topics = {"offers": (Topic("TikTok"),)} if role == "mentor" else {"needs": (Topic("TikTok"),)}
    return await enrollments.enroll_person(
        uow_factory(), world["manager"], world["program"].id, person_id=person.id, role=ParticipantRole(role), **topics
    )


async def test_a_manager_pairs_by_hand_and_rest_reads_the_proposal(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    headers, pid = bearer(world["manager"]), str(world["program"].id)
    body = pairing(world, formats=["VIDEO_CALL"], reason="both love short videos")
    tandem = ok(await mutate(client, headers, PROPOSE, programId=pid, tandem=body), "Tandem")
    assert (tandem["status"], tandem["formats"], tandem["programId"]) == ("PROPOSED", ["VIDEO_CALL"], pid)
    assert tandem["history"] == [
        {"fromStatus": None, "toStatus": "PROPOSED", "actorId": str(world["manager"].user_id), "reason": body["reason"]}
    ]
    stored = await rest(client, headers, f"/v1/tandems/{tandem['id']}")
    assert stored["status"] == "proposed" and stored["mentor_enrollment_id"] == str(world["mentor_e"].id)

    mentor2 = await _another(uow_factory, world, "mentor", 1997, "IT")
    twice = await mutate(
        client, headers, PROPOSE, programId=pid, tandem=pairing(world) | {"mentorEnrollmentId": str(mentor2.id)}
    )
    refused(twice, 409, "mentee_already_paired")
    mentee2 = await _another(uow_factory, world, "mentee", 1960, "Sales")
    full = await mutate(
        client, headers, PROPOSE, programId=pid, tandem=pairing(world) | {"menteeEnrollmentId": str(mentee2.id)}
    )
    refused(full, 409, "mentor_capacity_exceeded")
    long_reason = pairing(world, reason="x" * 2001)
    assert refused(await mutate(client, headers, PROPOSE, programId=pid, tandem=long_reason), 422)["field"] == (
        "tandem.reason"
    )


async def test_pairing_needs_a_manager_of_the_organization(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    pid = str(world["program"].id)
    as_mentee = await mutate(client, bearer(member(world["mentee"])), PROPOSE, programId=pid, tandem=pairing(world))
    refused(as_mentee, 403, "manager_required")
    _, stranger = await new_org(uow_factory)
    refused(
        await mutate(client, bearer(stranger), PROPOSE, programId=pid, tandem=pairing(world)), 404, "program_not_found"
    )
    young_mentee = await _another(uow_factory, world, "mentor", 1999, "Sales")
    same_side = pairing(world) | {"menteeEnrollmentId": str(young_mentee.id)}
    refused(await mutate(client, bearer(world["manager"]), PROPOSE, programId=pid, tandem=same_side), 422)


async def test_each_side_accepts_and_the_second_acceptance_activates(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    tandem = await proposed(uow_factory, world)
    tid = str(tandem.id)
    refused(await mutate(client, bearer(world["manager"]), ACCEPT, id=tid), 403, "participant_required")
    first = ok(await mutate(client, bearer(member(world["mentor"])), ACCEPT, id=tid, v=1), "Tandem")
    assert (first["status"], first["version"]) == ("PROPOSED", 2)
    mentee = bearer(member(world["mentee"]))
    refused(await mutate(client, mentee, ACCEPT, id=tid, v=1), 412, "version_mismatch")
    second = ok(await mutate(client, mentee, ACCEPT, id=tid, v=2), "Tandem")
    assert second["status"] == "ACTIVE"
    refused(await mutate(client, mentee, ACCEPT, id=tid), 409, "tandem_invalid_transition")
    history = await rest(client, bearer(world["manager"]), f"/v1/tandems/{tid}/history")
    assert [t["to_status"] for t in history["items"]] == ["proposed", "active"]


async def test_a_side_declines_with_a_reason_kept_in_the_history(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    tandem = await proposed(uow_factory, world)
    mentee = bearer(member(world["mentee"]))
    refused(await mutate(client, mentee, transition("declineTandem"), id=str(tandem.id), reason="x" * 2001), 422)
    declined = ok(
        await mutate(client, mentee, transition("declineTandem"), id=str(tandem.id), reason="no time this year"),
        "Tandem",
    )
    assert declined["status"] == "DECLINED" and declined["history"][-1]["reason"] == "no time this year"
    history = await rest(client, bearer(world["manager"]), f"/v1/tandems/{tandem.id}/history")
    assert history["items"][-1]["reason"] == "no time this year"


async def test_pause_resume_and_complete_follow_the_state_machine(client, bearer, uow_factory) -> None:
    world, tandem = await running(uow_factory)
    tid, mentee, manager = str(tandem.id), bearer(member(world["mentee"])), bearer(world["manager"])
    refused(await mutate(client, mentee, transition("resumeTandem"), id=tid), 409, "tandem_invalid_transition")
    paused = ok(await mutate(client, manager, transition("pauseTandem"), id=tid, reason="parental leave"), "Tandem")
    assert paused["status"] == "PAUSED"
    refused(await mutate(client, mentee, transition("resumeTandem"), id=tid, v=paused["version"] - 1), 412)
    resumed = ok(await mutate(client, mentee, transition("resumeTandem"), id=tid, v=paused["version"]), "Tandem")
    assert resumed["status"] == "ACTIVE"
    done = ok(await mutate(client, mentee, transition("completeTandem"), id=tid), "Tandem")
    assert done["status"] == "COMPLETED"
    refused(await mutate(client, mentee, transition("pauseTandem"), id=tid), 409, "tandem_invalid_transition")
    stored = await rest(client, manager, f"/v1/tandems/{tid}/history")
    assert [t["to_status"] for t in stored["items"]] == ["proposed", "active", "paused", "active", "completed"]


async def test_dissolving_needs_a_reason_and_can_exclude_the_pair_for_good(client, bearer, uow_factory) -> None:
    world, tandem = await running(uow_factory)
    tid, manager = str(tandem.id), bearer(world["manager"])
    blank = await mutate(client, manager, DISSOLVE, id=tid, reason="  ", never=False)
    assert refused(blank, 422, "reason_required")["field"] == "reason"
    refused(await mutate(client, manager, DISSOLVE, id=tid, reason="x" * 2001, never=False), 422, "validation_failed")
    refused(await mutate(client, manager, DISSOLVE, id=tid, reason="late", never=False, v=9), 412, "version_mismatch")
    gone = ok(await mutate(client, manager, DISSOLVE, id=tid, reason="no chemistry", never=True), "Tandem")
    assert gone["status"] == "DISSOLVED" and gone["history"][-1]["reason"] == "no chemistry"
    stored = await rest(client, manager, f"/v1/tandems/{tid}")
    assert (stored["end_reason"], stored["never_pair_again"]) == ("no chemistry", True)
    again = await mutate(client, manager, PROPOSE, programId=str(world["program"].id), tandem=pairing(world))
    refused(again, 409, "pair_excluded")


async def test_the_fit_check_opens_after_the_first_held_session(client, bearer, uow_factory) -> None:
    world, tandem = await running(uow_factory)
    tid, mentee = str(tandem.id), bearer(member(world["mentee"]))
    refused(await mutate(client, mentee, FIT_CHECK, id=tid, fits=True), 422, "fit_check_too_early")
    await held(uow_factory, world, tandem)
    refused(await mutate(client, bearer(world["manager"]), FIT_CHECK, id=tid, fits=True), 403, "participant_required")
    yes = ok(await mutate(client, bearer(member(world["mentor"])), FIT_CHECK, id=tid, fits=True), "Tandem")
    assert yes["rematchFlagged"] is False
    refused(await mutate(client, mentee, FIT_CHECK, id=tid, fits=False, v=1), 412, "version_mismatch")
    no = ok(await mutate(client, mentee, FIT_CHECK, id=tid, fits=False, v=yes["version"]), "Tandem")
    assert no["rematchFlagged"] is True
    stored = await rest(client, bearer(world["manager"]), f"/v1/tandems/{tid}")
    assert (stored["mentor_fits"], stored["mentee_fits"], stored["health"]) == (True, False, "at_risk")


TRANSITIONS = {
    "accept": (ACCEPT, {}),
    "decline": (transition("declineTandem"), {"reason": "no"}),
    "pause": (transition("pauseTandem"), {}),
    "resume": (transition("resumeTandem"), {}),
    "complete": (transition("completeTandem"), {}),
    "dissolve": (DISSOLVE, {"reason": "no", "never": False}),
    "fit_check": (FIT_CHECK, {"fits": False}),
}


@pytest.mark.parametrize(("document", "arguments"), TRANSITIONS.values(), ids=TRANSITIONS.keys())
async def test_nobody_outside_the_tandem_moves_it(client, bearer, uow_factory, document, arguments) -> None:
    world, tandem = await running(uow_factory)
    await held(uow_factory, world, tandem)  # so that only the caller's role can stop the fit check
    for who, caller in (await strangers(uow_factory, world)).items():
        answer = await mutate(client, bearer(caller), document, id=str(tandem.id), **arguments)
        refused(answer, EXPECTED[who], "tandem_not_found" if EXPECTED[who] == 404 else None)
    unchanged = await rest(client, bearer(world["manager"]), f"/v1/tandems/{tandem.id}")
    assert unchanged["status"] == "active" and unchanged["mentee_fits"] is None


async def test_a_goal_is_added_and_moves_along_its_journey(client, bearer, uow_factory) -> None:
    world, tandem = await running(uow_factory)
    mentee = bearer(member(world["mentee"]))
    added = ok(
        await mutate(
            client, mentee, ADD_GOAL, tandemId=str(tandem.id), title="How does TikTok work?", description="why"
        ),
        "Goal",
    )
    assert (added["status"], added["version"], added["tandemId"]) == ("OPEN", 1, str(tandem.id))
    assert (await rest(client, mentee, f"/v1/goals/{added['id']}"))["title"] == "How does TikTok work?"

    gid = added["id"]
    started = ok(await mutate(client, mentee, UPDATE_GOAL, id=gid, status="IN_PROGRESS", v=1), "Goal")
    assert started["version"] == 2
    refused(await mutate(client, mentee, UPDATE_GOAL, id=gid, title="Instagram", v=1), 412, "version_mismatch")
    done = ok(
        await mutate(client, mentee, UPDATE_GOAL, id=gid, title="TikTok and Reels", status="ACHIEVED", v=2), "Goal"
    )
    assert (done["title"], done["status"], done["description"]) == ("TikTok and Reels", "ACHIEVED", "why")
    refused(await mutate(client, mentee, UPDATE_GOAL, id=gid, status="OPEN"), 409, "goal_invalid_transition")
    stored = await rest(client, bearer(world["manager"]), f"/v1/goals/{gid}")
    assert (stored["status"], stored["title"]) == ("achieved", "TikTok and Reels")


async def test_bad_goals_and_strangers_are_refused(client, bearer, uow_factory) -> None:
    world, tandem = await running(uow_factory)
    headers = bearer(world["manager"])
    goal = await goals.add_goal(uow_factory(), world["manager"], tandem.id, title="TikTok")
    blank = await mutate(client, headers, ADD_GOAL, tandemId=str(tandem.id), title="   ")
    assert refused(blank, 422, "blank_value")["field"] == "title"
    too_long = await mutate(client, headers, ADD_GOAL, tandemId=str(tandem.id), title="x" * 201)
    assert refused(too_long, 422, "validation_failed")["field"] == "title"
    for who, caller in (await strangers(uow_factory, world)).items():
        refused(await mutate(client, bearer(caller), ADD_GOAL, tandemId=str(tandem.id), title="mine"), EXPECTED[who])
        refused(await mutate(client, bearer(caller), UPDATE_GOAL, id=str(goal.id), status="DROPPED"), EXPECTED[who])
    assert (await goals.get_goal(uow_factory(), world["manager"], goal.id)).status.value == "open"


async def test_a_closed_tandem_takes_no_new_goals(client, bearer, uow_factory) -> None:
    world, tandem = await running(uow_factory)
    headers = bearer(world["manager"])
    ok(await mutate(client, headers, transition("completeTandem"), id=str(tandem.id)), "Tandem")
    refused(await mutate(client, headers, ADD_GOAL, tandemId=str(tandem.id), title="late"), 422, "tandem_closed")
