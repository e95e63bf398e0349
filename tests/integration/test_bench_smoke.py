"""The benchmarks call the use cases directly, and nothing else in the suite runs them: a use case
whose signature changes would break ``make bench-api`` or ``make bench-insights`` unnoticed. This
runs their seeding and measuring at a toy size, on a database of its own (the seed's slug is fixed)."""

from __future__ import annotations

import asyncio

from app.infra.db.migrate import upgrade
from bench.api_seed import Size
from bench.insights import measure
from tests.conftest import fresh_database


def test_the_insights_benchmark_seeds_and_measures_a_small_program(server_url: str) -> None:
    url, drop = fresh_database(server_url, prefix="tandem_bench")
    try:
        upgrade(url)
        results = asyncio.run(measure(url, Size(programs=1, people_per_program=4, tandems=2, sessions=1), rounds=2))
    finally:
        drop()
    assert set(results) == {"get_program (baseline)", "program_insights", "program_report"}
    assert all(len(samples) == 2 and min(samples) > 0 for samples in results.values())
