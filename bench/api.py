"""API throughput and latency against a bare FastAPI + asyncpg baseline (``make bench-api``).

Starts a throwaway embedded PostgreSQL in a temporary folder (or, with ``DATABASE_URL`` set,
creates a fresh database on that server and drops it at the end), migrates it and seeds it
through the use cases (``bench.api_seed``: about 2,000 people, 10 running programs x 50 tandems,
5,000 held sessions with feedback from both sides). Then starts, on the first CPU, one real
``tandem serve`` (production settings, keys in a temporary TANDEM_DATA_DIR) and the bare
baseline app (``bench.bare_app``, served with the same uvicorn options), mints a program
manager's token with ``tandem token``, and measures with Debian's ``wrk`` pinned to the second
CPU (where the machine has two):

- single objects and writes at 32 connections, the 50-item list and the nested GraphQL query at
  8 (``--list-connections``);
- a short warm-up per endpoint, then ``--rounds`` interleaved rounds of ``--seconds`` each;
  medians across rounds, a warning when an endpoint's req/s spread over 15 % across rounds;
- every answer must be 2xx (GraphQL: no ``errors``), else the run stops;
- SQL statements and transactions per request, counted by the server's ``/metrics`` counters
  ``tandem_db_statements_total`` and ``tandem_db_transactions_total`` around N sequential
  requests (a scrape's own statements subtracted); "n/a" while the server has no such counters.

Prints a table and the ratios with their targets (issue 10), describes the machine, and writes
``bench/results/api-latest.json`` (the previous one becomes ``api-previous.json``; deltas against
it are printed). Everything it starts is stopped at the end, even on errors or Ctrl-C.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families

from app.infra.db.migrate import upgrade
from bench import api_profile, api_report, wrk
from bench.api_seed import FULL, QUICK, Seeded, Size, seed
from bench.api_stack import (
    TANDEM,
    asyncpg_dsn,
    embedded_database,
    free_port,
    fresh_database_on,
    machine,
    process,
    tail,
    tandem_environment,
    token,
    wait_ready,
)

RESULTS = Path(__file__).resolve().parent / "results"
STATEMENTS = "tandem_db_statements_total"
TRANSACTIONS = "tandem_db_transactions_total"

TANDEM_FIELDS = (
    "id version programId mentorEnrollmentId menteeEnrollmentId mentorPersonId menteePersonId status formats"
    " expiresAt mentorAcceptedAt menteeAcceptedAt fitMentor fitMentee rematchFlagged endReason neverPairAgain"
    " health { status reason }"
)
GQL_TANDEM = f"query BenchTandem($id: UUID!) {{ tandem(id: $id) {{ {TANDEM_FIELDS} }} }}"
GQL_NESTED = (
    "query BenchNested($id: UUID!) { program(id: $id) { tandems { id mentor { displayName }"
    " mentee { displayName } health { status reason } sessions { status startsAt } } } }"
)
SCHEDULE_BODY = '{"starts_at":"{starts}","duration_minutes":60,"format":"video_call","agenda":"bench"}'


@dataclass(frozen=True)
class Endpoint:
    key: str
    label: str
    server: str  # "tandem" or "bare"
    connections: int
    target: wrk.Target
    baseline: str | None = None

    def requests(self, n: int, first_start: int) -> list[tuple[str, str, str | None]]:
        """``n`` requests as wrk sends them (method, path, body), for counting with httpx."""
        t = self.target
        if not t.spread_over:
            return [(t.method, t.path, t.body)] * n
        out = []
        for i in range(1, n + 1):
            tandem = t.spread_over[i % len(t.spread_over)]
            starts = datetime.fromtimestamp(first_start + (i % 20000) * 420, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            path = t.path.replace("{tandem}", tandem)
            out.append(
                (t.method, path, (t.body_template or "").replace("{tandem}", tandem).replace("{starts}", starts))
            )
        return out


def endpoints(data: Seeded, bearer: str, single: int, lists: int) -> list[Endpoint]:
    auth = {"Authorization": f"Bearer {bearer}"}
    as_json = {"Content-Type": "application/json"}
    tandem, program = str(data.read_tandem), str(data.read_program)
    writes = tuple(str(t) for t in data.write_tandems)

    def graphql(query: str, variables: dict[str, str]) -> str:
        return json.dumps({"query": query, "variables": variables})

    bare_body = (
        '{"org_id":"' + str(data.org_id) + '","tandem_id":"{tandem}","starts_at":"{starts}",'
        '"duration_minutes":60,"format":"video_call","agenda":"bench"}'
    )
    return [
        Endpoint(
            "bare_get", "bare: GET /tandems/{id} (select by PK)", "bare", single, wrk.Target(path=f"/tandems/{tandem}")
        ),
        Endpoint(
            "rest_get",
            "GET /v1/tandems/{id}",
            "tandem",
            single,
            wrk.Target(path=f"/v1/tandems/{tandem}", headers=auth),
            baseline="bare_get",
        ),
        Endpoint(
            "gql_tandem",
            "GraphQL tandem(id) {REST fields, health}",
            "tandem",
            single,
            wrk.Target(
                method="POST",
                path="/graphql",
                headers=auth | as_json,
                body=graphql(GQL_TANDEM, {"id": tandem}),
                check_graphql_errors=True,
            ),
            baseline="rest_get",
        ),
        Endpoint(
            "bare_list",
            "bare: GET /tandems?program_id=…&limit=50",
            "bare",
            lists,
            wrk.Target(path=f"/tandems?program_id={program}&limit=50"),
        ),
        Endpoint(
            "rest_list",
            "GET /v1/programs/{id}/tandems?limit=50",
            "tandem",
            lists,
            wrk.Target(path=f"/v1/programs/{program}/tandems?limit=50", headers=auth),
            baseline="bare_list",
        ),
        Endpoint(
            "gql_nested",
            "GraphQL program→tandems→mentor,mentee,health,sessions",
            "tandem",
            lists,
            wrk.Target(
                method="POST",
                path="/graphql",
                headers=auth | as_json,
                body=graphql(GQL_NESTED, {"id": program}),
                check_graphql_errors=True,
            ),
            baseline="rest_list",
        ),
        Endpoint(
            "bare_insert",
            "bare: POST /sessions (one INSERT)",
            "bare",
            single,
            wrk.Target(method="POST", path="/sessions", headers=as_json, spread_over=writes, body_template=bare_body),
        ),
        Endpoint(
            "rest_schedule",
            "POST /v1/tandems/{id}/sessions",
            "tandem",
            single,
            wrk.Target(
                method="POST",
                path="/v1/tandems/{tandem}/sessions",
                headers=auth | as_json,
                spread_over=writes,
                body_template=SCHEDULE_BODY,
            ),
            baseline="bare_insert",
        ),
    ]


# --- checks and counting ----------------------------------------------------------------------


def counters(client: httpx.Client) -> tuple[float | None, float | None]:
    """The statement and transaction counters of the server's /metrics (None while it has none)."""
    response = client.get("/metrics")
    response.raise_for_status()
    found: dict[str, float] = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            if sample.name in (STATEMENTS, TRANSACTIONS):
                found[sample.name] = found.get(sample.name, 0.0) + sample.value
    return found.get(STATEMENTS), found.get(TRANSACTIONS)


