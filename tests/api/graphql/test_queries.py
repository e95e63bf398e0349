"""Every query: the happy paths, what each role sees, tenant isolation and paging errors."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import GraphQLError

from app.api.graphql.error_codes import with_code
from app.api.graphql.loaders import Loaders
from app.domain.access import Caller
from app.domain.errors import RuleViolation
from app.domain.tandem import Tandem
from app.services import goals, sessions, tandems
from tests.api.graphql.helpers import data, gql
from tests.api.tandem_world import held, running
from tests.factories import (
    PLATFORM_ADMIN,
    UowFactory,
    active_tandem,
    enroll,
    member,
    new_org,
    new_person,
    new_program,
    pair_world,
)

PROGRAM = """query($id: UUID!) { program(id: $id) {
    id version title status startsOn endsOn
    enrollments { id role personId person { id displayName } }
    tandems { id status }
} }"""
TANDEM = """query($id: UUID!) { tandem(id: $id) {
    id status programId mentorEnrollmentId menteeEnrollmentId
    mentor { id displayName digitalNative } mentee { id generation }
    goals { title status }
    sessions { status durationMinutes feedback { side rating authorPersonId } }
    history { fromStatus toStatus reason }
    health { status reason }
} }"""
PERSON = "query($id: UUID!) { person(id: $id) { id displayName birthYear generation digitalNative languages } }"
PROGRAMS = """query($first: Int!, $after: String) { programs(first: $first, after: $after) {
    edges { cursor node { id title } } pageInfo { hasNextPage endCursor }
} }"""


async def two_pairs(uow_factory: UowFactory) -> tuple[dict[str, Any], Tandem, Tandem]:
    """One program with two active tandems: the world's pair and a second one."""
    world = await pair_world(uow_factory, status="matching")
    first = await active_tandem(uow_factory, world)
    manager, program = world["manager"], world["program"]
    mentor = await new_person(uow_factory, manager, birth_year=1999, department="IT")
    mentee = await new_person(uow_factory, manager, birth_year=1960, department="Finance")
    second_world = {
        **world,
        "mentor": mentor,
        "mentee": mentee,
        "mentor_e": await enroll(uow_factory, manager, program, mentor, "mentor"),
        "mentee_e": await enroll(uow_factory, manager, program, mentee, "mentee"),
    }
    second = await active_tandem(uow_factory, second_world)
    world["others"] = second_world
    return world, first, second


# --- me ---------------------------------------------------------------------------------------


