"""The committed OpenAPI document is the product: it must match the code and read well."""

from __future__ import annotations

import json

from app.api.openapi import DOCUMENT, build_document, render

METHODS = {"get", "post", "put", "patch", "delete"}


def _operations(document: dict) -> list[tuple[str, str, dict]]:
    return [(m, p, op) for p, ops in document["paths"].items() for m, op in ops.items() if m in METHODS]


def test_the_committed_document_matches_the_code() -> None:
    committed = DOCUMENT.read_text()
    assert committed == render(build_document()), "openapi/openapi.json drifted: run `make openapi`"


def test_every_operation_has_a_readable_id_a_tag_and_documented_problems() -> None:
    document = json.loads(DOCUMENT.read_text())
    ids = []
    for method, path, op in _operations(document):
        op_id = op.get("operationId", "")
        ids.append(op_id)
        assert op_id and not op_id.endswith(("_get", "_post", "_put", "_patch", "_delete")), (method, path)
        assert op.get("tags"), (method, path)
        problem_statuses = [
            status
            for status, response in op["responses"].items()
            if status[0] in "45" and "application/problem+json" in response.get("content", {})
        ]
        assert problem_statuses, (method, path)
    assert len(ids) == len(set(ids))


def test_no_schema_has_input_output_twins_and_errors_are_problems() -> None:
    schemas = json.loads(DOCUMENT.read_text())["components"]["schemas"]
    assert not [name for name in schemas if name.endswith(("-Input", "-Output"))]
    assert "HTTPValidationError" not in schemas
    assert {"type", "title", "status", "code"} <= set(schemas["Problem"]["properties"])
