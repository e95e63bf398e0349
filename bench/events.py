"""Webhook delivery and pool sync figures (``make bench-events``).

Starts a throwaway embedded PostgreSQL in a temporary folder (or, with ``DATABASE_URL`` set, a
fresh database on that server, dropped at the end), migrates it, and registers one organization
with a webhook endpoint at a receiver on loopback (``http.server``, answers 200 at once), then:

1. **Throughput**: ``--events`` events are committed to the outbox in one go and one real
   ``tandem worker`` delivers them (fan-out, signing, the POST, the delivery log, in order per
   endpoint). Events per second from the first to the last arrival, against the baseline: the
   same events signed with standardwebhooks and POSTed by one bare httpx client to the same
   receiver, one after another (what a sender does with no queue, no log, no retries). The ratio
   is Tandem's rate over the bare one's.
2. **Lag**: while the worker runs with the default relay interval (2 s), a writer commits one
   event every ``1/--rate`` seconds for ``--seconds``; the lag of each event is its arrival at the
   receiver minus the moment its commit returned. p50 and p99.
3. **Pool sync**: a real ``tandem serve`` (production settings) receives ``--mentors`` mentors
   as ONE NDJSON stream from a partner's token (httpx sends it from a generator, chunked, as it
   is made), with the organization granting the partner (so each mentor is a Person there too).
   Seconds and rows per second, the server's RSS sampled every 100 ms (before, at each fifth of
   the stream sent, and the highest sample) and its VmHWM; then the same stream again, which
   must emit zero events. ``--pool-only`` runs this part alone.

Prints the figures and the machine; everything it starts is stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, insert, select

from app.domain.access import Caller, Role, Scope
from app.infra.auth.keys import Keyring
from app.infra.auth.secret_box import SecretBox
from app.infra.auth.tokens import TokenIssuer
from app.infra.db import tables as tb
from app.infra.db.engine import make_db_factory, make_engine
from app.infra.db.migrate import upgrade
from app.infra.db.unit_of_work import SqlUnitOfWork
from app.infra.settings import Settings
from app.infra.webhooks import WebhookUrlPolicy, sign
from app.services import organizations, partners, webhooks
from bench.api_stack import (
    TANDEM,
    embedded_database,
    free_port,
    fresh_database_on,
    machine,
    process,
    sqlalchemy_url,
    tail,
    tandem_environment,
    wait_ready,
)

OPERATOR = Caller(uuid.UUID(int=1), Role.PLATFORM_ADMIN)


# --- the receiver -----------------------------------------------------------------------------


class Receiver:
    """Records when each webhook-id first arrived; answers 200 without verifying (the tests verify)."""

    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}
        self.lock = threading.Lock()

    def seen(self, webhook_id: str) -> None:
        now = time.monotonic()
        with self.lock:
            self.arrived.setdefault(webhook_id, now)


@contextmanager
def receiving(receiver: Receiver) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as a production receiver would

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length", "0")))
            receiver.seen(self.headers.get("webhook-id", ""))
            self.send_response(200)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hooks"
    finally:
        server.shutdown()


# --- the database -----------------------------------------------------------------------------


async def register(url: str, box: SecretBox, receiver_url: str) -> tuple[uuid.UUID, str]:
    """The organization with its endpoint at the receiver; its id and the endpoint's secret."""
    engine = make_engine(url, pool_size=2)
    try:
        factory = make_db_factory(engine)
        org = await organizations.create_organization(
            SqlUnitOfWork(factory, box), OPERATOR, name="Bench events", slug="bench-events"
        )
        admin = Caller(uuid.uuid4(), Role.ORG_ADMIN, org_id=org.id)
        endpoint = await webhooks.create_endpoint(
            SqlUnitOfWork(factory, box), WebhookUrlPolicy(allow_private=True), admin, url=receiver_url
        )
        return org.id, endpoint.secret
    finally:
        await engine.dispose()


def _event(org_id: uuid.UUID, n: int) -> dict[str, Any]:
    data = {"tandem_id": str(uuid.uuid4()), "from": "proposed", "to": "active", "n": n}
    return {
        "id": uuid.uuid4(),
        "org_id": org_id,
        "type": "tandem.status_changed",
        "subject_id": uuid.uuid4(),
        "data": data,
        "occurred_at": datetime.now(UTC),
    }