def send(client: httpx.Client, method: str, path: str, body: str | None) -> httpx.Response:
    headers = {"Content-Type": "application/json"} if body is not None else {}
    response = client.request(method, path, content=body, headers=headers)
    if not 200 <= response.status_code < 300 or (path == "/graphql" and '"errors"' in response.text):
        raise RuntimeError(f"{method} {path} answered {response.status_code}: {response.text[:500]}")
    return response


def check_shapes(clients: dict[str, httpx.Client], eps: list[Endpoint], size: Size, start: int) -> None:
    """The list and the nested query read exactly ``size.tandems`` tandems; GraphQL finds the tandem."""
    for ep in eps:
        method, path, body = ep.requests(1, start)[0]
        data = send(clients[ep.server], method, path, body).json()
        if ep.key in ("rest_list", "bare_list") and len(data["items"]) != size.tandems:
            raise RuntimeError(f"{ep.label}: {len(data['items'])} items, expected {size.tandems}")
        if ep.key == "gql_nested" and len(data["data"]["program"]["tandems"]) != size.tandems:
            raise RuntimeError(f"{ep.label}: {len(data['data']['program']['tandems'])} tandems")
        if ep.key == "gql_tandem" and not data["data"]["tandem"]:
            raise RuntimeError(f"{ep.label}: no tandem")