async def test_me_tells_each_caller_who_they_are(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    query = "{ me { userId role orgId person { id displayName } } }"
    manager = world["manager"]
    as_manager = (await data(client, bearer(manager), query))["me"]
    assert as_manager == {
        "userId": str(manager.user_id),
        "role": "program_manager",
        "orgId": str(world["org"].id),
        "person": None,
    }
    as_member = (await data(client, bearer(member(world["mentor"])), query))["me"]
    assert as_member["role"] == "member"
    assert as_member["person"] == {"id": str(world["mentor"].id), "displayName": world["mentor"].display_name}
    as_admin = (await data(client, bearer(PLATFORM_ADMIN), query))["me"]
    assert as_admin == {"userId": str(PLATFORM_ADMIN.user_id), "role": "platform_admin", "orgId": None, "person": None}


# --- program and programs ---------------------------------------------------------------------


async def test_a_program_reads_with_all_its_enrollments_and_tandems_for_a_manager(client, bearer, uow_factory) -> None:
    world, first, second = await two_pairs(uow_factory)
    program = world["program"]
    read = (await data(client, bearer(world["manager"]), PROGRAM, id=str(program.id)))["program"]
    assert read["id"] == str(program.id) and read["title"] == program.title and read["status"] == "MATCHING"
    assert read["version"] == program.version
    assert read["startsOn"] == program.starts_on.isoformat() and read["endsOn"] == program.ends_on.isoformat()
    assert {t["id"] for t in read["tandems"]} == {str(first.id), str(second.id)}
    assert all(t["status"] == "ACTIVE" for t in read["tandems"])
    people = {world["mentor"], world["mentee"], world["others"]["mentor"], world["others"]["mentee"]}
    assert {e["personId"] for e in read["enrollments"]} == {str(p.id) for p in people}
    assert all(e["person"]["id"] == e["personId"] for e in read["enrollments"])
    assert sorted(e["role"] for e in read["enrollments"]) == ["MENTEE", "MENTEE", "MENTOR", "MENTOR"]


async def test_programs_pages_through_every_program_once_in_creation_order(client, bearer, uow_factory) -> None:
    _, manager = await new_org(uow_factory)
    created = [await new_program(uow_factory, manager, status="draft", title=f"Cohort {i}") for i in range(5)]
    headers = bearer(manager)
    seen: list[str] = []
    after: str | None = None
    pages: list[bool] = []
    while True:
        page = (await data(client, headers, PROGRAMS, first=2, after=after))["programs"]
        seen += [edge["node"]["id"] for edge in page["edges"]]
        pages.append(page["pageInfo"]["hasNextPage"])
        if not page["pageInfo"]["hasNextPage"]:
            assert page["pageInfo"]["endCursor"] is None
            break
        after = page["pageInfo"]["endCursor"]
        assert after == page["edges"][-1]["cursor"]
    assert pages == [True, True, False]
    assert seen == [str(p.id) for p in created]  # no duplicates, no gaps, oldest first
    whole = (await data(client, headers, PROGRAMS, first=200))["programs"]
    assert [e["node"]["id"] for e in whole["edges"]] == seen and whole["pageInfo"]["hasNextPage"] is False


@pytest.mark.parametrize("first", [0, -1, 201, 10_000])
async def test_first_outside_1_to_200_is_an_invalid_limit_error(client, bearer, uow_factory, first) -> None:
    _, manager = await new_org(uow_factory)
    body = await gql(client, bearer(manager), PROGRAMS, first=first)
    [error] = body["errors"]
    assert error["extensions"] == {"code": "invalid_limit", "status": 422, "field": "first"}
    assert "first must be 1 to 200" in error["message"]
    assert body["data"] is None


async def test_a_cursor_this_api_did_not_issue_is_an_invalid_cursor_error(client, bearer, uow_factory) -> None:
    _, manager = await new_org(uow_factory)
    body = await gql(client, bearer(manager), PROGRAMS, first=2, after="not-a-cursor")
    assert body["errors"][0]["extensions"]["code"] == "invalid_cursor"


# --- tandem and person ------------------------------------------------------------------------


async def test_a_tandem_reads_with_people_goals_sessions_history_and_health(client, bearer, uow_factory) -> None:
    world, tandem = await running(uow_factory)
    mentor, mentee = world["mentor"], world["mentee"]
    await goals.add_goal(uow_factory(), world["manager"], tandem.id, title="Understand TikTok")
    session = await held(uow_factory, world, tandem)
    await sessions.give_feedback(uow_factory(), member(mentee), session.id, rating=5, learned="duets")
    for caller in (world["manager"], member(mentor), member(mentee)):
        read = (await data(client, bearer(caller), TANDEM, id=str(tandem.id)))["tandem"]
        assert read["id"] == str(tandem.id) and read["status"] == "ACTIVE"
        assert read["programId"] == str(world["program"].id)
        assert read["mentorEnrollmentId"] == str(world["mentor_e"].id)
        assert read["menteeEnrollmentId"] == str(world["mentee_e"].id)
        assert read["mentor"] == {"id": str(mentor.id), "displayName": mentor.display_name, "digitalNative": True}
        assert read["mentee"] == {"id": str(mentee.id), "generation": mentee.generation.value}
        assert read["goals"] == [{"title": "Understand TikTok", "status": "OPEN"}]
        assert read["sessions"] == [
            {
                "status": "HELD",
                "durationMinutes": 60,
                "feedback": [{"side": "MENTEE", "rating": 5, "authorPersonId": str(mentee.id)}],
            }
        ]
        assert [(h["fromStatus"], h["toStatus"]) for h in read["history"]] == [
            (None, "PROPOSED"),
            ("PROPOSED", "ACTIVE"),
        ]
        assert read["history"][-1]["reason"] == "both sides accepted"
        assert read["health"]["status"] == "on_track" and "1 held session" in read["health"]["reason"]


async def test_a_person_reads_for_the_manager_and_for_members_of_the_organization(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    mentor = world["mentor"]
    for caller in (world["manager"], member(world["mentee"])):
        read = (await data(client, bearer(caller), PERSON, id=str(mentor.id)))["person"]
        assert read == {
            "id": str(mentor.id),
            "displayName": mentor.display_name,
            "birthYear": 1998,
            "generation": mentor.generation.value,
            "digitalNative": True,
            "languages": ["de", "en"],
        }


async def test_an_unknown_id_is_null_for_every_node(client, bearer, uow_factory) -> None:
    _, manager = await new_org(uow_factory)
    unknown = "00000000-0000-4000-8000-000000000000"
    for query, name in ((PROGRAM, "program"), (TANDEM, "tandem"), (PERSON, "person")):
        assert (await data(client, bearer(manager), query, id=unknown)) == {name: None}


# --- roles ------------------------------------------------------------------------------------


async def test_a_member_sees_only_their_own_tandems_and_enrollments(client, bearer, uow_factory) -> None:
    world, mine, _ = await two_pairs(uow_factory)
    program_id = str(world["program"].id)
    for person, enrollment in ((world["mentor"], world["mentor_e"]), (world["mentee"], world["mentee_e"])):
        read = (await data(client, bearer(member(person)), PROGRAM, id=program_id))["program"]
        assert [t["id"] for t in read["tandems"]] == [str(mine.id)]
        assert [e["id"] for e in read["enrollments"]] == [str(enrollment.id)]
    outsider = await new_person(uow_factory, world["manager"], birth_year=1990)
    read = (await data(client, bearer(member(outsider)), PROGRAM, id=program_id))["program"]
    assert read["id"] == program_id and read["tandems"] == [] and read["enrollments"] == []


async def test_a_member_asking_for_someone_elses_tandem_gets_null(client, bearer, uow_factory) -> None:
    world, mine, theirs = await two_pairs(uow_factory)
    headers = bearer(member(world["mentor"]))
    assert (await data(client, headers, TANDEM, id=str(theirs.id))) == {"tandem": None}
    assert (await data(client, headers, TANDEM, id=str(mine.id)))["tandem"]["id"] == str(mine.id)


# --- tenant isolation -------------------------------------------------------------------------


async def test_another_tenants_program_tandem_and_person_are_null(client, bearer, uow_factory) -> None:
    world, tandem = await running(uow_factory)
    other_org, other_manager = await new_org(uow_factory)
    other_member = member(await new_person(uow_factory, other_manager, birth_year=1980))
    own_program = await new_program(uow_factory, other_manager, status="draft")
    ids = {"program": world["program"].id, "tandem": tandem.id, "person": world["mentor"].id}
    queries = {"program": PROGRAM, "tandem": TANDEM, "person": PERSON}
    for caller in (other_manager, other_member):
        headers = bearer(caller)
        for name, query in queries.items():
            assert (await data(client, headers, query, id=str(ids[name]))) == {name: None}
        listed = (await data(client, headers, PROGRAMS, first=200))["programs"]["edges"]
        assert [e["node"]["id"] for e in listed] == [str(own_program.id)]
    # the owner still sees all three: the nulls above are the tenant boundary, not missing data
    owner = bearer(world["manager"])
    for name, query in queries.items():
        assert (await data(client, owner, query, id=str(ids[name])))[name]["id"] == str(ids[name])
    assert other_org.id != world["org"].id


async def test_a_platform_admin_token_reads_no_tenant_object(client, bearer, uow_factory) -> None:
    world, tandem = await running(uow_factory)
    headers = bearer(PLATFORM_ADMIN)
    for name, query, obj_id in (
        ("program", PROGRAM, world["program"].id),
        ("tandem", TANDEM, tandem.id),
        ("person", PERSON, world["mentor"].id),
    ):
        assert (await data(client, headers, query, id=str(obj_id))) == {name: None}
    body = await gql(client, headers, PROGRAMS, first=10)
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "organization_token_required"
    assert body["errors"][0]["extensions"]["status"] == 403


def _keys(world: dict[str, Any], tandem: Tandem, session_id: Any = None) -> dict[str, Any]:
    """A key of the world for each loader: every relation a query can reach."""
    return {
        "person": world["mentor"].id,
        "program": world["program"].id,
        "enrollment": world["mentor_e"].id,
        "program_enrollments": world["program"].id,
        "program_tandems": world["program"].id,
        "tandem_sessions": tandem.id,
        "tandem_goals": tandem.id,
        "session_feedback": session_id,
    }


async def test_every_loader_answers_only_within_the_callers_tenant(uow_factory) -> None:
    """Nested fields resolve through these loaders: a foreign key must never load anything."""
    world, tandem = await running(uow_factory)
    await goals.add_goal(uow_factory(), world["manager"], tandem.id, title="Reels")
    session = await held(uow_factory, world, tandem)
    await sessions.give_feedback(uow_factory(), member(world["mentor"]), session.id, rating=5)
    _, other_manager = await new_org(uow_factory)
    keys = _keys(world, tandem, session.id)

    async def load_all(caller: Caller) -> dict[str, Any]:
        async with uow_factory().kept_open() as uow:  # as a request holds it: loaders enter in their own tasks
            loaders = Loaders(uow, caller)
            return {name: await getattr(loaders, name).load(key) for name, key in keys.items()}

    every_loader = {name for name in vars(Loaders(uow_factory(), PLATFORM_ADMIN)) if not name.startswith("_")}
    assert set(keys) == every_loader, "a new loader needs a key here"
    assert all((await load_all(world["manager"])).values()), "the owner must see every relation"
    for caller in (other_manager, PLATFORM_ADMIN):
        assert {name: found for name, found in (await load_all(caller)).items() if found} == {}


async def test_members_load_only_their_own_enrollments_and_tandems(uow_factory) -> None:
    world, mine, theirs = await two_pairs(uow_factory)
    caller = member(world["mentor"])
    async with uow_factory().kept_open() as uow:
        loaders = Loaders(uow, caller)
        assert [t.id for t in await loaders.program_tandems.load(world["program"].id)] == [mine.id]
        assert [e.id for e in await loaders.program_enrollments.load(world["program"].id)] == [world["mentor_e"].id]
        assert await loaders.enrollment.load(world["mentor_e"].id) is not None
        assert await loaders.enrollment.load(world["others"]["mentor_e"].id) is None
    assert (await tandems.get_tandem(uow_factory(), world["manager"], theirs.id)).id == theirs.id


# --- error shape ------------------------------------------------------------------------------


def test_a_domain_error_carries_its_code_and_status_in_extensions() -> None:
    error = GraphQLError("nope", path=["programs"], original_error=RuleViolation("nope", code="invalid_limit"))
    assert with_code(error).formatted["extensions"] == {"code": "invalid_limit", "status": 422}


def test_an_unexpected_error_is_masked_as_internal_error() -> None:
    error = GraphQLError("password=hunter2 in the DSN", path=["program"], original_error=RuntimeError("secret"))
    masked = with_code(error).formatted
    assert masked["message"] == "internal error" and "hunter2" not in str(masked)
    assert masked["extensions"] == {"code": "internal_error", "status": 500}
    assert masked["path"] == ["program"]


def test_validation_errors_keep_their_message() -> None:
    error = GraphQLError("Cannot query field 'x' on type 'Query'.")
    assert with_code(error) is error
