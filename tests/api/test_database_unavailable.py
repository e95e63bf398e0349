"""With no database to reach, every route answers the same 503 problem with Retry-After, never 500.

The app below points at a port where nothing listens (connection refused): REST reads and writes,
a POST with an Idempotency-Key (whose middleware needs the database first), GraphQL queries and
mutations, the OAuth token endpoint and the sign-in redirect. The real outage, a PostgreSQL
stopped and restarted under load, is tests/e2e/test_database_outage.py.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest

from app.api.app import create_app
from app.domain.access import Caller, Role
from app.infra.auth.tokens import TokenIssuer
from app.infra.settings import Settings
from tests.api.helpers import problem

NOWHERE = "postgresql+asyncpg://nobody@127.0.0.1:1/none"


@pytest.fixture
async def no_database(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, database_url=NOWHERE)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://tandem.test") as http:
            yield http


@pytest.fixture
def manager_headers(issuer: TokenIssuer) -> dict[str, str]:
    caller = Caller(uuid.uuid4(), Role.PROGRAM_MANAGER, org_id=uuid.uuid4())
    return {"Authorization": f"Bearer {issuer.issue(caller)}"}


def unavailable(response: httpx.Response) -> dict[str, object]:
    body = problem(response, 503, "database_unavailable")
    assert int(response.headers["retry-after"]) > 0
    assert "Traceback" not in response.text
    return body


PROGRAM = {"title": "Outage", "starts_on": "2031-01-01", "ends_on": "2031-08-01"}


async def test_rest_reads_and_writes_answer_503(no_database, manager_headers) -> None:
    unavailable(await no_database.get("/v1/programs", headers=manager_headers))
    unavailable(await no_database.get(f"/v1/programs/{uuid.uuid4()}", headers=manager_headers))
    unavailable(await no_database.get("/v1/me", headers=manager_headers))
    unavailable(await no_database.post("/v1/programs", json=PROGRAM, headers=manager_headers))
    unavailable(await no_database.patch(f"/v1/programs/{uuid.uuid4()}", json={}, headers=manager_headers))


async def test_a_post_with_an_idempotency_key_answers_503_and_the_retry_too(no_database, manager_headers) -> None:
    headers = {**manager_headers, "Idempotency-Key": "outage-1"}
    unavailable(await no_database.post("/v1/programs", json=PROGRAM, headers=headers))
    unavailable(await no_database.post("/v1/programs", json=PROGRAM, headers=headers))


async def test_graphql_answers_http_503_not_200_with_errors(no_database, manager_headers) -> None:
    query = {"query": "{ programs(first: 5) { edges { node { id title } } } }"}
    unavailable(await no_database.post("/graphql", json=query, headers=manager_headers))
    mutation = {
        "query": "mutation($id: UUID!) { openEnrollment(id: $id) { __typename } }",
        "variables": {"id": str(uuid.uuid4())},
    }
    unavailable(await no_database.post("/graphql", json=mutation, headers=manager_headers))


async def test_the_token_endpoint_answers_503_in_oauth_terms_too(no_database) -> None:
    response = await no_database.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "client_id": str(uuid.uuid4()), "client_secret": "s"},
    )
    body = unavailable(response)
    assert body["error"] == "temporarily_unavailable"


async def test_sign_in_answers_503(no_database) -> None:
    unavailable(await no_database.get("/auth/some-org/login"))


async def test_operations_without_the_database_still_answer(no_database) -> None:
    assert (await no_database.get("/healthz")).status_code == 200
    unavailable(await no_database.get("/readyz"))
