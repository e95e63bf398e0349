"""Processes stopped the way machines stop them.

SIGTERM (a deploy, a scale-down): ``tandem serve`` answers every request it holds, exits 0,
and hands the matching run its in-process worker was doing back to the queue, where a
``tandem worker`` takes it. SIGKILL (out of memory, a lost machine): the run a killed worker
was doing is retried by another worker once the dead one misses its heartbeats; it is never
left ``running`` for good.

A run is held mid-run by a lock the test takes on ``tandems`` (read while the run loads its
candidates): it is ``running``, its job ``doing``, for exactly as long as the test needs, so a
small program suffices and no timing decides whether the signal lands mid-run. Marked
``faults``: ``make test-faults`` runs these, ``make test`` does not.
"""

from __future__ import annotations

import asyncio
import signal
import threading
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from app.infra.db.migrate import upgrade
from bench.latency import seed
from tests.conftest import fresh_database
from tests.e2e.processes import (
    TableLock,
    manager_headers,
    run_state,
    serve,
    start_run,
    tandem,
    wait_until,
    worker_ids,
)
from tests.e2e.server import environment

pytestmark = pytest.mark.faults

SIZE = 40  # mentees and mentors each: the lock, not the size, keeps a run going
REQUESTS = 6  # held in flight by a table lock when SIGTERM arrives
FAST_WORKERS = {  # heartbeats and grace periods short enough for a test
    "TANDEM_WORKER_HEARTBEAT_SECONDS": "0.5",
    "TANDEM_WORKER_STALLED_SECONDS": "2",
    "TANDEM_WORKER_SHUTDOWN_GRACE_SECONDS": "0.5",
}
RESUMED = "resumed after its earlier attempt stopped"  # what the worker taking a run over logs


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


def _held_mid_run(url: str, run_id: str, run_held: TableLock) -> bool:
    """The run is ``running`` and its worker waits on the test's lock, inside the run."""
    return run_state(url, run_id)[0] == "running" and run_held.waiting() >= 1


def _finished(url: str, run_id: str) -> tuple[str, int, int, str] | None:
    state = run_state(url, run_id)
    return state if state[0] in ("completed", "failed") and state[3] != "doing" else None


def test_sigterm_answers_held_requests_exits_0_and_hands_the_running_job_to_another_worker(
    seeded: tuple[str, str], tmp_path: Path
) -> None:
    url, program_id = seeded
    env = _env(tmp_path, url)
    answers: list[int | str] = []
    with ExitStack() as stack:
        run_held = stack.enter_context(TableLock(url, "tandems"))
        base, process = stack.enter_context(serve(env, tmp_path / "serve.log", "--with-worker"))
        run_id = start_run(url, program_id)
        wait_until(lambda: _held_mid_run(url, run_id, run_held), 30, "run taken by the in-process worker")
        # the worker that takes the run over starts now; the job is not free until serve hands it back
        stack.enter_context(tandem(["worker"], env, tmp_path / "worker.log"))
        headers = manager_headers(tmp_path)
        runs = f"{base}/v1/programs/{program_id}/matching-runs"

        def ask() -> None:
            try:
                answers.append(httpx.get(runs, headers=headers, timeout=30).status_code)
            except httpx.TransportError as error:  # a reset or refused connection: a request lost
                answers.append(repr(error))

        # requests held inside the server: they wait for a lock on the runs table (not one the held
        # run has read: its transaction would keep the lock from being taken)
        with TableLock(url, "matching_runs") as requests_held:
            threads = [threading.Thread(target=ask) for _ in range(REQUESTS)]
            for thread in threads:
                thread.start()
            wait_until(lambda: requests_held.waiting() >= REQUESTS, 20, f"{REQUESTS} requests waiting on the lock")
            process.send_signal(signal.SIGTERM)
            wait_until(lambda: _refuses(base), 10, "listener closed")
            assert process.poll() is None, "exited with requests in flight"
        for thread in threads:
            thread.join(timeout=30)
        assert answers == [200] * REQUESTS
        assert process.wait(timeout=30) == 0, (tmp_path / "serve.log").read_text()
        # handed back once, still mid-run: waiting for the other worker, or taken by it and held by the lock
        status, progress, attempts, job = run_state(url, run_id)
        assert (status, progress, attempts) == ("running", 0, 1), (tmp_path / "serve.log").read_text()
        assert job in ("todo", "doing"), job
        run_held.release()
        finished = wait_until(lambda: _finished(url, run_id), 60, "run finished by the worker", every=0.3)
    assert finished == ("completed", 100, 2, "succeeded"), (tmp_path / "worker.log").read_text()
    assert RESUMED in (tmp_path / "worker.log").read_text()


def test_a_killed_workers_run_is_retried_by_another_worker_never_left_running(
    seeded: tuple[str, str], tmp_path: Path
) -> None:
    url, program_id = seeded
    env = _env(tmp_path, url)
    logs = [tmp_path / "one.log", tmp_path / "two.log"]
    with ExitStack() as stack:
        run_held = stack.enter_context(TableLock(url, "tandems"))
        before = worker_ids(url)
        workers = [stack.enter_context(tandem(["worker"], env, log)) for log in logs]  # started side by side
        wait_until(lambda: len(worker_ids(url) - before) == 2, 60, "both workers registered")
        run_id = start_run(url, program_id)
        wait_until(lambda: _held_mid_run(url, run_id, run_held), 30, "run taken by a worker")
        # the worker whose log says it started the job (the other has not seen it)
        [doing] = wait_until(lambda: [i for i, log in enumerate(logs) if run_id in log.read_text()], 10, "job log")
        killed, other = workers[doing], logs[1 - doing]
        killed.send_signal(signal.SIGKILL)
        assert killed.wait(timeout=10) == -signal.SIGKILL
        assert run_state(url, run_id)[0::3] == ("running", "doing")  # what a dead worker leaves behind
        run_held.release()
        finished = wait_until(lambda: _finished(url, run_id), 60, "run finished by the other worker", every=0.3)
    assert finished == ("completed", 100, 2, "succeeded"), other.read_text()
    assert RESUMED in other.read_text()


def _refuses(base: str) -> bool:
    try:
        httpx.get(f"{base}/healthz", timeout=1)
    except httpx.ConnectError:
        return True
    return False
