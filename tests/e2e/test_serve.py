"""The real ``tandem`` process: what `make run` does on a fresh machine, and an operator's token."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from app.cli import demo_data

TANDEM = str(Path(sys.executable).with_name("tandem"))
STARTUP_SECONDS = 90


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(data_dir: Path, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TANDEM_DATABASE_URL")}
    env["TANDEM_DATA_DIR"] = str(data_dir)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


@contextmanager
def _serving(env: dict[str, str], *args: str) -> Iterator[str]:
    port = _free_port()
    log = open(Path(env["TANDEM_DATA_DIR"]) / "serve.log", "w+")  # noqa: SIM115  (closed below)
    process = subprocess.Popen([TANDEM, "serve", "--port", str(port), *args], env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            assert process.poll() is None, Path(log.name).read_text()
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.3)
        else:
            raise AssertionError(f"not ready in {STARTUP_SECONDS}s:\n{Path(log.name).read_text()}")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def _token(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([TANDEM, "token", *args], env=env, capture_output=True, text=True, timeout=120, check=True)
    return done.stdout.strip()


def test_a_fresh_data_folder_serves_migrated_demo_data_on_the_embedded_database(tmp_path: Path) -> None:
    env = _env(tmp_path, None)
    mentee = demo_data.EXECUTIVES[0]
    with _serving(env, "--migrate", "--demo-if-empty") as base:
        assert httpx.get(f"{base}/healthz").json() == {"status": "ok"}
        assert httpx.get(f"{base}/docs").status_code == 200
        token = _token(env, "--org", "demo", "--role", "member", "--email", mentee.email)
        me = httpx.get(f"{base}/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 200, me.text
        assert me.json()["person"]["display_name"] == mentee.name
        assert me.json()["person"]["digital_native"] is False
    assert (tmp_path / "postgres" / "PG_VERSION").exists()


def test_serve_uses_database_url_and_accepts_operator_tokens(tmp_path: Path, database_url: str) -> None:
    env = _env(tmp_path, database_url)
    with _serving(env) as base:
        token = _token(env, "--role", "platform_admin")
        me = httpx.get(f"{base}/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 200 and me.json()["role"] == "platform_admin"
        refused = httpx.get(f"{base}/v1/me", headers={"Authorization": f"Bearer {token}x"})
        assert refused.status_code == 401
    assert not (tmp_path / "postgres").exists()  # no embedded server was started


def test_the_token_command_refuses_a_member_without_a_person(tmp_path: Path, database_url: str) -> None:
    env = _env(tmp_path, database_url)
    done = subprocess.run(
        [TANDEM, "token", "--org", "no-such-org", "--role", "member", "--email", "x@example.com"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "no organization" in done.stderr
