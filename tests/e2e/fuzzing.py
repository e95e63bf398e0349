"""The pieces of the schema fuzzing tests: a real ``tandem serve`` on its own database with the
demo loaded, a token of each role, and how long to fuzz.

`make test` fuzzes a few examples per operation; `make fuzz` sets TANDEM_FUZZ_EXAMPLES higher
(and TANDEM_FUZZ_COVERAGE=all for every role in the coverage phase).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest

from app.cli import demo_data
from tests.conftest import embedded_home, fresh_database
from tests.e2e.server import environment, free_port, serving
from tests.e2e.server import token as operator_token

ROLES = ("platform_admin", "org_admin", "program_manager", "member")
CHECKS = (
    "not_a_server_error",
    "response_schema_conformance",
    "content_type_conformance",
    "status_code_conformance",
    "response_headers_conformance",
    "unsupported_method",
)


def examples() -> int:
    """Generated examples per operation and phase (a few in `make test`, more in `make fuzz`)."""
    return int(os.environ.get("TANDEM_FUZZ_EXAMPLES", "2"))


def repeatable() -> bool:
    """The same cases each run unless TANDEM_FUZZ_EXAMPLES asks for a longer, exploring run."""
    return "TANDEM_FUZZ_EXAMPLES" not in os.environ


def coverage_roles() -> tuple[str, ...]:
    """The coverage phase (every boundary value and undeclared method of every operation) sends
    thousands of requests per role: one role in `make test`, all of them in `make fuzz`."""
    return ROLES if os.environ.get("TANDEM_FUZZ_COVERAGE") == "all" else ("org_admin",)


@dataclass(frozen=True)
class FuzzTarget:
    base: str
    tokens: dict[str, str]

    def headers(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}


@pytest.fixture(scope="module")
def fuzz_target(server_url: str) -> Iterator[FuzzTarget]:
    """``tandem serve`` with the demo on a database of its own: fuzzing writes a lot of garbage."""
    url, drop = fresh_database(server_url, prefix="tandem_fuzz")
    home = embedded_home("fuzz")
    env = environment(home, url)
    port = free_port()
    env |= {
        "TANDEM_ISSUER": f"http://127.0.0.1:{port}",
        "TANDEM_ENVIRONMENT": "test",
        # the fuzzer should reach the token endpoint's answers, not only its rate limit
        "TANDEM_TOKEN_RATE_LIMIT": "100000/minute",
        "TANDEM_LOGIN_RATE_LIMIT": "100000/minute",
        # a stateful step must answer the same when hypothesis replays it, not a 429 the second time
        "TANDEM_WRITE_RATE_LIMIT": "100000/minute",
        "TANDEM_FLOW_RATE_LIMIT": "100000/minute",
    }
    try:
        with serving(env, "--migrate", "--demo-if-empty", port=port) as base:
            member = demo_data.EXECUTIVES[0].email
            arguments = {
                "platform_admin": ("--role", "platform_admin"),
                "org_admin": ("--org", "demo", "--role", "org_admin"),
                "program_manager": ("--org", "demo", "--role", "program_manager"),
                "member": ("--org", "demo", "--role", "member", "--email", member),
            }
            with ThreadPoolExecutor(len(arguments)) as pool:  # four CLI start-ups at once
                minted = {role: pool.submit(operator_token, env, *args) for role, args in arguments.items()}
                tokens = {role: future.result() for role, future in minted.items()}
            yield FuzzTarget(base, tokens)
    finally:
        drop()
        shutil.rmtree(home, ignore_errors=True)
