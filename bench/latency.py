"""API read latency while a matching run is going (``make bench-latency``).

Starts a throwaway embedded PostgreSQL in a temporary folder, migrates it and seeds one
organization with a program in matching holding N mentees and N mentors (structured profiles
from ``bench.matching``; bulk Core inserts through the mapping functions). Then starts a real
``tandem serve`` and a separate ``tandem worker`` on it, and measures sequential reads on
loopback (GET /v1/programs/{id} and GET /v1/programs?limit=50): first idle, then while a
matching run is queued or running (a new run is started when one ends before enough samples
are taken). Both phases pause ``--pace`` ms between rounds, like clients that do something
with each answer, so the samples spread over the whole run (loading, solving, storing) rather
than crowding its first second. Prints p50/p95/p99 of both phases, the ratio of the p99s and
the run's duration.
Every process it starts, and the database, is stopped at the end, even on errors.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import tempfile
import time
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import insert

from app.domain.enrollment import ParticipantRole
from app.domain.organization import Organization
from app.domain.partner import Partner
from app.infra.db import mapping as m
from app.infra.db import tables as tb
from app.infra.db.engine import make_engine
from app.infra.db.migrate import upgrade
from bench.api_stack import TANDEM, embedded_database, free_port, process, token, wait_ready
from bench.matching import ORG, PARTNERS, Profiles

SLUG = "bench"
CHUNK = 2_000
MAX_RUNS = 5  # runs started in the during-run phase, at most
RUN_TIMEOUT = 600.0  # seconds one run may take before the benchmark gives up on it
POLL_EVERY = 0.25  # seconds between status checks of the run (not measured)
ACTIVE = ("queued", "running")


# --- database ---------------------------------------------------------------------------------


async def seed(url: str, size: int, seed_value: int) -> str:
    """One organization, one program in matching, ``size`` mentees and mentors; the program id."""
    profiles = Profiles(seed_value)
    mentees = profiles.candidates(ParticipantRole.MENTEE, size)
    mentors = profiles.candidates(ParticipantRole.MENTOR, size)
    people = [m.person_to_row(c.person) for c in (*mentees, *mentors)]
    enrollments = [m.enrollment_to_row(c.enrollment) for c in (*mentees, *mentors)]
    engine = make_engine(url, pool_size=2)
    try:
        async with engine.begin() as conn:
            org = Organization(name="Bench", slug=SLUG, id=ORG)
            await conn.execute(insert(tb.OrganizationRow.__table__).values(m.organization_to_row(org)))  # type: ignore[attr-defined]
            program = m.program_to_row(profiles.program)
            await conn.execute(insert(tb.ProgramRow.__table__).values(program))  # type: ignore[attr-defined]
            # the generated partner mentors name these networks (people.partner_id is a foreign key)
            networks = [Partner.register(f"Bench network {i}")[0] for i in range(len(PARTNERS))]
            for network, partner_id in zip(networks, PARTNERS, strict=True):
                network.id = partner_id
                await conn.execute(insert(tb.PartnerRow.__table__).values(m.partner_to_row(network)))  # type: ignore[attr-defined]
        for table, rows in ((tb.PersonRow, people), (tb.EnrollmentRow, enrollments)):
            for start in range(0, len(rows), CHUNK):
                async with engine.begin() as conn:
                    await conn.execute(insert(table.__table__), rows[start : start + CHUNK])  # type: ignore[attr-defined]
    finally:
        await engine.dispose()
    return str(profiles.program.id)


# --- processes --------------------------------------------------------------------------------


def environment(data_dir: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TANDEM_DATABASE_URL")}
    env["TANDEM_DATA_DIR"] = str(data_dir)
    env["DATABASE_URL"] = database_url
    return env


# --- measurement ------------------------------------------------------------------------------


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    """p50, p95, p99 in milliseconds (inclusive method: no extrapolation past the extremes)."""
    if len(samples) < 2:
        only = samples[0] * 1e3 if samples else float("nan")
        return only, only, only
    cuts = statistics.quantiles([s * 1e3 for s in samples], n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


def timed_get(client: httpx.Client, path: str) -> float:
    start = time.perf_counter()
    response = client.get(path)
    elapsed = time.perf_counter() - start
    response.raise_for_status()
    return elapsed


def idle_phase(client: httpx.Client, paths: list[str], requests: int, pace: float) -> dict[str, list[float]]:
    samples: dict[str, list[float]] = {p: [] for p in paths}
    for _ in range(requests):
        for path in paths:
            samples[path].append(timed_get(client, path))
        time.sleep(pace)
    return samples


def start_run(client: httpx.Client, program_id: str) -> tuple[str, float]:
    response = client.post(f"/v1/programs/{program_id}/matching-runs")
    response.raise_for_status()
    return response.json()["id"], time.monotonic()


def run_phase(
    client: httpx.Client, paths: list[str], requests: int, program_id: str, pace: float
) -> tuple[dict[str, list[float]], list[dict[str, Any]]]:
    """Samples taken while a run is queued/running, and each finished run's record."""
    samples: dict[str, list[float]] = {p: [] for p in paths}
    runs: list[dict[str, Any]] = []
    run_id, started = start_run(client, program_id)
    last_poll = 0.0
    deadline = time.monotonic() + RUN_TIMEOUT * MAX_RUNS
    taken = 0
    while time.monotonic() < deadline:
        now = time.monotonic()
        if now - last_poll >= POLL_EVERY:
            last_poll = now
            run = client.get(f"/v1/programs/{program_id}/matching-runs/{run_id}").json()
            if run["status"] not in ACTIVE:
                runs.append(finished(run, time.monotonic() - started))
                if taken >= requests or len(runs) >= MAX_RUNS:
                    break
                run_id, started = start_run(client, program_id)
                continue
            if now - started > RUN_TIMEOUT:
                raise RuntimeError(f"run {run_id} still {run['status']} after {RUN_TIMEOUT:.0f}s")
        if taken < requests:
            for path in paths:
                samples[path].append(timed_get(client, path))
            taken += 1
            time.sleep(pace)
        else:
            time.sleep(POLL_EVERY)  # enough samples: wait for the run to end, to time it
    else:
        raise RuntimeError("the during-run phase did not finish in time")
    return samples, runs


