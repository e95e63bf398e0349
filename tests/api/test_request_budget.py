"""What one request costs the database: a read is one transaction of a handful of statements.

Statements and transactions are counted on the app's own engine while a single request runs,
so seeding through the test engine is not counted. The caller's token belongs to a real
sign-in, so its revocation check is part of every count, as in production.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any
from uuid import uuid4

import pytest
from fastapi import FastAPI
from sqlalchemy import event

from app.domain.clock import utcnow
from app.domain.signin import SignIn
from app.domain.user import User
from tests.api.graphql.helpers import data
from tests.api.graphql.test_statement_count import program_with_tandems
from tests.api.tandem_world import held, running
from tests.factories import new_org

GET_BUDGET = 3  # the sign-in check, the object, and one read for what it is shown with


@dataclass
class DatabaseUse:
    statements: list[str] = field(default_factory=list)
    transactions: int = 0


@contextmanager
def counting(app: FastAPI) -> Iterator[DatabaseUse]:
    use = DatabaseUse()
    engine = app.state.engine.sync_engine

    def statement(_conn: Any, _cursor: Any, sql: str, *_: Any) -> None:
        use.statements.append(sql)

    def begin(_conn: Any) -> None:
        use.transactions += 1

    event.listen(engine, "before_cursor_execute", statement)
    event.listen(engine, "begin", begin)
    try:
        yield use
    finally:
        event.remove(engine, "before_cursor_execute", statement)
        event.remove(engine, "begin", begin)


async def signed_in(uow_factory: Any, bearer: Any, caller: Any) -> dict[str, str]:
    """Headers of a token tied to a live sign-in, whose check every request pays."""
    user = User(email=f"{uuid4().hex[:12]}@example.com", role=caller.role, org_id=caller.org_id)
    signin = SignIn(user_id=user.id, org_id=caller.org_id, expires_at=utcnow() + timedelta(days=1))
    async with uow_factory() as uow:
        await uow.users.add(user)
        await uow.signins.add(signin)
        await uow.commit()
    return bearer(replace(caller, user_id=user.id, signin_id=signin.id))


@pytest.fixture
async def scene(uow_factory: Any, bearer: Any) -> dict[str, Any]:
    world, tandem = await running(uow_factory)
    session = await held(uow_factory, world, tandem)
    headers = await signed_in(uow_factory, bearer, world["manager"])
    return {"world": world, "tandem": tandem, "session": session, "headers": headers}


GETS = {
    "get_tandem": "/v1/tandems/{tandem}",
    "list_tandems": "/v1/programs/{program}/tandems",
    "get_tandem_history": "/v1/tandems/{tandem}/history",
    "get_program": "/v1/programs/{program}",
    "list_programs": "/v1/programs",
    "get_session": "/v1/sessions/{session}",
    "list_sessions": "/v1/tandems/{tandem}/sessions",
    "list_goals": "/v1/tandems/{tandem}/goals",
    "get_person": "/v1/people/{mentor}",
}


@pytest.mark.parametrize("operation", sorted(GETS))
async def test_a_get_reads_in_one_transaction_within_the_statement_budget(app, client, scene, operation) -> None:
    world = scene["world"]
    path = GETS[operation].format(
        tandem=scene["tandem"].id, program=world["program"].id, session=scene["session"].id, mentor=world["mentor"].id
    )
    with counting(app) as use:
        response = await client.get(path, headers=scene["headers"])
    assert response.status_code == 200, response.text
    assert use.transactions == 1, use
    assert len(use.statements) <= GET_BUDGET, use.statements


async def test_a_tandem_with_its_health_is_two_statements(app, client, scene) -> None:
    """The sign-in check and the tandem: its health is stored with it."""
    with counting(app) as use:
        response = await client.get(f"/v1/tandems/{scene['tandem'].id}", headers=scene["headers"])
    assert response.json()["health"] == "on_track"
    assert (len(use.statements), use.transactions) == (2, 1), use.statements


NESTED = """query($id: UUID!) { program(id: $id) { tandems {
    mentor { displayName } mentee { displayName } health { status reason } sessions { status startsAt }
} } }"""


async def test_a_nested_graphql_read_is_one_transaction_of_at_most_six_statements(
    app, client, uow_factory, bearer
) -> None:
    _, manager = await new_org(uow_factory)
    headers = await signed_in(uow_factory, bearer, manager)
    program = await program_with_tandems(uow_factory, manager, 50)
    with counting(app) as use:
        result = await data(client, headers, NESTED, id=str(program.id))
    assert len(result["program"]["tandems"]) == 50
    assert all(t["health"]["status"] == "on_track" for t in result["program"]["tandems"])
    assert use.transactions == 1, use
    assert len(use.statements) <= 6, use.statements


async def test_the_counting_sees_every_transaction_and_statement(app, client, scene) -> None:
    """The budget tests could not fail if the counter missed work: two GETs are two of each."""
    with counting(app) as use:
        for _ in range(2):
            response = await client.get(f"/v1/tandems/{scene['tandem'].id}", headers=scene["headers"])
            assert response.status_code == 200
    assert (len(use.statements), use.transactions) == (4, 2), use.statements
