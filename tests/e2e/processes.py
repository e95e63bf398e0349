"""Real ``tandem`` processes of the fault and scale-out tests: started, stopped, killed, and the
seeded program in matching (``bench.latency``'s generated profiles) their runs work on."""

from __future__ import annotations

import asyncio
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from app.domain.access import Caller, Role
from app.infra.auth.keys import Keyring
from app.infra.auth.tokens import TokenIssuer
from app.infra.db.engine import make_db_factory, make_engine
from app.infra.db.unit_of_work import SqlUnitOfWork
from app.infra.jobs import ProcrastinateJobQueue, make_jobs_app
from app.infra.settings import Settings
from app.services import matching_runs
from bench.matching import ORG
from tests.e2e.server import TANDEM, free_port

T = TypeVar("T")


@contextmanager
def tandem(args: list[str], env: dict[str, str], log_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A ``tandem`` command running until the block ends (then SIGTERM, SIGKILL if it lingers)."""
    with open(log_path, "wb") as log:
        process = subprocess.Popen([TANDEM, *args], env=env, stdout=log, stderr=log)
        try:
            yield process
        finally:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=10)


@contextmanager
def serve(
    env: dict[str, str], log_path: Path, *args: str, wait: bool = True
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``tandem serve`` on a free port; ready when the block starts, unless ``wait=False`` (then
    several processes start side by side and ``ready`` tells when each answers)."""
    port = free_port()
    with tandem(["serve", "--port", str(port), *args], env, log_path) as process:
        base = f"http://127.0.0.1:{port}"
        if wait:
            wait_until(lambda: ready(base, process, log_path), 90, f"{base} ready")
        yield base, process


def ready(base: str, process: subprocess.Popen[bytes], log_path: Path) -> bool:
    """Whether the ``tandem serve`` at ``base`` answers ``/readyz`` with 200 (it must not have exited)."""
    assert process.poll() is None, log_path.read_text()
    try:
        return httpx.get(f"{base}/readyz", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def wait_until(check: Callable[[], T | None], seconds: float, what: str, every: float = 0.2) -> T:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if found := check():
            return found
        time.sleep(every)
    raise AssertionError(f"no {what} within {seconds} s")


def manager_headers(data_dir: Path, issuer: str | None = None) -> dict[str, str]:
    """A program manager's token of the seeded organization, signed with the keys in ``data_dir``."""
    settings = Settings(data_dir=data_dir, issuer=issuer or "")
    keys = Keyring.open(settings.signing_keys_dir, publish_ahead_seconds=settings.key_publish_ahead_seconds)
    token = TokenIssuer(keys, settings.issuer, settings.audience, ttl_seconds=600).issue(
        Caller(uuid.uuid4(), Role.PROGRAM_MANAGER, org_id=ORG)
    )
    return {"Authorization": f"Bearer {token}"}


def query(url: str, sql: str, **params: Any) -> list[Any]:
    async def run() -> list[Any]:
        engine = create_async_engine(url, pool_size=1)
        try:
            async with engine.connect() as conn:
                return list((await conn.execute(text(sql), params)).all())
        finally:
            await engine.dispose()

    return asyncio.run(run())


def run_state(url: str, run_id: str) -> tuple[str, int, int, str]:
    """The run's status and progress, its job's attempts and status."""
    [row] = query(
        url,
        "SELECT r.status, r.progress, j.attempts, j.status::text FROM matching_runs r"
        " JOIN procrastinate_jobs j ON j.args->>'run_id' = r.id::text WHERE r.id = CAST(:id AS uuid)",
        id=run_id,
    )
    return row[0], row[1], row[2], row[3]


def start_run(url: str, program_id: str) -> str:
    """Queue a matching run of the program the way the API does (stored, then its job deferred)."""

    async def run() -> str:
        engine, jobs = make_engine(url, pool_size=2), make_jobs_app(url)
        try:
            async with jobs.open_async():
                manager = Caller(uuid.uuid4(), Role.PROGRAM_MANAGER, org_id=ORG)
                uow = SqlUnitOfWork(make_db_factory(engine))
                queue = ProcrastinateJobQueue(jobs)
                started = await matching_runs.start_run(uow, queue, manager, uuid.UUID(program_id))
                return str(started.id)
        finally:
            await engine.dispose()

    return asyncio.run(run())


def worker_ids(url: str) -> set[int]:
    """The procrastinate workers (``tandem worker`` or in-process) registered on the database now; a
    starting worker removes the rows of dead ones, so count new workers by id, not by the total."""
    return {int(row[0]) for row in query(url, "SELECT id FROM procrastinate_workers")}


class TableLock:
    """An exclusive lock on a table, held by the test's own connection until ``release`` or the
    block's end. Whatever reads the table meanwhile (a request, a matching run) waits inside the
    process doing it: requests stay in flight, a run stays ``running`` for as long as the test needs."""

    def __init__(self, url: str, table: str) -> None:
        self.url, self.table = url, table
        self._release = threading.Event()
        self._held = threading.Event()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._hold()))

    async def _hold(self) -> None:
        import asyncpg

        conn = await asyncpg.connect(self.url.replace("postgresql+asyncpg://", "postgresql://", 1))
        try:
            async with conn.transaction():
                await conn.execute(f"LOCK TABLE {self.table} IN ACCESS EXCLUSIVE MODE")
                self._held.set()
                await asyncio.to_thread(self._release.wait, 120)
        finally:
            await conn.close()

    def waiting(self) -> int:
        """Sessions waiting for this lock."""
        sql = "SELECT count(*) FROM pg_locks WHERE relation = to_regclass(:table) AND NOT granted"
        return int(query(self.url, sql, table=self.table)[0][0])

    def release(self) -> None:
        self._release.set()
        self._thread.join(timeout=20)

    def __enter__(self) -> TableLock:
        self._thread.start()
        assert self._held.wait(20), "lock not taken"
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
