"""Two ``tandem serve`` and two ``tandem worker`` processes on one machine, as behind a load
balancer: one external PostgreSQL, one signing keys folder, one Redis for the rate limits.

Requests alternate between the two APIs: a token issued by one is accepted by the other, an
ETag from one is honoured by the other (a stale one is refused with 412), the token endpoint's
limit counts the requests of both, and matching runs started on either are done by the workers.
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
from tests.e2e.processes import manager_headers, serve, tandem, wait_until
from tests.e2e.server import environment

POSTGRES = ("127.0.0.1", 5432)
REDIS = ("127.0.0.1", 6379)
ISSUER = "http://tandem.test"  # the public name both instances sit behind
TOKEN_LIMIT = 4  # token requests a minute per client address, over both instances


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
        yield url, asyncio.run(seed(url, 300, 2031))
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
        serve(env, tmp_path / "a.log") as (a, _),
        serve(env, tmp_path / "b.log") as (b, _),
        tandem(["worker"], env, tmp_path / "w1.log"),
        tandem(["worker"], env, tmp_path / "w2.log"),
    ):
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

        # matching runs started on either instance are done by the workers
        runs = [manager.post(f"{base}{program}/matching-runs", json={}) for base in (a, b)]
        assert [r.status_code for r in runs] == [202, 202], [r.text for r in runs]
        for base, run in zip((b, a), runs, strict=True):  # each watched on the other instance
            where = base + run.headers["location"]
            done = wait_until(lambda where=where: _finished(manager, where), 90, "run done")  # type: ignore[misc]
            assert done["status"] == "completed" and done["proposals"], done
        logs = (tmp_path / "w1.log").read_text() + (tmp_path / "w2.log").read_text()
        assert all(str(r.json()["id"]) in logs for r in runs), logs


def _finished(client: httpx.Client, url: str) -> dict[str, object] | None:
    run: dict[str, object] = client.get(url).json()
    return run if run["status"] in ("completed", "failed") else None


def _bearer(data_dir: Path, caller: Caller) -> dict[str, str]:
    settings = Settings(data_dir=data_dir, issuer=ISSUER)
    keys = Keyring.open(settings.signing_keys_dir, publish_ahead_seconds=settings.key_publish_ahead_seconds)
    return {"Authorization": f"Bearer {TokenIssuer(keys, ISSUER, settings.audience, 600).issue(caller)}"}