def count_statements(client: httpx.Client, eps: list[Endpoint], n: int, start: int) -> dict[str, dict[str, Any]]:
    """Statements and transactions per request of each tandem endpoint, from /metrics deltas."""
    # the warm-up's last requests may still be queued in the server: count only once it is idle,
    # and take what one scrape itself adds (its queue-depth queries) as the least seen between
    # consecutive scrapes
    time.sleep(2.0)
    scrapes = [counters(client) for _ in range(4)]
    if any(found[0] is None for found in scrapes):
        print(f"the server's /metrics has no {STATEMENTS} yet: statements per request n/a", flush=True)
        return {ep.key: {"counted": True, "statements": None, "transactions": None} for ep in eps}
    overhead = [min((b[i] or 0.0) - (a[i] or 0.0) for a, b in pairwise(scrapes)) for i in range(2)]
    out: dict[str, dict[str, Any]] = {}
    for ep in eps:
        before = counters(client)
        for method, path, body in ep.requests(n, start):
            send(client, method, path, body)
        after = counters(client)
        per = [
            (((b or 0.0) - (a or 0.0) - o) / n) if a is not None and b is not None else None
            for a, b, o in zip(before, after, overhead, strict=True)
        ]
        out[ep.key] = {"counted": True, "statements": per[0], "transactions": per[1]}
    return out


# --- measuring --------------------------------------------------------------------------------


def measure(
    ep: Endpoint, base: str, seconds: float, script: Path, cpus: list[int] | None, first_start: int, log: Path
) -> dict[str, Any]:
    result = wrk.run(
        base, ep.target, connections=ep.connections, seconds=seconds, script_path=script, cpus=cpus,
        first_start=first_start,
    )  # fmt: skip
    if result["non_2xx"] or result["socket_errors"] or result["timeouts"] or not result["requests"]:
        raise RuntimeError(
            f"{ep.label}: {result['non_2xx']} non-2xx answers, {result['socket_errors']} socket errors,"
            f" {result['timeouts']} timeouts of {result['requests']} requests; first: {result['sample']}\n"
            f"server log:\n{tail(log)}"
        )
    return result


PROFILED = ("rest_get", "gql_nested")  # the figures furthest from their targets


