"""The GraphQL endpoint: SDL committed, authentication as REST, limits, one nested read."""

from __future__ import annotations

from app.api.graphql.sdl import SDL, render
from tests.api.graphql.helpers import data, gql
from tests.factories import active_tandem, member, pair_world


def test_the_committed_sdl_matches_the_schema() -> None:
    assert SDL.read_text() == render(), "openapi/schema.graphql drifted: run `make openapi`"


async def test_graphql_needs_a_token_like_rest(client) -> None:
    response = await client.post("/graphql", json={"query": "{ me { role } }"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")


async def test_a_program_reads_with_its_tandems_people_and_sessions(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory, status="running")
    tandem = await active_tandem(uow_factory, world)
    query = """query($id: UUID!) { program(id: $id) { title status
        tandems { status mentor { displayName digitalNative } mentee { generation } health { status reason } } } }"""
    result = await data(client, bearer(world["manager"]), query, id=str(world["program"].id))
    [read] = result["program"]["tandems"]
    assert read["status"] == "ACTIVE" and read["mentor"]["digitalNative"] is True
    assert read["health"]["status"] == "too_early"
    mine = await data(
        client, bearer(member(world["mentee"])), "query($id: UUID!) { tandem(id: $id) { id } }", id=str(tandem.id)
    )
    assert mine["tandem"]["id"] == str(tandem.id)


async def test_abusive_depth_and_cost_are_refused_before_running(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    headers = bearer(world["manager"])
    deep = "{ programs { edges { node { tandems { mentor { id } } } } } }"
    assert not (await gql(client, headers, deep)).get("errors")
    costly = "{ programs(first: 200) { edges { node { tandems { sessions { feedback { rating } } goals { id } } } } } }"
    body = await gql(client, headers, costly)
    assert body["errors"][0]["extensions"]["code"] == "query_too_costly"