async def burst(url: str, org_id: uuid.UUID, count: int) -> list[dict[str, Any]]:
    engine = make_engine(url, pool_size=1)
    try:
        rows = [_event(org_id, n) for n in range(count)]
        async with engine.begin() as conn:
            await conn.execute(insert(tb.outbox), rows)
        return rows
    finally:
        await engine.dispose()


async def steady_writes(url: str, org_id: uuid.UUID, rate: float, seconds: float) -> dict[str, float]:
    """One event per transaction at ``rate`` a second; when each commit returned, by event id."""
    engine = make_engine(url, pool_size=1)
    committed: dict[str, float] = {}
    loop = asyncio.get_running_loop()
    start = loop.time()
    try:
        for n in range(int(rate * seconds)):
            await asyncio.sleep(max(0.0, start + n / rate - loop.time()))
            row = _event(org_id, n)
            async with engine.begin() as conn:
                await conn.execute(insert(tb.outbox).values(row))
            committed[str(row["id"])] = time.monotonic()
    finally:
        await engine.dispose()
    return committed


async def event_count(url: str, partner_id: uuid.UUID) -> int:
    engine = make_engine(url, pool_size=1)
    try:
        async with engine.connect() as conn:
            found = await conn.scalar(
                select(func.count()).select_from(tb.outbox).where(tb.outbox.c.partner_id == partner_id)
            )
            return int(found or 0)
    finally:
        await engine.dispose()


# --- the phases -------------------------------------------------------------------------------


def wait_for(receiver: Receiver, ids: set[str], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with receiver.lock:
            if ids <= receiver.arrived.keys():
                return
        time.sleep(0.05)
    raise RuntimeError(f"{len(ids - receiver.arrived.keys())} of {len(ids)} events not delivered in {timeout:g} s")


def rate_of(receiver: Receiver, ids: set[str]) -> float:
    times = sorted(receiver.arrived[i] for i in ids)
    return (len(times) - 1) / (times[-1] - times[0])


async def bare_sender(rows: list[dict[str, Any]], receiver_url: str, secret: str) -> None:
    """The baseline: sign and POST each event in turn on one keep-alive connection."""
    async with httpx.AsyncClient(timeout=10) as client:
        for row in rows:
            body = json.dumps(
                {
                    **row,
                    "id": str(row["id"]),
                    "org_id": str(row["org_id"]),
                    "subject_id": str(row["subject_id"]),
                    "occurred_at": row["occurred_at"].isoformat(),
                },
                separators=(",", ":"),
            )
            message_id, now = str(row["id"]), datetime.now(UTC)
            headers = {
                "content-type": "application/json",
                "webhook-id": message_id,
                "webhook-timestamp": str(int(now.timestamp())),
                "webhook-signature": sign([secret], message_id, now, body),
            }
            (await client.post(receiver_url, content=body, headers=headers)).raise_for_status()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def mentor_line(n: int) -> bytes:
    """One mentor of the stream (deterministic: the second sync sends the same bytes)."""
    return (
        json.dumps(
            {
                "external_id": f"m-{n:06d}",
                "display_name": f"Mentor {n:06d}",
                "birth_year": 1985 + n % 20,
                "email": f"mentor{n:06d}@pool.example",
                "bio": "Reverse mentor: short video, AI tools, remote teams.",
                "interests": ["TikTok verstehen", "AI tools in daily work"][: 1 + n % 2],
                "languages": ["en", "de"],
                "city": "Berlin",
                "timezone": "Europe/Berlin",
                "preferred_formats": ["video_call"],
            }
        ).encode()
        + b"\n"
    )


def rss_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} for process {pid}")


