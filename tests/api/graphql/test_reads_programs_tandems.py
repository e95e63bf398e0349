"""The reads GraphQL shares with REST below a program and a tandem: the same data as REST's answer,
null for a single object another tenant or a role may not see, REST's error for such a list."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from app.domain.availability import WeeklyWindow
from app.services import goals, people
from tests.api.graphql.helpers import data, gql
from tests.api.tandem_world import held, proposed, running, strangers
from tests.factories import member, new_org, new_person, pair_world

PROGRAM = """query($id: UUID!) { program(id: $id) {
    rules { mentorMustBeDigitalNative menteeMustBeDigitalImmigrant minGenerationGap forbidSameDepartment
            defaultMentorCapacity proposalExpiryDays needsCheckInAfterDays atRiskAfterDays lowRating
            missedSessionsAtRisk goalsStalledAfterSessions selfMatching }
    matchingRuns { edges { node { id status } } }
} }"""
ENROLLMENTS = """query($id: UUID!, $after: String) { enrollments(programId: $id, first: 1, after: $after) {
    edges { node { id personId } } pageInfo { hasNextPage endCursor } } }"""
ENROLLMENT = "query($p: UUID!, $id: UUID!) { enrollment(programId: $p, id: $id) { id role personId } }"
TANDEMS = "query($id: UUID!) { tandems(programId: $id) { edges { node { id status health { status reason } } } } }"
TANDEM = "query($id: UUID!) { tandem(id: $id) { id health { status reason } } }"
RUNS = "query($id: UUID!) { matchingRuns(programId: $id) { edges { node { id status programId } } } }"
GOALS = "query($id: UUID!) { goals(tandemId: $id) { edges { node { id title status } } } }"
GOAL = "query($id: UUID!) { goal(id: $id) { id title tandemId } }"
SESSIONS = """query($id: UUID!) { sessions(tandemId: $id) {
    edges { node { id status feedback { rating } } } pageInfo { hasNextPage } } }"""
SESSION = "query($id: UUID!) { session(id: $id) { id status tandemId } }"
HISTORY = "query($id: UUID!) { tandemHistory(tandemId: $id) { fromStatus toStatus reason } }"
SLOTS = """query($id: UUID!) { slotSuggestions(tandemId: $id, durationMinutes: 45, days: 7, limit: 5) {
    items { startsAt endsAt mentorLocalStart menteeLocalStart } mentorTimezone menteeTimezone } }"""


def _errors(body: dict[str, Any]) -> list[tuple[int, str]]:
    return [(e["extensions"]["status"], e["extensions"]["code"]) for e in body.get("errors") or []]


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


async def _ids(client, headers: dict[str, str], query: str, name: str, **variables: Any) -> list[str]:
    return [e["node"]["id"] for e in (await data(client, headers, query, **variables))[name]["edges"]]


# --- a program: its rules, enrollments, tandems and matching runs -------------------------------


async def test_a_programs_rules_read_as_rest_answers_them(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    headers = bearer(world["manager"])
    program_id = world["program"].id
    read = (await data(client, headers, PROGRAM, id=str(program_id)))["program"]
    rest = (await client.get(f"/v1/programs/{program_id}", headers=headers)).json()
    assert read["rules"] == {_camel(k): v for k, v in rest["rules"].items()}
    assert read["matchingRuns"] == {"edges": []}


async def test_enrollments_page_for_a_manager_and_a_member_sees_their_own(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    program_id = str(world["program"].id)
    seen: list[str] = []
    after: str | None = None
    while True:
        page = (await data(client, bearer(world["manager"]), ENROLLMENTS, id=program_id, after=after))["enrollments"]
        seen += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == [str(world["mentor_e"].id), str(world["mentee_e"].id)]
    as_mentee = bearer(member(world["mentee"]))
    assert await _ids(client, as_mentee, ENROLLMENTS, "enrollments", id=program_id) == [str(world["mentee_e"].id)]
    own = (await data(client, as_mentee, ENROLLMENT, p=program_id, id=str(world["mentee_e"].id)))["enrollment"]
    assert own == {"id": str(world["mentee_e"].id), "role": "MENTEE", "personId": str(world["mentee"].id)}
    # the mentor's enrollment is not the member's (REST: 403); another program's id does not hold it (404)
    assert (await data(client, as_mentee, ENROLLMENT, p=program_id, id=str(world["mentor_e"].id))) == {
        "enrollment": None
    }
    elsewhere = str((await pair_world(uow_factory))["program"].id)
    ids = {"p": elsewhere, "id": str(world["mentee_e"].id)}
    assert (await data(client, bearer(world["manager"]), ENROLLMENT, **ids)) == {"enrollment": None}


async def test_another_tenant_lists_nothing_of_a_program_and_learns_nothing(client, bearer, uow_factory) -> None:
    world, _ = await running(uow_factory)
    _, other_manager = await new_org(uow_factory)
    program_id = str(world["program"].id)
    for query, name in ((ENROLLMENTS, "enrollments"), (TANDEMS, "tandems"), (RUNS, "matchingRuns")):
        body = await gql(client, bearer(other_manager), query, id=program_id)
        assert body["data"] is None and _errors(body) == [(404, "program_not_found")], name
    ids = {"p": program_id, "id": str(world["mentee_e"].id)}
    assert (await data(client, bearer(other_manager), ENROLLMENT, **ids)) == {"enrollment": None}


async def test_tandems_list_with_their_health_and_a_member_sees_their_own(client, bearer, uow_factory) -> None:
    world, tandem = await running(uow_factory)
    program_id = str(world["program"].id)
    [read] = (await data(client, bearer(world["manager"]), TANDEMS, id=program_id))["tandems"]["edges"]
    rest = (await client.get(f"/v1/tandems/{tandem.id}", headers=bearer(world["manager"]))).json()
    health = {"status": rest["health"], "reason": rest["health_reason"]}
    assert read["node"] == {"id": str(tandem.id), "status": "ACTIVE", "health": health}
    one = (await data(client, bearer(world["manager"]), TANDEM, id=str(tandem.id)))["tandem"]
    assert one["health"] == health
    outsider = await new_person(uow_factory, world["manager"], birth_year=1970)
    assert await _ids(client, bearer(member(outsider)), TANDEMS, "tandems", id=program_id) == []


async def test_matching_runs_list_for_managers_and_are_refused_to_members(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    manager, program_id = bearer(world["manager"]), str(world["program"].id)
    start = "mutation($id: UUID!) { startMatchingRun(programId: $id) { ... on MatchingRun { id } } }"
    run_id = (await data(client, manager, start, id=program_id))["startMatchingRun"]["id"]
    listed = (await data(client, manager, RUNS, id=program_id))["matchingRuns"]["edges"]
    assert [e["node"]["id"] for e in listed] == [run_id] and listed[0]["node"]["programId"] == program_id
    nested = (await data(client, manager, PROGRAM, id=program_id))["program"]["matchingRuns"]["edges"]
    assert [e["node"]["id"] for e in nested] == [run_id]
    as_member = bearer(member(world["mentee"]))
    assert _errors(await gql(client, as_member, RUNS, id=program_id)) == [(403, "manager_required")]
    # nested under a program the member may read, the runs are simply absent
    assert (await data(client, as_member, PROGRAM, id=program_id))["program"]["matchingRuns"] is None


# --- a tandem: goals, sessions, history, slots ------------------------------------------------------


async def test_a_tandems_goals_sessions_and_history_read_for_its_participants(client, bearer, uow_factory) -> None:
    world, tandem = await running(uow_factory)
    goal = await goals.add_goal(uow_factory(), world["manager"], tandem.id, title="Understand TikTok")
    session = await held(uow_factory, world, tandem)
    for caller in (world["manager"], member(world["mentor"]), member(world["mentee"])):
        headers = bearer(caller)
        listed = (await data(client, headers, GOALS, id=str(tandem.id)))["goals"]["edges"]
        assert [e["node"] for e in listed] == [{"id": str(goal.id), "title": "Understand TikTok", "status": "OPEN"}]
        one = (await data(client, headers, GOAL, id=str(goal.id)))["goal"]
        assert one == {"id": str(goal.id), "title": "Understand TikTok", "tandemId": str(tandem.id)}
        page = (await data(client, headers, SESSIONS, id=str(tandem.id)))["sessions"]
        assert page == {
            "edges": [{"node": {"id": str(session.id), "status": "HELD", "feedback": []}}],
            "pageInfo": {"hasNextPage": False},
        }
        assert (await data(client, headers, SESSION, id=str(session.id)))["session"]["status"] == "HELD"
        history = (await data(client, headers, HISTORY, id=str(tandem.id)))["tandemHistory"]
        rest = (await client.get(f"/v1/tandems/{tandem.id}/history", headers=headers)).json()["items"]
        assert [(h["fromStatus"], h["toStatus"]) for h in history] == [(None, "PROPOSED"), ("PROPOSED", "ACTIVE")]
        assert [h["reason"] for h in history] == [h["reason"] for h in rest]


async def test_strangers_to_a_tandem_get_null_for_one_object_and_rests_error_for_a_list(
    client, bearer, uow_factory
) -> None:
    world, tandem = await running(uow_factory)
    goal = await goals.add_goal(uow_factory(), world["manager"], tandem.id, title="Reels")
    session = await held(uow_factory, world, tandem)
    expected = {"outsider": (403, "not_your_tandem"), "platform_admin": (404, "tandem_not_found")}
    expected["other_tenant"] = (404, "tandem_not_found")
    for who, caller in (await strangers(uow_factory, world)).items():
        headers = bearer(caller)
        assert (await data(client, headers, GOAL, id=str(goal.id))) == {"goal": None}, who
        assert (await data(client, headers, SESSION, id=str(session.id))) == {"session": None}, who
        assert (await data(client, headers, HISTORY, id=str(tandem.id))) == {"tandemHistory": None}, who
        for query in (GOALS, SESSIONS, SLOTS):
            body = await gql(client, headers, query, id=str(tandem.id))
            assert body["data"] is None and _errors(body) == [expected[who]], (who, query)


async def test_slot_suggestions_are_rests_slots_for_an_active_tandem(client, bearer, uow_factory) -> None:
    world, tandem = await running(uow_factory)
    mentor, mentee = world["mentor"], world["mentee"]
    every_day = tuple(WeeklyWindow(day, time(9), time(17)) for day in range(7))
    await people.set_availability(uow_factory(), member(mentor), mentor.id, every_day)
    await people.set_availability(uow_factory(), member(mentee), mentee.id, every_day)
    headers = bearer(member(mentee))
    read = (await data(client, headers, SLOTS, id=str(tandem.id)))["slotSuggestions"]
    params = {"duration_minutes": 45, "days": 7, "limit": 5}
    rest = (await client.get(f"/v1/tandems/{tandem.id}/slot-suggestions", params=params, headers=headers)).json()
    assert len(read["items"]) == 5 and read["mentorTimezone"] == rest["mentor_timezone"]

    def starts(items: list[dict[str, Any]], key: str) -> list[datetime]:
        return [datetime.fromisoformat(i[key].replace("Z", "+00:00")) for i in items]

    assert starts(read["items"], "startsAt") == starts(rest["items"], "starts_at")
    assert starts(read["items"], "endsAt") == starts(rest["items"], "ends_at")


async def test_slot_suggestions_for_a_tandem_not_yet_active_carry_rests_code(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory, status="running")
    tandem = await proposed(uow_factory, world)
    headers = bearer(world["manager"])
    rest = (await client.get(f"/v1/tandems/{tandem.id}/slot-suggestions", headers=headers)).json()
    body = await gql(client, headers, SLOTS, id=str(tandem.id))
    assert _errors(body) == [(rest["status"], rest["code"])]