def profile(
    ep: Endpoint, base: str, seconds: float, script: Path, cpus: list[int] | None, serve: Any, root: Path
) -> list[str]:
    """Sample the server with py-spy while wrk loads one endpoint; the summary by layer."""
    raw = root / f"profile-{ep.key}.txt"
    with ThreadPoolExecutor(1) as pool:
        load = pool.submit(
            wrk.run, base, ep.target, connections=ep.connections, seconds=seconds + 2, script_path=script,
            cpus=cpus, first_start=0,
        )  # fmt: skip
        time.sleep(1)  # wrk has connected
        api_profile.record(serve.pid, seconds, raw)
        load.result()
    return api_profile.summarize(raw)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (default 3)")
    parser.add_argument("--seconds", type=float, default=None, help="seconds per measurement (default 5; quick 2)")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of warm-up per endpoint (default 2)")
    parser.add_argument("--connections", type=int, default=32, help="single objects and writes (default 32)")
    parser.add_argument("--list-connections", type=int, default=8, help="list and nested query (default 8)")
    parser.add_argument("--count", type=int, default=20, help="sequential requests for statement counts")
    parser.add_argument("--quick", action="store_true", help="2 programs x 50 tandems, 3 sessions each: a smoke run")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs) afterwards")
    parser.add_argument(
        "--profile", type=float, default=8.0, help="seconds of py-spy sampling per profiled endpoint (0: none)"
    )
    args = parser.parse_args()
    size = QUICK if args.quick else FULL
    seconds = args.seconds if args.seconds is not None else (2.0 if args.quick else 5.0)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the clean-ups, as on Ctrl-C
    signal.signal(signal.SIGINT, signal.default_int_handler)  # also when started with SIGINT ignored (`&`)

    cpus = sorted(os.sched_getaffinity(0))
    server_cpus, wrk_cpus = ([cpus[0]], [cpus[1]]) if len(cpus) >= 2 else (None, None)
    wrk.install()
    root = Path(tempfile.mkdtemp(prefix="tandem-bench-api-"))
    started_at = datetime.now(UTC)
    t_all = time.perf_counter()
    try:
        with ExitStack() as stack:
            t0 = time.perf_counter()
            external = os.environ.get("DATABASE_URL") or os.environ.get("TANDEM_DATABASE_URL")
            if external:
                url = stack.enter_context(fresh_database_on(external))
            else:
                url = stack.enter_context(embedded_database(root))
            upgrade(url)
            print(f"database ready and migrated in {time.perf_counter() - t0:.1f} s ({root})", flush=True)

            t0 = time.perf_counter()
            print(
                f"seeding through the use cases: {size.people:,} people, {size.programs} running programs"
                f" x {size.tandems} tandems, {size.sessions} held sessions per tandem with feedback …",
                flush=True,
            )
            data = asyncio.run(seed(url, size))
            t_seed = time.perf_counter() - t0
            steps = ", ".join(f"{k} {v:.0f} s" for k, v in data.seconds.items())
            print(f"seeded in {t_seed:.1f} s ({data.calls:,} use-case calls: {steps})", flush=True)

            port, bare_port = free_port(), free_port()
            data_dir = root / "data"
            data_dir.mkdir()
            env = tandem_environment(data_dir, url, port)
            serve_log, bare_log = root / "serve.log", root / "bare.log"
            serve = stack.enter_context(
                process([TANDEM, "serve", "--host", "127.0.0.1", "--port", str(port)], env, serve_log, server_cpus)
            )
            bare_command = [sys.executable, "-m", "bench.bare_app", "--port", str(bare_port), "--dsn", asyncpg_dsn(url)]
            bare_env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
            bare_env["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent)
            bare = stack.enter_context(process(bare_command, bare_env, bare_log, server_cpus))
            base, bare_base = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{bare_port}"
            wait_ready(f"{base}/readyz", serve, serve_log)
            wait_ready(f"{bare_base}/tandems/{data.read_tandem}", bare, bare_log)
            bearer = token(env, data.slug)

            eps = endpoints(data, bearer, args.connections, args.list_connections)
            clients = {
                "tandem": stack.enter_context(
                    httpx.Client(base_url=base, headers={"Authorization": f"Bearer {bearer}"}, timeout=60)
                ),
                "bare": stack.enter_context(httpx.Client(base_url=bare_base, timeout=60)),
            }
            bases = {"tandem": base, "bare": bare_base}
            logs = {"tandem": serve_log, "bare": bare_log}
            # sessions start tomorrow on, a new stretch for each measurement
            tomorrow = int((datetime.now(UTC) + timedelta(days=1)).replace(minute=0, second=0).timestamp())
            starts: Callable[[int], int] = lambda k: tomorrow + k * 60  # noqa: E731
            check_shapes(clients, eps, size, starts(0))

            scripts = root / "lua"
            scripts.mkdir()
            print(f"warm-up: {args.warmup:g} s per endpoint …", flush=True)
            for ep in eps:
                script = scripts / f"{ep.key}.lua"
                measure(ep, bases[ep.server], args.warmup, script, wrk_cpus, starts(1), logs[ep.server])

            counted = count_statements(
                clients["tandem"], [ep for ep in eps if ep.server == "tandem"], args.count, starts(2)
            )

            rounds: dict[str, list[dict[str, Any]]] = {ep.key: [] for ep in eps}
            for r in range(args.rounds):
                print(f"round {r + 1} of {args.rounds} ({seconds:g} s per endpoint) …", flush=True)
                for ep in eps:
                    script = scripts / f"{ep.key}.lua"
                    result = measure(ep, bases[ep.server], seconds, script, wrk_cpus, starts(10 + r), logs[ep.server])
                    rounds[ep.key].append(result)
                    print(
                        f"  {ep.label:<52} {result['rps']:>8.1f} req/s  p50 {result['p50_ms']:>7.1f} ms"
                        f"  p99 {result['p99_ms']:>7.1f} ms",
                        flush=True,
                    )

            profiles: dict[str, list[str]] = {}
            if args.profile > 0:
                for ep in eps:
                    if ep.key in PROFILED:
                        print(f"profiling {ep.label} for {args.profile:g} s …", flush=True)
                        script = scripts / f"{ep.key}.lua"
                        try:
                            target = bases[ep.server]
                            profiles[ep.key] = profile(ep, target, args.profile, script, wrk_cpus, serve, root)
                        except (OSError, RuntimeError, ValueError, subprocess.SubprocessError) as error:
                            profiles[ep.key] = [f"  no profile: {error}"]  # the figures still count

            results: dict[str, Any] = {}
            for ep in eps:
                results[ep.key] = {
                    "label": ep.label,
                    "server": ep.server,
                    "connections": ep.connections,
                    "baseline": ep.baseline,
                    "rounds": rounds[ep.key],
                    "median": api_report.medians(rounds[ep.key]),
                    "spread": api_report.spread(rounds[ep.key]),
                    **counted.get(ep.key, {"counted": False}),
                }
            goal_rows = api_report.goals(results)
            described = machine(url, wrk.version(), server_cpus, wrk_cpus)
            total = time.perf_counter() - t_all

            print()
            print(
                f"machine: {described['cpu']}, {described['cores']} cores; PostgreSQL {described['postgresql']}"
                f" ({'DATABASE_URL' if external else 'embedded'}); Python {described['python']}; {described['wrk']}"
            )
            pinning = (
                f"servers on CPU {server_cpus[0]}, wrk on CPU {wrk_cpus[0]} (PostgreSQL unpinned)"
                if server_cpus and wrk_cpus
                else "one CPU: nothing pinned"
            )
            print(
                f"data: {size.people:,} people, {size.programs * size.tandems} tandems,"
                f" {size.programs * size.tandems * size.sessions:,} sessions; {pinning};"
                f" {args.rounds} rounds x {seconds:g} s, medians"
            )
            print()
            labels = {ep.key: ep.label for ep in eps}
            print("\n".join(api_report.table(results, labels, {ep.key: ep.baseline for ep in eps})))
            for ep in eps:
                found = results[ep.key]
                if found["spread"] > api_report.SPREAD_WARNING:
                    each = ", ".join(f"{r['rps']:.1f}" for r in rounds[ep.key])
                    print(f"WARNING: {ep.label}: req/s spread {found['spread'] * 100:.0f} % across rounds ({each})")
                if found["median"]["requests"] < 4 * ep.connections:
                    print(
                        f"WARNING: {ep.label}: only {found['median']['requests']:.0f} answers per round,"
                        " too few for a p99 (raise --seconds)"
                    )
            print("\ntargets (issue 10):")
            print("\n".join(api_report.goal_lines(goal_rows)))
            for key, lines in profiles.items():
                print(f"\nwhere {labels[key]} spends the server's CPU (py-spy, by innermost frame):")
                print("\n".join(lines))

            document = {
                "started_at": started_at.isoformat(),
                "finished_at": datetime.now(UTC).isoformat(),
                "machine": described,
                "config": {
                    "rounds": args.rounds,
                    "seconds": seconds,
                    "warmup": args.warmup,
                    "connections": args.connections,
                    "list_connections": args.list_connections,
                    "count_requests": args.count,
                    "quick": args.quick,
                    "database": "DATABASE_URL" if external else "embedded",
                    "size": size.__dict__,
                },
                "seed": data.as_json() | {"total_seconds": round(t_seed, 1)},
                "endpoints": results,
                "goals": goal_rows,
                "profiles": profiles,
                "total_seconds": round(total, 1),
            }
            previous = save(document)
            if previous:
                print()
                print("\n".join(api_report.deltas(document, previous)))
            print(f"\nseeding {t_seed:.0f} s, whole run {total:.0f} s; results in {RESULTS / 'api-latest.json'}")
    finally:
        if args.keep:
            print(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)


def save(document: dict[str, Any]) -> dict[str, Any] | None:
    """Write api-latest.json, keeping the one before as api-previous.json; that previous one."""
    RESULTS.mkdir(exist_ok=True)
    latest, before = RESULTS / "api-latest.json", RESULTS / "api-previous.json"
    previous = None
    if latest.exists():
        try:
            previous = json.loads(latest.read_text())
        except ValueError:
            previous = None
        latest.replace(before)
    latest.write_text(json.dumps(document, indent=2) + "\n")
    return previous


if __name__ == "__main__":
    main()
