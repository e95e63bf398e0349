"""Program insights and the program report for a large program, in-process (``make bench-insights``).

Issue 13 asks for a 500-tandem program's insights in under 100 ms in-process, from a few aggregate
statements whatever the program's size. This seeds, through the use cases (``bench.api_seed``), one
running program of ``--tandems`` tandems with ``--sessions`` held sessions each (feedback from both
sides), on a throwaway embedded PostgreSQL (or a fresh database on ``DATABASE_URL``'s server), then
times, over the same unit of work the API uses:

- the baseline: ``get_program`` (one row by key), so the figures read as ratios on any machine;
- ``program_insights`` and ``program_report`` of the large program.

Prints min and median of each over ``--rounds`` warm rounds and each one's ratio to the baseline.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from sqlalchemy import text

from app.domain.access import Caller, Role
from app.infra.db.engine import make_db_factory, make_engine
from app.infra.db.migrate import upgrade
from app.infra.db.unit_of_work import SqlUnitOfWork
from app.services import insights, programs, reports
from bench.api_seed import Size, seed
from bench.api_stack import embedded_database, fresh_database_on, machine, sqlalchemy_url


async def _timed(call: Callable[[], Awaitable[Any]], rounds: int) -> list[float]:
    await call()  # warm: statement caches, the connection
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        await call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


async def measure(url: str, size: Size, rounds: int) -> dict[str, list[float]]:
    seeded = await seed(url, size)
    # autovacuum analyzes fresh tables within a minute or so; measure the settled database it
    # leaves, not the planner's guesses for tables it has no statistics of yet
    analyzer = make_engine(url, pool_size=1)
    async with analyzer.begin() as conn:  # committed: statistics are rows of a transaction too
        await conn.execute(text("ANALYZE"))
    await analyzer.dispose()
    manager = Caller(user_id=uuid.uuid4(), role=Role.PROGRAM_MANAGER, org_id=seeded.org_id)
    program_id = seeded.read_program
    engine = make_engine(url, pool_size=2)
    factory = make_db_factory(engine)
    try:
        calls: dict[str, Callable[[], Awaitable[Any]]] = {
            "get_program (baseline)": lambda: programs.get_program(SqlUnitOfWork(factory), manager, program_id),
            "program_insights": lambda: insights.program_insights(SqlUnitOfWork(factory), manager, program_id),
            "program_report": lambda: reports.program_report(SqlUnitOfWork(factory), manager, program_id),
        }
        return {name: await _timed(call, rounds) for name, call in calls.items()}
    finally:
        await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tandems", type=int, default=500, help="tandems of the measured program")
    parser.add_argument("--sessions", type=int, default=3, help="held sessions per tandem, with feedback")
    parser.add_argument("--rounds", type=int, default=30, help="timed rounds of each call")
    args = parser.parse_args()
    size = Size(programs=1, people_per_program=2 * args.tandems, tandems=args.tandems, sessions=args.sessions)

    with ExitStack() as stack:
        root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="tandem-bench-insights-")))
        server_url = os.environ.get("DATABASE_URL")
        url = sqlalchemy_url(
            stack.enter_context(fresh_database_on(server_url) if server_url else embedded_database(root))
        )
        upgrade(url)
        print(f"machine: {machine(url, 'n/a', None, None)}")
        print(f"seeding one running program: {args.tandems} tandems, {args.sessions} held sessions each ...")
        results = asyncio.run(measure(url, size, args.rounds))

    baseline = statistics.median(results["get_program (baseline)"])
    print(f"\n{'call':<26}{'min ms':>9}{'median ms':>11}{'x baseline':>12}")
    for name, samples in results.items():
        median = statistics.median(samples)
        print(f"{name:<26}{min(samples):>9.1f}{median:>11.1f}{median / baseline:>12.1f}")
    verdict = "met" if statistics.median(results["program_insights"]) < 100 else "missed"
    print(f"\ninsights of a {args.tandems}-tandem program under 100 ms (median): {verdict}")


if __name__ == "__main__":
    main()
