"""Schema fuzzing against the real ``tandem serve``: every operation of the committed OpenAPI
document, with a token of each role, answers as the document says (never a 5xx, bodies, content
types, statuses and headers as documented, undeclared methods a 405 with a complete ``Allow``);
stateful runs follow the document's links; GraphQL queries never answer a 5xx.

Bounded for `make test` (see tests/e2e/fuzzing.py); `make fuzz` runs longer.
"""

from __future__ import annotations

import json
from typing import Any

import hypothesis
import pytest
import schemathesis
from schemathesis import Case, Config
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from app.api.graphql.sdl import SDL
from app.api.openapi import DOCUMENT
from tests.e2e import stateful_bodies
from tests.e2e.fuzzing import ROLES, FuzzTarget, coverage_roles, examples, fuzz_target, repeatable

__all__ = ["fuzz_target"]

CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    content_type_conformance,
    status_code_conformance,
    response_headers_conformance,
    unsupported_method,
]


def _config(*phases: str, mode: str = "all") -> Config:
    return Config.from_dict(
        {
            "phases": {p: {"enabled": p in phases} for p in ("examples", "coverage", "fuzzing", "stateful")},
            # positive stateful steps must create things: NUL characters are refused (422) as text cannot hold them
            "generation": {"max-examples": examples(), "mode": mode, "allow-x00": mode != "positive"},
            "suppress-health-check": ["too_slow", "filter_too_much", "data_too_large"],
            **_seed(),
        }
    )


def _seed() -> dict[str, int]:
    """`make test` fuzzes the same cases each run; `make fuzz` explores new ones."""
    return {"seed": 20260101} if repeatable() else {}


def _validate(case: Case, target: FuzzTarget, role: str) -> None:
    __tracebackhide__ = True
    try:
        case.call_and_validate(base_url=target.base, headers=target.headers(role), checks=CHECKS, timeout=30)
    except Exception as failure:
        failure.add_note(f"as {role}")
        raise


@schemathesis.serializer("application/x-ndjson")
def one_ndjson_line(ctx: Any, value: Any) -> dict[str, bytes]:
    """The partner mentor sync's NDJSON body: the document describes one line of it."""
    return {"data": json.dumps(value).encode() + b"\n"}


# one test per operation, loaded from the committed document; the server's URL is given per call
fuzzed = schemathesis.openapi.from_path(DOCUMENT, config=_config("examples", "fuzzing"))
covered = schemathesis.openapi.from_path(DOCUMENT, config=_config("coverage"))
graphql = schemathesis.graphql.from_path(SDL, config=_config("examples", "fuzzing"))


@fuzzed.parametrize()
def test_generated_requests_of_every_role_get_documented_answers(case: Case, fuzz_target: FuzzTarget) -> None:
    for role in ROLES:
        _validate(case, fuzz_target, role)


@covered.parametrize()
def test_boundary_values_and_undeclared_methods_get_documented_answers(case: Case, fuzz_target: FuzzTarget) -> None:
    for role in coverage_roles():
        _validate(case, fuzz_target, role)


# the operations whose answers link onward (app/api/rest/openapi_links.py), and where they lead
WORKFLOWS = {
    "create_program": ("get_program", "update_program", "open_enrollment", "cancel_program"),
    "create_person": ("get_person", "update_person", "set_availability", "export_person", "erase_person"),
    "update_person": ("get_availability",),
}


@pytest.mark.parametrize("role", ["org_admin", "program_manager"])
def test_stateful_runs_following_the_links_get_documented_answers(fuzz_target: FuzzTarget, role: str) -> None:
    """Create, read, update and transition programs and people through the documented links.

    Every answer on the way is checked, and the runs must get past their first step: the create
    bodies are repaired where business rules refuse what the schema allows (stateful_bodies)."""
    document = schemathesis.openapi.from_path(DOCUMENT, config=_config("stateful", mode="positive")).include(
        operation_id=[op for links in WORKFLOWS.items() for op in (links[0], *links[1])]
    )

    @document.hook
    def map_body(context: Any, body: Any) -> Any:
        return stateful_bodies.repaired(context.operation.definition.raw.get("operationId"), body)

    @document.hook
    def map_headers(context: Any, headers: Any) -> Any:
        return stateful_bodies.without_idempotency_key(headers)

    headers = fuzz_target.headers(role)
    succeeded: set[str] = set()

    class Workflow(document.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case: Case) -> dict[str, Any]:
            return {"base_url": fuzz_target.base, "headers": headers, "timeout": 30}

        def validate_response(self, response: Any, case: Case, **kwargs: Any) -> None:
            __tracebackhide__ = True
            case.validate_response(response, checks=CHECKS, headers=headers)
            if response.status_code < 300:
                succeeded.add(case.operation.definition.raw["operationId"])

    Workflow.run(
        settings=hypothesis.settings(
            max_examples=examples() * 20,
            stateful_step_count=10,
            deadline=None,
            derandomize=repeatable(),
            suppress_health_check=list(hypothesis.HealthCheck),
        )
    )
    # reads and transitions reached through a link from a created program and person
    assert {"get_program", "update_program", "get_person", "update_person", "erase_person"} <= succeeded


def no_graphql_server_error(ctx: Any, response: Any, case: Case) -> bool | None:
    """No 5xx answer, and no error in the body that Tandem reports as its own fault.

    Every resolver error carries ``extensions: {code, status}`` with the status REST would answer
    (app/api/graphql/error_codes.py); an unexpected exception is ``internal_error``, status 500.
    Schemathesis' GraphQL check counts any resolver error as the server's, even a refused argument
    (``first: 0`` is ``invalid_limit``, 422), so the contract is checked here instead."""
    assert response.status_code < 500, f"HTTP {response.status_code}: {response.text[:500]}"
    for error in response.json().get("errors") or []:
        extensions = error.get("extensions") or {}
        if "path" in error:  # raised by a resolver, not refused while parsing or validating the query
            assert extensions.get("code"), f"a resolver error without a code: {error}"
        assert int(extensions.get("status", 400)) < 500, f"a server error: {error}"
    return None


@graphql.parametrize()
def test_generated_graphql_queries_never_fail_on_our_side(case: Case, fuzz_target: FuzzTarget) -> None:
    for role in ROLES:
        try:
            case.call_and_validate(
                base_url=f"{fuzz_target.base}/graphql",
                headers=fuzz_target.headers(role),
                checks=[no_graphql_server_error],
                timeout=30,
            )
        except Exception as failure:
            failure.add_note(f"as {role}")
            raise
