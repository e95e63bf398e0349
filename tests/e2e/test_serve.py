"""The real ``tandem`` process: what `make run` does on a fresh machine, and an operator's token."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import httpx

from app.cli import demo_data
from tests.e2e.server import TANDEM, environment, serving
from tests.e2e.server import token as operator_token


def test_a_fresh_data_folder_serves_migrated_demo_data_on_the_embedded_database(home_outside_pytest: Path) -> None:
    """What `make run` does: migrate, load the demo, serve, and run background jobs in-process."""
    env = environment(home_outside_pytest, None)
    mentee = demo_data.EXECUTIVES[0]
    with serving(env, "--migrate", "--demo-if-empty", "--with-worker") as base:
        assert httpx.get(f"{base}/healthz").json() == {"status": "ok"}
        assert httpx.get(f"{base}/docs").status_code == 200
        token = operator_token(env, "--org", "demo", "--role", "member", "--email", mentee.email)
        me = httpx.get(f"{base}/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 200, me.text
        assert me.json()["person"]["display_name"] == mentee.name
        assert me.json()["person"]["digital_native"] is False
        _match_the_enrolling_demo_program(base, operator_token(env, "--org", "demo", "--role", "program_manager"))
        _the_demo_endpoint_shows_failed_tries(base, operator_token(env, "--org", "demo", "--role", "org_admin"))
    assert (home_outside_pytest / "postgres" / "PG_VERSION").exists()
    # SIGTERM stopped serve, and serve stopped its embedded server on the way out
    assert not (home_outside_pytest / "postgres" / "postmaster.pid").exists()


def _the_demo_endpoint_shows_failed_tries(base: str, admin_token: str) -> None:
    """The in-process worker relays webhooks: the demo's unreachable endpoint logs tries to retry."""
    api = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {admin_token}"}, timeout=30)
    [endpoint] = api.get("/v1/webhook-endpoints").json()["items"]
    assert endpoint["url"] == demo_data.WEBHOOK_URL and endpoint["enabled"]
    deadline = time.monotonic() + 30
    while not (
        tried := [
            d for d in api.get(f"/v1/webhook-endpoints/{endpoint['id']}/deliveries").json()["items"] if d["attempts"]
        ]
    ):
        assert time.monotonic() < deadline, "no delivery was tried"
        time.sleep(0.3)
    first = tried[0]
    assert first["status"] == "pending" and first["last_status_code"] is None and first["last_error"], first
    assert first["next_attempt_at"] > first["last_attempt_at"], first


def _match_the_enrolling_demo_program(base: str, manager_token: str) -> None:
    """The demo's next cohort is matched by a background run, reviewed and accepted over REST."""
    api = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {manager_token}"}, timeout=30)
    programs = api.get("/v1/programs").json()["items"]
    [program] = [p for p in programs if p["title"] == demo_data.UPCOMING_TITLE]
    assert api.post(f"/v1/programs/{program['id']}/start-matching").status_code == 200
    started = api.post(f"/v1/programs/{program['id']}/matching-runs", json={})
    assert started.status_code == 202, started.text
    run_url = started.headers["location"]
    deadline = time.monotonic() + 60
    while (run := api.get(run_url).json())["status"] not in ("completed", "failed"):
        assert time.monotonic() < deadline, run
        time.sleep(0.3)
    assert run["status"] == "completed" and run["progress"] == 100, run
    assert run["proposals"] and all(p["explanation"] for p in run["proposals"])
    accepted = api.post(f"{run_url}/accept", json={})
    assert accepted.status_code == 200, accepted.text
    tandems = api.get(f"/v1/programs/{program['id']}/tandems", params={"limit": 200}).json()["items"]
    assert len(tandems) == len(run["proposals"])
    assert {t["status"] for t in tandems} == {"proposed"}


def test_serve_uses_database_url_and_accepts_operator_tokens(tmp_path: Path, database_url: str) -> None:
    env = environment(tmp_path, database_url)
    with serving(env) as base:
        token = operator_token(env, "--role", "platform_admin")
        me = httpx.get(f"{base}/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 200 and me.json()["role"] == "platform_admin"
        refused = httpx.get(f"{base}/v1/me", headers={"Authorization": f"Bearer {token}x"})
        assert refused.status_code == 401
    assert not (tmp_path / "postgres").exists()  # no embedded server was started


def test_the_token_command_refuses_a_member_without_a_person(tmp_path: Path, database_url: str) -> None:
    env = environment(tmp_path, database_url)
    done = subprocess.run(
        [TANDEM, "token", "--org", "no-such-org", "--role", "member", "--email", "x@example.com"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "no organization" in done.stderr
