"""The real ``tandem`` process: what `make run` does on a fresh machine, and an operator's token."""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx

from app.cli import demo_data
from tests.e2e.server import TANDEM, environment, serving
from tests.e2e.server import token as operator_token


def test_a_fresh_data_folder_serves_migrated_demo_data_on_the_embedded_database(home_outside_pytest: Path) -> None:
    tmp_path = home_outside_pytest
    env = environment(tmp_path, None)
    mentee = demo_data.EXECUTIVES[0]
    with serving(env, "--migrate", "--demo-if-empty") as base:
        assert httpx.get(f"{base}/healthz").json() == {"status": "ok"}
        assert httpx.get(f"{base}/docs").status_code == 200
        token = operator_token(env, "--org", "demo", "--role", "member", "--email", mentee.email)
        me = httpx.get(f"{base}/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 200, me.text
        assert me.json()["person"]["display_name"] == mentee.name
        assert me.json()["person"]["digital_native"] is False
    assert (tmp_path / "postgres" / "PG_VERSION").exists()


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
