"""Abusive documents are refused before any resolver runs; GraphiQL only in development."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from uuid import uuid4

import httpx
import pytest
from strawberry.extensions.validation_cache import _get_validate_cache

from app.api.app import create_app
from app.api.graphql.limits import CACHED_DOCUMENTS, MAX_COST, MAX_DEPTH
from app.infra.settings import Settings
from tests.api.graphql.helpers import data, gql
from tests.factories import new_org, new_program, pair_world

DASHBOARD = """query Dashboard { me { role orgId }
    programs(first: 20) {
        edges { node { id title status startsOn endsOn
            tandems { id status mentor { displayName } mentee { displayName } health { status reason } }
        } }
        pageInfo { hasNextPage endCursor }
    } }"""


def _messages(body: dict[str, object]) -> list[str]:
    errors = body.get("errors")
    assert isinstance(errors, list) and errors, body
    return [e["message"] for e in errors]


def _nested(levels: int) -> str:
    """A document ``levels`` selections deep below ``programs``; no real path is that deep."""
    inner = "id"
    for i in range(levels):
        inner = f"f{i} {{ {inner} }}"
    return f"{{ programs {{ edges {{ node {{ tandems {{ {inner} }} }} }} }} }}"


async def test_a_document_deeper_than_the_limit_is_refused_with_a_clear_error(client, bearer, uow_factory) -> None:
    _, manager = await new_org(uow_factory)
    body = await gql(client, bearer(manager), _nested(MAX_DEPTH))
    assert body["data"] is None
    assert f"'anonymous' exceeds maximum operation depth of {MAX_DEPTH}" in _messages(body)


async def test_the_deepest_real_path_is_within_the_limits(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    deepest = "{ programs(first: 5) { edges { node { tandems { sessions { feedback { rating } } } } } } }"
    [edge] = (await data(client, bearer(world["manager"]), deepest))["programs"]["edges"]
    assert edge["node"]["tandems"] == []


async def test_too_many_aliases_are_refused(client, bearer, uow_factory) -> None:
    _, manager = await new_org(uow_factory)
    headers = bearer(manager)
    aliased = "{ " + " ".join(f"a{i}: me {{ role }}" for i in range(21)) + " }"
    body = await gql(client, headers, aliased)
    assert body["data"] is None and _messages(body) == ["21 aliases found. Allowed: 20"]
    allowed = "{ " + " ".join(f"a{i}: me {{ role }}" for i in range(20)) + " }"
    assert (await data(client, headers, allowed))["a19"] == {"role": "program_manager"}


async def test_a_huge_token_count_is_refused_while_parsing(client, bearer, uow_factory) -> None:
    _, manager = await new_org(uow_factory)
    huge = "{ me { " + "role " * 3100 + "} }"
    body = await gql(client, bearer(manager), huge)
    assert body["data"] is None
    [message] = _messages(body)
    assert "Document contains more than 3000 tokens. Parsing aborted." in message


async def test_a_costly_query_is_refused_with_query_too_costly(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    costly = """{ programs(first: 200) { edges { node {
        enrollments { person { displayName } }
        tandems { sessions { feedback { rating } } goals { title } history { toStatus } }
    } } } }"""
    body = await gql(client, bearer(world["manager"]), costly)
    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"]["code"] == "query_too_costly"
    assert error["extensions"]["limit"] == MAX_COST and error["extensions"]["cost"] > MAX_COST
    assert "ask for fewer items" in error["message"]


async def test_a_variable_page_size_is_costed_as_the_largest_page(client, bearer, uow_factory) -> None:
    _, manager = await new_org(uow_factory)
    query = (
        "query($n: Int!) { programs(first: $n) { edges { node { tandems { sessions { feedback { rating } } } } } } }"
    )
    body = await gql(client, bearer(manager), query, n=1)
    assert body["errors"][0]["extensions"]["code"] == "query_too_costly"
    literal = query.replace("query($n: Int!) ", "").replace("$n", "1")
    assert (await data(client, bearer(manager), literal))["programs"]["edges"] == []


async def test_a_dashboard_query_passes_every_limit(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory, status="running")
    await new_program(uow_factory, world["manager"], status="draft", title="Next cohort")
    result = await data(client, bearer(world["manager"]), DASHBOARD)
    titles = [edge["node"]["title"] for edge in result["programs"]["edges"]]
    assert titles == [world["program"].title, "Next cohort"]
    assert result["me"]["role"] == "program_manager"


# --- GraphiQL -----------------------------------------------------------------------------------


@pytest.fixture
async def development_client(settings: Settings, database_url: str, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """The app as `tandem serve` runs it on a laptop: environment=development."""
    development = settings.model_copy(update={"environment": "development", "data_dir": tmp_path})
    app = create_app(development, database_url=database_url)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://tandem.test") as http:
            yield http


async def test_graphiql_is_served_to_a_browser_in_development(development_client) -> None:
    response = await development_client.get("/graphql", headers={"Accept": "text/html,application/xhtml+xml"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "graphiql" in response.text.lower()


async def test_graphiql_serves_only_the_page_without_a_token(development_client) -> None:
    """Everything but the page itself still needs a bearer token, even in development."""
    as_json = await development_client.get("/graphql", headers={"Accept": "application/json"})
    assert as_json.status_code == 401
    with_query = await development_client.get("/graphql?query={me{role}}", headers={"Accept": "text/html"})
    assert with_query.status_code == 401
    posted = await development_client.post("/graphql", json={"query": "{ me { role } }"})
    assert posted.status_code == 401


async def test_there_is_no_graphiql_outside_development(client, bearer, uow_factory) -> None:
    _, manager = await new_org(uow_factory)
    anonymous = await client.get("/graphql", headers={"Accept": "text/html"})
    assert anonymous.status_code == 401 and "graphiql" not in anonymous.text.lower()
    signed_in = await client.get("/graphql", headers={"Accept": "text/html", **bearer(manager)})
    assert signed_in.status_code == 404 and "graphiql" not in signed_in.text.lower()


async def test_a_repeated_document_is_parsed_and_validated_once(client, bearer, uow_factory) -> None:
    """Validation is most of a small query's time: the cache must hit, also with the limits'
    rules in place (their classes are part of its key), and a refused document stays refused."""
    _, manager = await new_org(uow_factory)
    query = f"query Repeated{uuid4().hex} {{ programs(first: 5) {{ edges {{ node {{ title }} }} }} }}"
    validations = _get_validate_cache(CACHED_DOCUMENTS)
    before = validations.cache_info()
    for _ in range(3):
        await data(client, bearer(manager), query)
    after = validations.cache_info()
    assert (after.misses - before.misses, after.hits - before.hits) == (1, 2)
    for _ in range(2):
        assert "exceeds maximum operation depth" in str(
            _messages(await gql(client, bearer(manager), _nested(MAX_DEPTH)))
        )


async def test_a_connection_is_costed_as_a_page_wherever_it_is_nested(client, bearer, uow_factory) -> None:
    """Connections are known by their type: one nested under another multiplies both pages."""
    world = await pair_world(uow_factory)
    headers = bearer(world["manager"])
    runs_of_programs = "{ programs(first: 200) { edges { node { matchingRuns { edges { node { id status } } } } } } }"
    body = await gql(client, headers, runs_of_programs)
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "query_too_costly"
    small = runs_of_programs.replace("first: 200", "first: 5").replace("matchingRuns", "matchingRuns(first: 5)")
    [edge] = (await data(client, headers, small))["programs"]["edges"]
    assert edge["node"]["matchingRuns"] == {"edges": []}
    # a top-level list and a nested one may share a name: Query.enrollments is a page, Program.enrollments a list
    listed = "query($id: UUID!) { enrollments(programId: $id) { edges { node { person { displayName } } } } }"
    assert len((await data(client, headers, listed, id=str(world["program"].id)))["enrollments"]["edges"]) == 2