def finished(run: dict[str, Any], observed: float) -> dict[str, Any]:
    created = datetime.fromisoformat(run["created_at"])
    updated = datetime.fromisoformat(run["updated_at"])
    return {
        "status": run["status"],
        "server_seconds": (updated - created).total_seconds(),
        "observed_seconds": observed,
        "proposals": len(run["proposals"]),
        "error": run.get("error"),
    }


def label(path: str) -> str:
    head, _, query = path.partition("?")
    parts = head.split("/")
    if len(parts) > 3:
        parts[3] = "{id}"
    return "GET " + "/".join(parts) + (f"?{query}" if query else "")


def report(idle: dict[str, list[float]], busy: dict[str, list[float]], runs: list[dict[str, Any]]) -> bool:
    header = (
        f"{'endpoint':<26} {'phase':<10} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
        f" {'p99 ratio':>9} {'<= 2x':>5}"
    )
    print(header)
    print("-" * len(header))
    holds = True
    rows = [*idle.keys(), "all reads"]
    for path in rows:
        i = [s for v in idle.values() for s in v] if path == "all reads" else idle[path]
        b = [s for v in busy.values() for s in v] if path == "all reads" else busy[path]
        pi, pb = percentiles(i), percentiles(b)
        ratio = pb[2] / pi[2]
        ok = ratio <= 2.0
        holds = holds and ok
        name = "all reads" if path == "all reads" else label(path)
        print(f"{name:<26} {'idle':<10} {len(i):>5} {pi[0]:>8.2f} {pi[1]:>8.2f} {pi[2]:>8.2f}")
        print(
            f"{'':<26} {'during run':<10} {len(b):>5} {pb[0]:>8.2f} {pb[1]:>8.2f} {pb[2]:>8.2f}"
            f" {ratio:>8.2f}x {'yes' if ok else 'NO':>5}"
        )
    print()
    for k, run in enumerate(runs, 1):
        print(
            f"run {k}: {run['status']}, {run['server_seconds']:.1f} s created → completed"
            f" ({run['observed_seconds']:.1f} s observed by polling), {run['proposals']:,} proposals"
            + (f", error: {run['error']}" if run["error"] else "")
        )
    return holds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--size", type=int, default=5_000, help="mentees and mentors each (default 5000)")
    parser.add_argument("--requests", type=int, default=400, help="sequential reads per endpoint and phase")
    parser.add_argument("--seed", type=int, default=2030)
    parser.add_argument("--pace", type=float, default=10.0, help="ms between rounds of reads, both phases (default 10)")
    parser.add_argument("--workers", type=int, default=1, help="tandem worker processes (default 1)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs) afterwards")
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="tandem-bench-"))
    try:
        with ExitStack() as stack:
            t0 = time.perf_counter()
            url = stack.enter_context(embedded_database(root))
            upgrade(url)
            t_db = time.perf_counter() - t0
            t0 = time.perf_counter()
            program_id = asyncio.run(seed(url, args.size, args.seed))
            t_seed = time.perf_counter() - t0
            print(
                f"{args.size:,} mentees x {args.size:,} mentors; embedded PostgreSQL + migrations {t_db:.1f} s,"
                f" seeding {t_seed:.1f} s; {os.cpu_count()} CPUs; folder {root}",
                flush=True,
            )

            data_dir = root / "data"
            data_dir.mkdir()
            env = environment(data_dir, url)
            port = free_port()
            serve_log = root / "serve.log"
            serve = [TANDEM, "serve", "--host", "127.0.0.1", "--port", str(port)]
            server = stack.enter_context(process(serve, env, serve_log, None))
            # co-located, as recommended in the README: workers keep off the first CPU
            cpus = sorted(os.sched_getaffinity(0))
            worker_env = env | ({"TANDEM_WORKER_CPUS": json.dumps(cpus[1:])} if len(cpus) > 1 else {})
            for k in range(args.workers):
                stack.enter_context(process([TANDEM, "worker"], worker_env, root / f"worker-{k}.log", None))
            base = f"http://127.0.0.1:{port}"
            wait_ready(f"{base}/readyz", server, serve_log)
            headers = {"Authorization": f"Bearer {token(env, SLUG)}"}
            client = stack.enter_context(httpx.Client(base_url=base, headers=headers, timeout=30))
            paths = [f"/v1/programs/{program_id}", "/v1/programs?limit=50"]
            for path in paths:  # warm up: connections, caches, first-request work
                for _ in range(20):
                    timed_get(client, path)

            idle = idle_phase(client, paths, args.requests, args.pace / 1000)
            busy, runs = run_phase(client, paths, args.requests, program_id, args.pace / 1000)
            print()
            holds = report(idle, busy, runs)
            print(f"\ntarget (p99 during a run within 2x of idle): {'holds' if holds else 'MISSED'}")
    finally:
        if args.keep:
            print(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
