"""Processes stopped the way machines stop them.

SIGTERM (a deploy, a scale-down): ``tandem serve`` answers every request it holds, exits 0,
and hands the matching run its in-process worker was doing back to the queue, where a
``tandem worker`` takes it. SIGKILL (out of memory, a lost machine): the run a killed worker
was doing is retried by another worker once the dead one misses its heartbeats; it is never
left ``running`` for good.
"""

from __future__ import annotations

import asyncio
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.infra.db.migrate import upgrade
from bench.latency import seed
from tests.conftest import fresh_database
from tests.e2e.processes import manager_headers, query, run_state, serve, start_run, tandem, wait_until
from tests.e2e.server import environment

SIZE = 1_200  # mentees and mentors each: a run takes a couple of seconds on one core
REQUESTS = 6  # held in flight by a table lock when SIGTERM arrives
FAST_WORKERS = {  # heartbeats and grace periods short enough for a test
    "TANDEM_WORKER_HEARTBEAT_SECONDS": "0.5",
    "TANDEM_WORKER_STALLED_SECONDS": "2",
    "TANDEM_WORKER_SHUTDOWN_GRACE_SECONDS": "0.5",
}


@pytest.fixture(scope="module")
def seeded(server_url: str) -> Iterator[tuple[str, str]]:
    """A migrated database of its own with a program in matching; its URL and the program id."""
    url, drop = fresh_database(server_url, "tandem_faults")
    try:
        upgrade(url)
        yield url, asyncio.run(seed(url, SIZE, 2030))
    finally:
        drop()


def _env(data_dir: Path, url: str) -> dict[str, str]:
    return {**environment(data_dir, url), **FAST_WORKERS}


def _running(url: str, run_id: str) -> bool:
    return run_state(url, run_id)[0] == "running"


def _finished(url: str, run_id: str) -> tuple[str, int, int, str] | None:
    state = run_state(url, run_id)
    return state if state[0] in ("completed", "failed") and state[3] != "doing" else None


def test_sigterm_answers_held_requests_exits_0_and_hands_the_running_job_to_another_worker(
    seeded: tuple[str, str], tmp_path: Path
) -> None:
    url, program_id = seeded
    env = _env(tmp_path, url)
    answers: list[int | str] = []
    with serve(env, tmp_path / "serve.log", "--with-worker") as (base, process):
        run_id = start_run(url, program_id)
        wait_until(lambda: _running(url, run_id), 30, "run taken by the in-process worker")
        headers = manager_headers(tmp_path)

        def ask() -> None:
            try:
                answers.append(httpx.get(f"{base}/v1/programs/{program_id}", headers=headers, timeout=30).status_code)
            except httpx.TransportError as error:  # a reset or refused connection: a request lost
                answers.append(repr(error))

        # requests held inside the server: they wait for a lock on the programs table
        lock = _TableLock(url, "programs")
        with lock:
            threads = [threading.Thread(target=ask) for _ in range(REQUESTS)]
            for thread in threads:
                thread.start()
            wait_until(lambda: lock.waiting() >= REQUESTS, 20, f"{REQUESTS} requests waiting on the lock")
            process.send_signal(signal.SIGTERM)
            wait_until(lambda: _refuses(base), 10, "listener closed")
            assert process.poll() is None, "exited with requests in flight"
        for thread in threads:
            thread.join(timeout=30)
        assert answers == [200] * REQUESTS
        assert process.wait(timeout=30) == 0, (tmp_path / "serve.log").read_text()
    # handed back: the job waits for its second attempt, the run for a worker to resume it
    status, _, attempts, job = run_state(url, run_id)
    assert (status, attempts, job) == ("running", 1, "todo"), (tmp_path / "serve.log").read_text()
    with tandem(["worker"], env, tmp_path / "worker.log"):
        finished = wait_until(lambda: _finished(url, run_id), 90, "run finished by the worker", every=0.3)
    assert finished == ("completed", 100, 2, "succeeded"), (tmp_path / "worker.log").read_text()


def test_a_killed_workers_run_is_retried_by_another_worker_never_left_running(
    seeded: tuple[str, str], tmp_path: Path
) -> None:
    url, program_id = seeded
    env = _env(tmp_path, url)
    run_id = start_run(url, program_id)
    with tandem(["worker"], env, tmp_path / "first.log") as first:
        wait_until(lambda: _running(url, run_id), 30, "run taken by the first worker")
        first.send_signal(signal.SIGKILL)
        assert first.wait(timeout=10) == -signal.SIGKILL
    assert run_state(url, run_id)[0::3] == ("running", "doing")  # what a dead worker leaves behind
    with tandem(["worker"], env, tmp_path / "second.log"):
        finished = wait_until(lambda: _finished(url, run_id), 90, "run finished by the second worker", every=0.3)
    assert finished == ("completed", 100, 2, "succeeded"), (tmp_path / "second.log").read_text()


def _refuses(base: str) -> bool:
    try:
        httpx.get(f"{base}/healthz", timeout=1)
    except httpx.ConnectError:
        return True
    return False


class _TableLock:
    """An exclusive lock on a table, held by this test's own connection while the block runs."""

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
                await asyncio.to_thread(self._release.wait, 60)
        finally:
            await conn.close()

    def waiting(self) -> int:
        sql = "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
        return int(query(self.url, sql)[0][0])

    def __enter__(self) -> _TableLock:
        self._thread.start()
        assert self._held.wait(20), "lock not taken"
        return self

    def __exit__(self, *exc: object) -> None:
        self._release.set()
        self._thread.join(timeout=20)
