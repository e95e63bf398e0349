"""A whole program driven through GraphQL mutations only, then cross-checked against REST reads.

The same story as the generated REST client's end-to-end test: an organization, its people,
a program, enrollments, a manual pairing both sides accept, a goal, a session held inside the
running program's period, feedback from both sides, the fit check, and the program completed.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from app.domain.access import Caller, Role
from tests.api.graphql.commands import PROBLEM, mutate, ok
from tests.factories import PLATFORM_ADMIN

PROGRAM = f"""__typename ... on Program {{ id version status }} {PROBLEM}"""
TANDEM = f"""__typename ... on Tandem {{ id version status rematchFlagged }} {PROBLEM}"""
SESSION = f"""__typename ... on Session {{ id version status feedback {{ side rating learned }} }} {PROBLEM}"""

CREATE_ORG = f"""mutation($name: String!, $slug: String!) {{
  createOrganization(name: $name, slug: $slug) {{ __typename ... on Organization {{ id slug }} {PROBLEM} }} }}"""
CREATE_PERSON = f"""mutation($person: PersonInput!) {{
  createPerson(person: $person) {{ __typename ... on Person {{ id digitalNative }} {PROBLEM} }} }}"""
CREATE_PROGRAM = f"""mutation($title: String!, $startsOn: Date!, $endsOn: Date!) {{
  createProgram(title: $title, startsOn: $startsOn, endsOn: $endsOn) {{ {PROGRAM} }} }}"""
PROGRAM_STEP = """mutation($id: UUID!, $v: Int) {{ {name}(id: $id, expectedVersion: $v) {{ {program} }} }}"""
ENROLL = f"""mutation($programId: UUID!, $enrollment: EnrollmentInput!) {{
  enroll(programId: $programId, enrollment: $enrollment) {{
    __typename ... on Enrollment {{ id role }} {PROBLEM} }} }}"""
PROPOSE = f"""mutation($programId: UUID!, $tandem: TandemInput!) {{
  proposeTandem(programId: $programId, tandem: $tandem) {{ {TANDEM} }} }}"""
ACCEPT = f"""mutation($id: UUID!, $v: Int) {{ acceptTandem(id: $id, expectedVersion: $v) {{ {TANDEM} }} }}"""
ADD_GOAL = f"""mutation($tandemId: UUID!, $title: String!) {{
  addGoal(tandemId: $tandemId, title: $title) {{ __typename ... on Goal {{ id status }} {PROBLEM} }} }}"""
SCHEDULE = f"""mutation($tandemId: UUID!, $session: SessionInput!) {{
  scheduleSession(tandemId: $tandemId, session: $session) {{ {SESSION} }} }}"""
HOLD = f"""mutation($id: UUID!, $goals: [UUID!], $v: Int) {{
  holdSession(id: $id, goalsCovered: $goals, expectedVersion: $v) {{ {SESSION} }} }}"""
FEEDBACK = f"""mutation($sessionId: UUID!, $feedback: FeedbackInput!) {{
  giveFeedback(sessionId: $sessionId, feedback: $feedback) {{ {SESSION} }} }}"""
FIT_CHECK = f"""mutation($id: UUID!, $fits: Boolean!) {{ answerFitCheck(id: $id, fits: $fits) {{ {TANDEM} }} }}"""


def program_step(name: str) -> str:
    return PROGRAM_STEP.format(name=name, program=PROGRAM)


async def test_a_whole_program_runs_through_graphql_and_rest_agrees(client, bearer) -> None:
    slug = f"acme-{uuid.uuid4().hex[:8]}"
    org = ok(await mutate(client, bearer(PLATFORM_ADMIN), CREATE_ORG, name="Acme AG", slug=slug), "Organization")
    org_id = uuid.UUID(org["id"])
    manager = bearer(Caller(user_id=uuid.uuid4(), role=Role.PROGRAM_MANAGER, org_id=org_id))

    profiles = {
        "mentee": {"displayName": "Karin Schäfer", "birthYear": 1962, "department": "Board", "city": "München"},
        "mentor": {"displayName": "Lena Vogt", "birthYear": 1999, "department": "Digital", "city": "Berlin"},
    }
    people: dict[str, dict[str, Any]] = {}
    for side, profile in profiles.items():
        person = profile | {"email": f"{side}@{slug}.example", "languages": ["de", "en"], "timezone": "Europe/Berlin"}
        people[side] = ok(await mutate(client, manager, CREATE_PERSON, person=person), "Person")
    assert people["mentee"]["digitalNative"] is False and people["mentor"]["digitalNative"] is True
    as_member = {
        side: bearer(Caller(user_id=uuid.uuid4(), role=Role.MEMBER, org_id=org_id, person_id=uuid.UUID(p["id"])))
        for side, p in people.items()
    }

    starts = date.today() - timedelta(days=30)
    period = {"startsOn": starts.isoformat(), "endsOn": (starts + timedelta(days=270)).isoformat()}
    program = ok(await mutate(client, manager, CREATE_PROGRAM, title="Reverse Mentoring Pilot", **period), "Program")
    pid = program["id"]
    program = ok(await mutate(client, manager, program_step("openEnrollment"), id=pid, v=program["version"]), "Program")
    assert program["status"] == "ENROLLING"
    topic = {"name": "TikTok verstehen", "priority": 5}
    enrolled = {
        "mentee": {"personId": people["mentee"]["id"], "role": "MENTEE", "needs": [topic]},
        "mentor": {"personId": people["mentor"]["id"], "role": "MENTOR", "offers": [topic]},
    }
    enrollments = {
        side: ok(await mutate(client, manager, ENROLL, programId=pid, enrollment=body), "Enrollment")
        for side, body in enrolled.items()
    }
    program = ok(await mutate(client, manager, program_step("startMatching"), id=pid, v=program["version"]), "Program")
    pairing = {"mentorEnrollmentId": enrollments["mentor"]["id"], "menteeEnrollmentId": enrollments["mentee"]["id"]}
    tandem = ok(await mutate(client, manager, PROPOSE, programId=pid, tandem=pairing), "Tandem")
    assert tandem["status"] == "PROPOSED"
    tid = tandem["id"]

    tandem = ok(await mutate(client, as_member["mentor"], ACCEPT, id=tid, v=tandem["version"]), "Tandem")
    tandem = ok(await mutate(client, as_member["mentee"], ACCEPT, id=tid, v=tandem["version"]), "Tandem")
    assert tandem["status"] == "ACTIVE"
    program = ok(await mutate(client, manager, program_step("launchProgram"), id=pid, v=program["version"]), "Program")
    assert program["status"] == "RUNNING"

    goal = ok(await mutate(client, as_member["mentee"], ADD_GOAL, tandemId=tid, title="How does TikTok work?"), "Goal")
    meeting = {
        "startsAt": (datetime.now(UTC) - timedelta(days=2)).isoformat(),
        "durationMinutes": 90,
        "format": "SHADOWING_DAY",
    }
    session = ok(await mutate(client, as_member["mentor"], SCHEDULE, tandemId=tid, session=meeting), "Session")
    sid = session["id"]
    held = ok(
        await mutate(client, as_member["mentor"], HOLD, id=sid, goals=[goal["id"]], v=session["version"]), "Session"
    )
    assert held["status"] == "HELD"
    for side, learned in (("mentee", "the For You feed"), ("mentor", "how a board decides")):
        feedback = {"rating": 5, "learned": learned}
        ok(await mutate(client, as_member[side], FEEDBACK, sessionId=sid, feedback=feedback), "Session")
    for side in ("mentee", "mentor"):
        tandem = ok(await mutate(client, as_member[side], FIT_CHECK, id=tid, fits=True), "Tandem")
    assert tandem["rematchFlagged"] is False

    completed = ok(await mutate(client, manager, program_step("completeProgram"), id=pid), "Program")
    assert completed["status"] == "COMPLETED"

    # cross-check every result against REST reads
    stored_program = await client.get(f"/v1/programs/{pid}", headers=manager)
    assert stored_program.json()["status"] == "completed"
    assert stored_program.headers["etag"] == f'"{completed["version"]}"'
    stored_tandem = (await client.get(f"/v1/tandems/{tid}", headers=manager)).json()
    assert stored_tandem["status"] == "completed" and (stored_tandem["mentor_fits"], stored_tandem["mentee_fits"]) == (
        True,
        True,
    )
    assert stored_tandem["mentor_enrollment_id"] == enrollments["mentor"]["id"]
    assert stored_tandem["mentee_person_id"] == people["mentee"]["id"]
    history = (await client.get(f"/v1/tandems/{tid}/history", headers=manager)).json()
    assert [t["to_status"] for t in history["items"]] == ["proposed", "active", "completed"]
    stored_session = (await client.get(f"/v1/sessions/{sid}", headers=as_member["mentee"])).json()
    assert stored_session["status"] == "held" and stored_session["goals_covered"] == [goal["id"]]
    assert sorted((f["side"], f["rating"], f["learned"]) for f in stored_session["feedback"]) == [
        ("mentee", 5, "the For You feed"),
        ("mentor", 5, "how a board decides"),
    ]
    assert stored_session["format"] == "shadowing_day" and stored_session["duration_minutes"] == 90
    other_tenant = await client.get(f"/v1/tandems/{tid}", headers=bearer(PLATFORM_ADMIN))
    assert other_tenant.status_code == 404
