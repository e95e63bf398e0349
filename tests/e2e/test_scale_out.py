"""Two ``tandem serve`` and two ``tandem worker`` processes on one machine, as behind a load
balancer: one external PostgreSQL, one signing keys folder, one Redis for the rate limits.

Requests alternate between the two APIs: a token issued by one is accepted by the other, an
ETag from one is honoured by the other (a stale one is refused with 412), the token endpoint's
limit counts the requests of both, and matching runs started on either are done by the workers:
while one worker is held inside a run (a lock the test takes on ``tandems``), the other takes
the next. The four processes start side by side. Marked ``faults``, with the process-fault
tests: ``make test-faults`` runs it, ``make test`` does not.
"""

from __future__ import annotations

import asyncio
import os
import socket
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.domain.access import Caller, Role
from app.infra.auth.keys import Keyring
from app.infra.auth.tokens import TokenIssuer
from app.infra.db.migrate import upgrade
from app.infra.settings import Settings
from bench.latency import seed
from tests.conftest import fresh_database
from tests.e2e.processes import TableLock, manager_headers, ready, serve, tandem, wait_until, worker_ids
from tests.e2e.server import environment

pytestmark = pytest.mark.faults

POSTGRES = ("127.0.0.1", 5432)
REDIS = ("127.0.0.1", 6379)
ISSUER = "http://tandem.test"  # the public name both instances sit behind
TOKEN_LIMIT = 4  # token requests a minute per client address, over both instances
SIZE = 40  # mentees and mentors each of the seeded program: runs are quick


def _answers(address: tuple[str, int]) -> bool:
    try:
        socket.create_connection(address, timeout=2).close()
    except OSError:
        return False
    return True


@pytest.fixture(scope="module")
def external_database() -> Iterator[tuple[str, str]]:
    """A fresh database on the machine's PostgreSQL with a program in matching (dropped after)."""
    for name, address in (("PostgreSQL", POSTGRES), ("Redis", REDIS)):
        if not _answers(address):
            if os.environ.get("CI"):
                pytest.fail(f"no {name} at {address[0]}:{address[1]} in CI")
            pytest.skip(f"no {name} at {address[0]}:{address[1]} (CI unset): the scale-out test needs both")
    url, drop = fresh_database("postgresql+asyncpg://postgres@127.0.0.1:5432/postgres", "tandem_scale")
    try:
        upgrade(url)
        yield url, asyncio.run(seed(url, SIZE, 2031))
    finally:
        drop()


def test_two_apis_and_two_workers_share_tokens_etags_rate_limits_and_runs(
    external_database: tuple[str, str], tmp_path: Path
) -> None:
    url, program_id = external_database
    shared = tmp_path / "shared"  # the keys folder every instance reads
    env = environment(shared, url) | {
        "TANDEM_ISSUER": ISSUER,
        "TANDEM_RATE_LIMIT_STORAGE": f"valkey://{REDIS[0]}:{REDIS[1]}",
        "TANDEM_TOKEN_RATE_LIMIT": f"{TOKEN_LIMIT}/minute",
    }
    shared.mkdir()
    with (
        serve(env, tmp_path / "a.log", wait=False) as (a, a_process),
        serve(env, tmp_path / "b.log", wait=False) as (b, b_process),
        tandem(["worker"], env, tmp_path / "w1.log"),
        tandem(["worker"], env, tmp_path / "w2.log"),
    ):
        wait_until(
            lambda: (
                ready(a, a_process, tmp_path / "a.log")
                and ready(b, b_process, tmp_path / "b.log")
                and len(worker_ids(url)) == 2
            ),
            90,
            "both APIs ready and both workers registered",
            every=0.3,
        )
        admin = httpx.Client(headers=_bearer(shared, Caller(uuid.uuid4(), Role.PLATFORM_ADMIN)), timeout=30)
        # a token from one instance works on the other
        made = admin.post(f"{a}/v1/partners", json={"name": f"Network {uuid.uuid4().hex[:6]}"})
        assert made.status_code == 201, made.text
        partner = made.json()
        client = {"X-Forwarded-For": f"10.{uuid.uuid4().int % 250}.{time.time_ns() % 250}.7"}  # its own bucket
        form = {"grant_type": "client_credentials", "client_id": partner["client_id"]}
        form["client_secret"] = partner["client_secret"]
        issued = httpx.post(f"{b}/oauth/token", data=form, headers=client)
        assert issued.status_code == 200, issued.text
        as_partner = {"Authorization": f"Bearer {issued.json()['access_token']}"}
        mentors = httpx.get(f"{a}/v1/partners/{partner['id']}/mentors", headers=as_partner)
        assert mentors.status_code == 200, mentors.text

        # the token endpoint's limit holds for both together: one request above is counted too
        answers = [httpx.post(f"{base}/oauth/token", data=form, headers=client).status_code for base in (a, b, a, b)]
        assert answers == [200, 200, 200, 429]
        limited = httpx.post(f"{a}/oauth/token", data=form, headers=client)
        assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1

        # an ETag from one is honoured by the other
        manager = httpx.Client(headers=manager_headers(shared, ISSUER), timeout=30)
        program = f"/v1/programs/{program_id}"
        etag = manager.get(a + program).headers["ETag"]
        changed = manager.patch(b + program, json={"title": "Renamed on b"}, headers={"If-Match": etag})
        assert changed.status_code == 200, changed.text
        stale = manager.patch(a + program, json={"title": "Stale on a"}, headers={"If-Match": etag})
        assert stale.status_code == 412, stale.text
        assert manager.get(a + program).json()["title"] == "Renamed on b"

        # matching runs started on either instance are done by the workers; the first run holds
        # its worker (it waits on the lock inside the run), so the second run needs the other worker
        with TableLock(url, "tandems") as run_held:
            first = manager.post(f"{a}{program}/matching-runs", json={})
            assert first.status_code == 202, first.text
            wait_until(lambda: run_held.waiting() >= 1, 30, "first run held inside a worker")
            second = manager.post(f"{b}{program}/matching-runs", json={})
            assert second.status_code == 202, second.text
            wait_until(lambda: run_held.waiting() >= 2, 30, "second run taken by the other worker")
        for base, run in ((b, first), (a, second)):  # each watched on the other instance
            where = base + run.headers["location"]
            done = wait_until(lambda where=where: _finished(manager, where), 60, "run done")  # type: ignore[misc]
            assert done["status"] == "completed" and done["proposals"], done
        logs = [(tmp_path / name).read_text() for name in ("w1.log", "w2.log")]
        ids = [str(run.json()["id"]) for run in (first, second)]
        assert sorted(sum(i in log for i in ids) for log in logs) == [1, 1], logs  # one run each


def _finished(client: httpx.Client, url: str) -> dict[str, object] | None:
    run: dict[str, object] = client.get(url).json()
    return run if run["status"] in ("completed", "failed") else None


def _bearer(data_dir: Path, caller: Caller) -> dict[str, str]:
    settings = Settings(data_dir=data_dir, issuer=ISSUER)
    keys = Keyring.open(settings.signing_keys_dir, publish_ahead_seconds=settings.key_publish_ahead_seconds)
    return {"Authorization": f"Bearer {TokenIssuer(keys, ISSUER, settings.audience, 600).issue(caller)}"}
