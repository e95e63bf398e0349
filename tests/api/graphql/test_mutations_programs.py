"""Program, enrollment and preference mutations: the same use cases, codes and statuses as REST."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from app.services import programs
from app.services.programs import ProgramRevision, RulesRevision
from tests.api.graphql.commands import PROBLEM, mutate, ok, refused, rest
from tests.factories import PLATFORM_ADMIN, member, new_org, new_person, new_program, pair_world

PROGRAM = "... on Program { id version title description startsOn endsOn status }"
ENROLLMENT = """... on Enrollment { id version programId personId role
  needs { name priority } offers { name } keyQuestions capacity status }"""

CREATE = f"""mutation($title: String!, $startsOn: Date!, $endsOn: Date!, $rules: RulesInput) {{
  createProgram(title: $title, startsOn: $startsOn, endsOn: $endsOn, rules: $rules) {{
    __typename {PROGRAM} {PROBLEM} }} }}"""
UPDATE = f"""mutation($id: UUID!, $changes: ProgramPatchInput!, $v: Int) {{
  updateProgram(id: $id, changes: $changes, expectedVersion: $v) {{ __typename {PROGRAM} {PROBLEM} }} }}"""
STEP = (
    """mutation($id: UUID!, $v: Int) {{ {name}(id: $id, expectedVersion: $v) {{ __typename {program} {problem} }} }}"""
)
ENROLL = f"""mutation($programId: UUID!, $enrollment: EnrollmentInput!) {{
  enroll(programId: $programId, enrollment: $enrollment) {{ __typename {ENROLLMENT} {PROBLEM} }} }}"""
UPDATE_ENROLLMENT = f"""mutation($programId: UUID!, $id: UUID!, $changes: EnrollmentPatchInput!, $v: Int) {{
  updateEnrollment(programId: $programId, id: $id, changes: $changes, expectedVersion: $v) {{
    __typename {ENROLLMENT} {PROBLEM} }} }}"""
WITHDRAW = f"""mutation($programId: UUID!, $id: UUID!, $v: Int) {{
  withdrawEnrollment(programId: $programId, id: $id, expectedVersion: $v) {{ __typename {ENROLLMENT} {PROBLEM} }} }}"""
PREFER = f"""mutation($programId: UUID!, $enrollmentId: UUID!, $candidateId: UUID!, $choice: Choice!) {{
  setPreference(
    programId: $programId, enrollmentId: $enrollmentId, candidateEnrollmentId: $candidateId, choice: $choice
  ) {{
    __typename
    ... on Preference {{ enrollmentId candidateEnrollmentId choice mutual tandemId proposalRefused {{ code detail }} }}
    {PROBLEM} }} }}"""


def step(name: str) -> str:
    return STEP.format(name=name, program=PROGRAM, problem=PROBLEM)


def period(days: int = 270) -> dict[str, str]:
    starts = date.today() + timedelta(days=30)
    return {"startsOn": starts.isoformat(), "endsOn": (starts + timedelta(days=days)).isoformat()}


async def test_a_manager_creates_a_program_with_rules_as_rest_would(client, bearer, uow_factory) -> None:
    _, manager = await new_org(uow_factory)
    rules = {"selfMatching": True, "minGenerationGap": 2}
    created = ok(await mutate(client, bearer(manager), CREATE, title="Pilot", rules=rules, **period()), "Program")
    assert (created["status"], created["version"], created["title"]) == ("DRAFT", 1, "Pilot")
    stored = await rest(client, bearer(manager), f"/v1/programs/{created['id']}")
    assert stored["rules"]["self_matching"] is True and stored["rules"]["min_generation_gap"] == 2
    assert stored["rules"]["forbid_same_department"] is True  # a rule left out keeps its default
    assert stored["starts_on"] == created["startsOn"] and stored["ends_on"] == created["endsOn"]


async def test_creating_checks_the_period_the_bounds_and_the_role(client, bearer, uow_factory) -> None:
    _, manager = await new_org(uow_factory)
    headers = bearer(manager)
    short = await mutate(client, headers, CREATE, title="Too short", **period(days=60))
    assert refused(short, 422, "invalid_period")["field"] == "ends_on"
    blank = await mutate(client, headers, CREATE, title="", **period())
    assert refused(blank, 422, "validation_failed")["field"] == "title"
    gap = await mutate(client, headers, CREATE, title="Gap", rules={"minGenerationGap": 9}, **period())
    assert refused(gap, 422, "validation_failed")["field"] == "rules.minGenerationGap"

    person = await new_person(uow_factory, manager, birth_year=1990)
    as_member = await mutate(client, bearer(member(person)), CREATE, title="Mine", **period())
    refused(as_member, 403, "manager_required")
    refused(await mutate(client, bearer(PLATFORM_ADMIN), CREATE, title="Admin", **period()), 403)


async def test_transitions_follow_the_state_machine_and_honour_the_version(client, bearer, uow_factory) -> None:
    _, manager = await new_org(uow_factory)
    program = await new_program(uow_factory, manager, status="draft")
    headers, pid = bearer(manager), str(program.id)
    too_early = await mutate(client, headers, step("launchProgram"), id=pid)
    refused(too_early, 409, "program_invalid_transition")
    stale = await mutate(client, headers, step("openEnrollment"), id=pid, v=program.version + 1)
    refused(stale, 412, "version_mismatch")

    opened = ok(await mutate(client, headers, step("openEnrollment"), id=pid, v=program.version), "Program")
    assert opened["status"] == "ENROLLING" and opened["version"] == program.version + 1
    matching = ok(await mutate(client, headers, step("startMatching"), id=pid), "Program")
    running = ok(await mutate(client, headers, step("launchProgram"), id=pid, v=matching["version"]), "Program")
    assert running["status"] == "RUNNING"
    cancelled = ok(await mutate(client, headers, step("cancelProgram"), id=pid), "Program")
    assert cancelled["status"] == "CANCELLED"
    refused(await mutate(client, headers, step("completeProgram"), id=pid), 409, "program_invalid_transition")
    assert (await rest(client, headers, f"/v1/programs/{pid}"))["status"] == "cancelled"


async def test_another_tenant_does_not_find_the_program_and_a_member_may_not_move_it(
    client, bearer, uow_factory
) -> None:
    _, manager = await new_org(uow_factory)
    program = await new_program(uow_factory, manager, status="draft")
    _, stranger = await new_org(uow_factory)
    elsewhere = await mutate(client, bearer(stranger), step("openEnrollment"), id=str(program.id))
    refused(elsewhere, 404, "program_not_found")
    person = await new_person(uow_factory, manager, birth_year=1990)
    refused(await mutate(client, bearer(member(person)), step("cancelProgram"), id=str(program.id)), 403)
    changed = await mutate(client, bearer(stranger), UPDATE, id=str(program.id), changes={"title": "Mine now"})
    refused(changed, 404, "program_not_found")


async def test_update_program_changes_only_what_is_sent(client, bearer, uow_factory) -> None:
    _, manager = await new_org(uow_factory)
    program = await new_program(uow_factory, manager, status="draft", description="kept")
    headers, pid = bearer(manager), str(program.id)
    changes = {"title": "Renamed", "rules": {"selfMatching": True}}
    updated = ok(await mutate(client, headers, UPDATE, id=pid, changes=changes, v=program.version), "Program")
    assert (updated["title"], updated["description"], updated["version"]) == ("Renamed", "kept", program.version + 1)
    stored = await rest(client, headers, f"/v1/programs/{pid}")
    assert stored["rules"]["self_matching"] is True and stored["rules"]["mentor_must_be_digital_native"] is True

    refused(await mutate(client, headers, UPDATE, id=pid, changes={"title": "x"}, v=1), 412, "version_mismatch")
    shorter = {"endsOn": (program.starts_on + timedelta(days=30)).isoformat()}
    refused(await mutate(client, headers, UPDATE, id=pid, changes=shorter), 422, "invalid_period")
    bad = await mutate(client, headers, UPDATE, id=pid, changes={"rules": {"lowRating": 0}})
    assert refused(bad, 422, "validation_failed")["field"] == "changes.rules.lowRating"
    person = await new_person(uow_factory, manager, birth_year=1990)
    refused(await mutate(client, bearer(member(person)), UPDATE, id=pid, changes={"title": "x"}), 403)


async def test_enroll_checks_the_program_rules_duplicates_and_bounds(client, bearer, uow_factory) -> None:
    _, manager = await new_org(uow_factory)
    program = await new_program(uow_factory, manager)
    mentor = await new_person(uow_factory, manager, birth_year=1998)
    young = await new_person(uow_factory, manager, birth_year=2000)
    headers, pid = bearer(manager), str(program.id)

    body = {"personId": str(mentor.id), "role": "MENTOR", "offers": [{"name": "TikTok"}], "capacity": 2}
    enrolled = ok(await mutate(client, headers, ENROLL, programId=pid, enrollment=body), "Enrollment")
    assert (enrolled["role"], enrolled["capacity"], enrolled["status"]) == ("MENTOR", 2, "active")
    assert enrolled["offers"] == [{"name": "TikTok"}]
    stored = await rest(client, headers, f"/v1/programs/{pid}/enrollments/{enrolled['id']}")
    assert stored["person_id"] == str(mentor.id) and stored["capacity"] == 2

    refused(await mutate(client, headers, ENROLL, programId=pid, enrollment=body), 409, "already_enrolled")
    as_mentee = {"personId": str(young.id), "role": "MENTEE", "needs": [{"name": "Board work", "priority": 5}]}
    refused(
        await mutate(client, headers, ENROLL, programId=pid, enrollment=as_mentee), 422, "mentee_not_digital_immigrant"
    )
    too_many = body | {"personId": str(young.id), "capacity": 21}
    too_big = await mutate(client, headers, ENROLL, programId=pid, enrollment=too_many)
    assert refused(too_big, 422, "validation_failed")["field"] == "enrollment.capacity"
    priority = body | {"personId": str(young.id), "offers": [{"name": "TikTok", "priority": 9}]}
    assert (
        refused(await mutate(client, headers, ENROLL, programId=pid, enrollment=priority), 422, "validation_failed")[
            "field"
        ]
        == "enrollment.offers.0.priority"
    )

    _, stranger = await new_org(uow_factory)
    refused(await mutate(client, bearer(stranger), ENROLL, programId=pid, enrollment=body), 404, "program_not_found")


async def test_update_and_withdraw_an_enrollment(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    headers, pid = bearer(world["manager"]), str(world["program"].id)
    mentor_e, mentee_e = world["mentor_e"], world["mentee_e"]
    as_mentee = bearer(member(world["mentee"]))

    changes = {
        "keyQuestions": ["How do young talents choose an employer?"],
        "needs": [{"name": "TikTok", "priority": 4}],
    }
    updated = ok(
        await mutate(client, as_mentee, UPDATE_ENROLLMENT, programId=pid, id=str(mentee_e.id), changes=changes, v=1),
        "Enrollment",
    )
    assert updated["keyQuestions"] == changes["keyQuestions"] and updated["version"] == 2
    assert updated["needs"] == [{"name": "TikTok", "priority": 4}]
    stale = await mutate(client, as_mentee, UPDATE_ENROLLMENT, programId=pid, id=str(mentee_e.id), changes={}, v=1)
    refused(stale, 412, "version_mismatch")
    others = await mutate(
        client, as_mentee, UPDATE_ENROLLMENT, programId=pid, id=str(mentor_e.id), changes={"capacity": 3}
    )
    refused(others, 403)

    withdrawn = ok(await mutate(client, as_mentee, WITHDRAW, programId=pid, id=str(mentee_e.id)), "Enrollment")
    assert withdrawn["status"] == "withdrawn"
    stored = await rest(client, headers, f"/v1/programs/{pid}/enrollments/{mentee_e.id}")
    assert stored["status"] == "withdrawn"


async def test_an_enrollment_with_an_open_tandem_cannot_be_withdrawn(client, bearer, uow_factory) -> None:
    from tests.api.tandem_world import proposed

    world = await pair_world(uow_factory)
    await proposed(uow_factory, world)
    answer = await mutate(
        client, bearer(world["manager"]), WITHDRAW, programId=str(world["program"].id), id=str(world["mentor_e"].id)
    )
    refused(answer, 409, "enrollment_has_open_tandem")


async def _self_matching(uow_factory: Any) -> dict[str, Any]:
    world = await pair_world(uow_factory)
    await programs.update_program(
        uow_factory(), world["manager"], world["program"].id, ProgramRevision(rules=RulesRevision(self_matching=True))
    )
    return world


def _choice(world: dict[str, Any], who: str, choice: str) -> dict[str, str]:
    other = "mentee" if who == "mentor" else "mentor"
    return {
        "programId": str(world["program"].id),
        "enrollmentId": str(world[f"{who}_e"].id),
        "candidateId": str(world[f"{other}_e"].id),
        "choice": choice,
    }


async def test_a_mutual_like_proposes_the_tandem_and_tells_its_id(client, bearer, uow_factory) -> None:
    world = await _self_matching(uow_factory)
    first = ok(
        await mutate(client, bearer(member(world["mentee"])), PREFER, **_choice(world, "mentee", "LIKE")), "Preference"
    )
    assert (first["choice"], first["mutual"], first["tandemId"], first["proposalRefused"]) == (
        "LIKE",
        False,
        None,
        None,
    )
    assert first["enrollmentId"] == str(world["mentee_e"].id)

    second = ok(
        await mutate(client, bearer(member(world["mentor"])), PREFER, **_choice(world, "mentor", "LIKE")), "Preference"
    )
    assert second["mutual"] is True and second["tandemId"] is not None
    tandem = await rest(client, bearer(world["manager"]), f"/v1/tandems/{second['tandemId']}")
    assert tandem["status"] == "proposed" and tandem["mentee_enrollment_id"] == str(world["mentee_e"].id)


async def test_nobody_likes_for_someone_else_and_strangers_find_nothing(client, bearer, uow_factory) -> None:
    world = await _self_matching(uow_factory)
    by_manager = await mutate(client, bearer(world["manager"]), PREFER, **_choice(world, "mentee", "PASS"))
    refused(by_manager, 403, "not_your_enrollment")
    by_the_other = await mutate(client, bearer(member(world["mentor"])), PREFER, **_choice(world, "mentee", "LIKE"))
    refused(by_the_other, 403, "not_your_enrollment")
    _, stranger = await new_org(uow_factory)
    refused(await mutate(client, bearer(stranger), PREFER, **_choice(world, "mentee", "LIKE")), 404)
    passed = ok(
        await mutate(client, bearer(member(world["mentee"])), PREFER, **_choice(world, "mentee", "PASS")), "Preference"
    )
    assert passed["choice"] == "PASS" and passed["mutual"] is False
