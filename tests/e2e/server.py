"""Start the real ``tandem`` process for end-to-end tests, and ask it for operator tokens."""

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

TANDEM = str(Path(sys.executable).with_name("tandem"))
STARTUP_SECONDS = 90


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def environment(data_dir: Path, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TANDEM_DATABASE_URL")}
    env["TANDEM_DATA_DIR"] = str(data_dir)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


@contextmanager
def serving(env: dict[str, str], *args: str, port: int | None = None) -> Iterator[str]:
    """Run ``tandem serve`` on ``port`` (a free loopback port by default) until it is ready; yield its base URL."""
    port = port or free_port()
    log_path = Path(env["TANDEM_DATA_DIR"]) / "serve.log"
    with open(log_path, "w+") as log:
        process = subprocess.Popen([TANDEM, "serve", "--port", str(port), *args], env=env, stdout=log, stderr=log)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_ready(base, process, log_path)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=30)


def _wait_ready(base: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        assert process.poll() is None, log_path.read_text()
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"not ready in {STARTUP_SECONDS}s:\n{log_path.read_text()}")


def token(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([TANDEM, "token", *args], env=env, capture_output=True, text=True, timeout=120, check=True)
    return done.stdout.strip()
