"""The ``tandem`` command: serve, worker, migrate, demo, token, keys, expire-proposals, upkeep, purge-logins."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from app.cli import commands
from app.domain.access import Role
from app.domain.errors import DomainError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tandem", description="Tandem: reverse mentoring programs as a service")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="serve the API (embedded PostgreSQL unless DATABASE_URL is set)")
    serve.add_argument("--host", help="bind address (default: $HOST or 127.0.0.1); the issuer follows $HOST only")
    serve.add_argument("--port", type=int, help="port (default: $PORT or 8000); the issuer follows $PORT only")
    serve.add_argument("--migrate", action="store_true", help="apply migrations before serving")
    serve.add_argument("--demo-if-empty", action="store_true", help="load the demo when it is not there yet")
    serve.add_argument("--with-worker", action="store_true", help="also run background jobs in this process")

    worker = sub.add_parser("worker", help="run background jobs (matching runs); start as many as you like")
    worker.add_argument("--concurrency", type=int, default=1, help="jobs at once in this process (default 1)")
    worker.add_argument("--once", action="store_true", help="process the queued jobs, then exit")

    sub.add_parser("migrate", help="apply database migrations up to the newest")

    demo = sub.add_parser("demo", help="load the demo organization 'demo'")
    demo.add_argument("--if-empty", action="store_true", help="do nothing when the demo is already loaded")

    token = sub.add_parser("token", help="print a signed access token for operators and scripts")
    token.add_argument("--org", help="organization slug (every role but platform_admin)")
    token.add_argument("--role", required=True, choices=[r.value for r in Role if r is not Role.PARTNER])
    token.add_argument("--email", help="bind the token to this person's user in the organization")
    token.add_argument("--minutes", type=int, default=60, help="lifetime in minutes (default 60)")
    token.add_argument(
        "--force-role", action="store_true", help="change the role of an existing user to --role (refused otherwise)"
    )

    keys = sub.add_parser("keys", help="the token signing keys: list, rotate (no downtime), prune retired ones")
    keys.add_argument("action", choices=["list", "rotate", "prune"])

    sub.add_parser("expire-proposals", help="expire tandem proposals nobody answered in time")
    sub.add_parser(
        "upkeep",
        help="run the worker's scheduled upkeep once: expire proposals, complete programs past their end, "
        "reassess tandem health (for cron, where no worker runs)",
    )
    sub.add_parser("purge-logins", help="delete expired login attempts, login codes and refresh tokens")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "serve":
            commands.serve(
                args.host,
                args.port,
                migrate=args.migrate,
                demo_if_empty=args.demo_if_empty,
                with_worker=args.with_worker,
            )
        elif args.command == "worker":
            commands.worker(concurrency=args.concurrency, once=args.once)
        elif args.command == "migrate":
            commands.migrate()
        elif args.command == "demo":
            print(asyncio.run(commands.demo(if_empty=args.if_empty)))
        elif args.command == "token":
            signed, notice = asyncio.run(
                commands.token(Role(args.role), args.org, args.email, args.minutes, force_role=args.force_role)
            )
            if notice:
                print(f"tandem token: {notice}", file=sys.stderr)  # stdout stays the token alone, for $(...)
            print(signed)
        elif args.command == "keys":
            actions = {"list": commands.list_keys, "rotate": commands.rotate_keys, "prune": commands.prune_keys}
            print(actions[args.action]())
        elif args.command == "expire-proposals":
            print(f"expired {asyncio.run(commands.expire())} proposal(s)")
        elif args.command == "upkeep":
            print(asyncio.run(commands.upkeep()).summary())
        elif args.command == "purge-logins":
            print(f"deleted {asyncio.run(commands.purge_logins())} expired sign-in record(s)")
    except DomainError as error:
        print(f"tandem {args.command}: {error.detail}", file=sys.stderr)
        return 2
    return 0
