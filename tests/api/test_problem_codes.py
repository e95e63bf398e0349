"""The contract lists the problem codes: per operation in OpenAPI, all of them in docs/errors.md and GraphQL."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi import FastAPI
from graphql import GraphQLEnumType

from app.api.graphql.schema import schema
from app.api.openapi import DOCUMENT
from app.api.problem_catalog import BY_CODE, CATALOG, DOC, render_markdown
from app.api.problems import status_of_code
from app.api.rest.problem_codes import OPERATION_CODES
from app.domain.error_catalog import Reach
from tests.api.problem_check import undeclared

METHODS = {"get", "post", "put", "patch", "delete"}


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    document = json.loads(DOCUMENT.read_text())
    return [(m, p, op) for p, ops in document["paths"].items() for m, op in ops.items() if m in METHODS]


def _listed(operation: dict[str, Any]) -> dict[str, list[str]]:
    return {
        status: response["x-problem-codes"]
        for status, response in operation["responses"].items()
        if "x-problem-codes" in response
    }


def test_every_operation_declares_its_codes_and_every_declaration_is_an_operation() -> None:
    ids = {op["operationId"] for _, _, op in _operations()}
    assert not sorted(ids - set(OPERATION_CODES)), "declare these operations in app/api/rest/problem_codes.py"
    assert not sorted(set(OPERATION_CODES) - ids), "these declarations name no operation"
    unknown = {code for codes in OPERATION_CODES.values() for code in codes} - set(BY_CODE)
    assert not unknown


def test_each_problem_response_lists_catalog_codes_of_its_own_status() -> None:
    for method, path, operation in _operations():
        listed = _listed(operation)
        assert "500" in listed and "internal_error" in listed["500"], (method, path)
        for status, codes in listed.items():
            for code in codes:
                assert status_of_code(code) == int(status), (method, path, code)
            content = operation["responses"][status]["content"]
            assert "application/problem+json" in content, (method, path, status)


def test_every_catalog_code_an_operation_answers_is_listed_by_one() -> None:
    listed = {code for _, _, op in _operations() for codes in _listed(op).values() for code in codes}
    operation_codes = {entry.code for entry in CATALOG if entry.reach is Reach.OPERATION}
    assert not sorted(operation_codes - listed), "no operation lists these codes"
    assert not sorted(listed - operation_codes), "operations list codes the catalog reaches otherwise"


def test_the_document_describes_the_whole_catalog_once() -> None:
    document = json.loads(DOCUMENT.read_text())
    catalog = document["components"]["x-problem-catalog"]
    assert sorted(catalog) == sorted(entry.code for entry in CATALOG)
    assert catalog["rate_limited"] == {
        "status": 429,
        "title": "Too many requests",
        "meaning": BY_CODE["rate_limited"].meaning,
        "feature": "http",
        "reach": "operation",
    }


def test_the_shape_of_an_operation_adds_its_common_codes() -> None:
    by_id = {op["operationId"]: op for _, _, op in _operations()}
    transition = _listed(by_id["accept_tandem"])
    assert "version_mismatch" in transition["412"] and "rate_limited" in transition["429"]
    assert "idempotency_request_in_progress" in transition["409"] and "tandem_invalid_transition" in transition["409"]
    listing = _listed(by_id["list_programs"])
    assert "invalid_cursor" in listing["422"] and "invalid_token" in listing["401"]
    assert "429" not in listing and "rate_limited" not in str(listing)
    token = _listed(by_id["issue_token"])
    assert "invalid_grant" in token["400"] and "validation_failed" not in str(token)


def test_the_errors_page_is_current_and_linked_from_the_api_page() -> None:
    assert DOC.read_text() == render_markdown(), "docs/errors.md drifted: run `make openapi`"
    assert "(errors.md)" in (DOC.parent / "api.md").read_text()


def test_graphql_problem_codes_are_the_catalog() -> None:
    enum = schema._schema.get_type("ProblemCode")
    assert isinstance(enum, GraphQLEnumType)
    assert list(enum.values) == [entry.code for entry in CATALOG]
    problem = schema._schema.get_type("Problem")
    assert str(problem.fields["code"].type) == "ProblemCode!"  # type: ignore[union-attr]


def test_the_check_on_answered_codes_fails_for_an_undeclared_code(app: FastAPI) -> None:
    # the response hook of tests/api/conftest.py relies on this: it must name the offending operation
    assert undeclared(app, "POST", "/v1/programs", 403, "manager_required") is None
    reason = undeclared(app, "POST", "/v1/programs", 409, "pair_excluded")
    assert reason is not None and "create_program" in reason and "pair_excluded" in reason
    assert undeclared(app, "GET", "/nowhere", 404, "not_found") is None


@pytest.mark.parametrize("code", ["not_found", "method_not_allowed", "query_too_costly", "role_change_refused"])
def test_codes_answered_outside_operations_say_where(code: str) -> None:
    assert BY_CODE[code].reach is not Reach.OPERATION
    assert f"`{code}`" in DOC.read_text()