class RssSampler:
    """The server's resident set every 100 ms while a sync runs; the highest sample in MiB."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self.stop = pid, 0, threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self.stop.wait(0.1):
            self.peak = max(self.peak, rss_kib(self.pid, "VmRSS") // 1024)

    def __enter__(self) -> RssSampler:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()


def sync(
    base: str, partner_id: uuid.UUID, headers: dict[str, str], count: int, pid: int
) -> tuple[float, list[int], int, dict[str, int]]:
    """One NDJSON stream of ``count`` mentors: seconds, the server's RSS (MiB) when each fifth of
    the stream was sent, its highest RSS sample, and the counts of the answer's last line."""
    rss: list[int] = []
    fifth = max(1, count // 5)

    def body() -> Iterator[bytes]:
        block: list[bytes] = []
        for n in range(count):
            block.append(mentor_line(n))
            if len(block) == 500:  # a 64 kB write, as a client streaming from its own store would
                yield b"".join(block)
                block = []
            if (n + 1) % fifth == 0:
                rss.append(rss_kib(pid, "VmRSS") // 1024)
        if block:
            yield b"".join(block)

    content_type = {"content-type": "application/x-ndjson"}
    with httpx.Client(base_url=base, headers=headers | content_type, timeout=600) as http, RssSampler(pid) as sampled:
        started = time.monotonic()
        with http.stream("PUT", f"/v1/partners/{partner_id}/mentors", content=body()) as answer:
            if answer.status_code != 200:
                raise RuntimeError(f"sync: {answer.status_code} {answer.read()[:500]!r}")
            rows, end = 0, {}
            for line in answer.iter_lines():
                item = json.loads(line)
                if "counts" in item:
                    end = item["counts"]
                elif item["status"] == "error":
                    raise RuntimeError(f"sync: row refused: {line[:500]}")
                else:
                    rows += 1
        seconds = time.monotonic() - started
    if rows != count or not end:
        raise RuntimeError(f"sync: {rows} of {count} rows answered, end line {end}")
    return seconds, rss, sampled.peak, end


async def partner_with_grant(url: str, box: SecretBox, org_id: uuid.UUID) -> Caller:
    engine = make_engine(url, pool_size=2)
    try:
        factory = make_db_factory(engine)
        issued = await partners.create_partner(SqlUnitOfWork(factory, box), OPERATOR, name="Bench pool")
        p = issued.partner
        admin = Caller(uuid.uuid4(), Role.ORG_ADMIN, org_id=org_id)
        await partners.grant_partner_access(SqlUnitOfWork(factory, box), admin, org_id, p.id)
        scopes = frozenset({Scope.MENTORS_SYNC.value, Scope.MENTORS_READ.value})
        return Caller(p.id, Role.PARTNER, partner_id=p.id, scopes=scopes, credential=p.credential_tag)
    finally:
        await engine.dispose()


# --- the run ----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=5000, help="events of the throughput burst")
    parser.add_argument("--rate", type=float, default=20.0, help="events a second of the steady writer")
    parser.add_argument("--seconds", type=float, default=30.0, help="how long the steady writer writes")
    parser.add_argument("--mentors", type=int, default=50_000, help="mentors of the pool sync")
    parser.add_argument("--pool-only", action="store_true", help="only the pool sync (part 3)")
    args = parser.parse_args()

    with ExitStack() as stack:
        root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="tandem-bench-events-")))
        server_url = os.environ.get("DATABASE_URL")
        url = sqlalchemy_url(
            stack.enter_context(fresh_database_on(server_url) if server_url else embedded_database(root))
        )
        upgrade(url)
        data_dir = root / "data"
        box = SecretBox.from_file(Settings(data_dir=data_dir).secret_box_path)
        receiver = Receiver()
        receiver_url = stack.enter_context(receiving(receiver))
        org_id, secret = asyncio.run(register(url, box, receiver_url))
        print(f"machine: {json.dumps(machine(url, 'n/a', None, None))}")

        if not args.pool_only:
            webhook_figures(args, url, data_dir, org_id, receiver, receiver_url, secret, root, stack)

        # 3. the pool sync against a running server
        pool_figures(args, url, data_dir, org_id, box, root, stack)


def webhook_figures(
    args: argparse.Namespace,
    url: str,
    data_dir: Path,
    org_id: uuid.UUID,
    receiver: Receiver,
    receiver_url: str,
    secret: str,
    root: Path,
    stack: ExitStack,
) -> None:
    # 1. throughput of one worker, against the bare sender
    rows = asyncio.run(burst(url, org_id, args.events))
    ids = {str(r["id"]) for r in rows}
    env = tandem_environment(data_dir, url, free_port()) | {"TANDEM_ENVIRONMENT": "development"}
    worker_log = root / "worker.log"
    stack.enter_context(process([TANDEM, "worker"], env, worker_log, None))
    try:
        wait_for(receiver, ids, timeout=600)
    except RuntimeError:
        print(tail(worker_log))
        raise
    tandem_rate = rate_of(receiver, ids)

    bare_rows = [_event(org_id, n) for n in range(args.events)]
    started = time.monotonic()
    asyncio.run(bare_sender(bare_rows, receiver_url, secret))
    bare_rate = args.events / (time.monotonic() - started)
    print(
        f"throughput: {tandem_rate:,.0f} events/s by one worker, bare sender {bare_rate:,.0f}/s, "
        f"ratio {tandem_rate / bare_rate:.2f} ({args.events:,} events, one endpoint)"
    )

    # 2. commit -> delivery lag under a steady write load (the relay's default 2 s interval)
    committed = asyncio.run(steady_writes(url, org_id, args.rate, args.seconds))
    wait_for(receiver, set(committed), timeout=120)
    lags = [(receiver.arrived[i] - t) * 1000 for i, t in committed.items()]
    print(
        f"lag commit -> delivery at {args.rate:g} events/s for {args.seconds:g} s: "
        f"p50 {percentile(lags, 0.5):,.0f} ms, p99 {percentile(lags, 0.99):,.0f} ms, "
        f"max {max(lags):,.0f} ms, mean {statistics.fmean(lags):,.0f} ms"
    )


def pool_figures(
    args: argparse.Namespace, url: str, data_dir: Path, org_id: uuid.UUID, box: SecretBox, root: Path, stack: ExitStack
) -> None:
    # 3. one NDJSON stream against a running server, then the same stream again
    partner = asyncio.run(partner_with_grant(url, box, org_id))
    port = free_port()
    serve_env = tandem_environment(data_dir, url, port) | {"TANDEM_FLOW_RATE_LIMIT": "100000/minute"}
    serve_log = root / "serve.log"
    server = stack.enter_context(process([TANDEM, "serve", "--port", str(port)], serve_env, serve_log, None))
    base = f"http://127.0.0.1:{port}"
    wait_ready(f"{base}/readyz", server, serve_log)
    settings = Settings(data_dir=data_dir, issuer=serve_env["TANDEM_ISSUER"])
    keys = Keyring.open(settings.signing_keys_dir, publish_ahead_seconds=settings.key_publish_ahead_seconds)
    token = TokenIssuer(keys, settings.issuer, settings.audience, ttl_seconds=3600).issue(partner)
    headers = {"Authorization": f"Bearer {token}"}
    assert partner.partner_id is not None
    before = rss_kib(server.pid, "VmRSS") // 1024
    try:
        seconds, rss, peak, counts = sync(base, partner.partner_id, headers, args.mentors, server.pid)
        events = asyncio.run(event_count(url, partner.partner_id))
        again, _, peak_again, counts_again = sync(base, partner.partner_id, headers, args.mentors, server.pid)
    except (RuntimeError, httpx.HTTPError):
        print(tail(serve_log))
        raise
    hwm = rss_kib(server.pid, "VmHWM") // 1024
    emitted = asyncio.run(event_count(url, partner.partner_id)) - events
    print(
        f"pool sync: {args.mentors:,} mentors as one NDJSON stream (one granting organization) in {seconds:.1f} s "
        f"({args.mentors / seconds:,.0f} rows/s), {counts['created']:,} created, {events:,} events; server RSS "
        f"{before} MiB before, {' / '.join(map(str, rss))} MiB at each fifth sent, highest sample {peak} MiB"
    )
    print(
        f"the same stream again: {again:.1f} s ({args.mentors / again:,.0f} rows/s), "
        f"{counts_again['unchanged']:,} unchanged, {emitted} events, highest RSS sample {peak_again} MiB; "
        f"server VmHWM {hwm} MiB"
    )
    if emitted:
        raise SystemExit(f"the second, identical sync emitted {emitted} events")


if __name__ == "__main__":
    main()
