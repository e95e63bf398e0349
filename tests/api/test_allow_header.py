"""A 405 lists every method the path supports (RFC 9110 §15.5.6), as the OpenAPI document has them."""

from __future__ import annotations

import json

import pytest

from app.api.openapi import DOCUMENT

METHODS = {"get", "post", "put", "patch", "delete"}
PATHS = json.loads(DOCUMENT.read_text())["paths"]


def _documented(path: str) -> set[str]:
    return {m.upper() for m in PATHS[path] if m in METHODS}


@pytest.mark.parametrize(
    ("path", "url"),
    [
        ("/v1/programs", "/v1/programs"),
        ("/v1/people/{person_id}", "/v1/people/8d3c0d3e-7f39-4c1e-9b53-0d7a35c5e001"),
        (
            "/v1/organizations/{org_id}/partners/{partner_id}",
            "/v1/organizations/8d3c0d3e-7f39-4c1e-9b53-0d7a35c5e001/partners/8d3c0d3e-7f39-4c1e-9b53-0d7a35c5e002",
        ),
        ("/v1/tandems/{tandem_id}/sessions", "/v1/tandems/8d3c0d3e-7f39-4c1e-9b53-0d7a35c5e001/sessions"),
    ],
)
async def test_a_405_allows_every_method_of_the_path(client, path: str, url: str) -> None:
    undeclared = "PUT" if "PUT" not in _documented(path) else "TRACE"
    answer = await client.request(undeclared, url)
    assert answer.status_code == 405, answer.text
    assert {m.strip() for m in answer.headers["allow"].split(",")} == _documented(path)
    assert len(answer.headers.get_list("allow")) == 1


async def test_other_answers_carry_no_allow_header(client) -> None:
    answer = await client.get("/healthz")
    assert answer.status_code == 200
    assert "allow" not in answer.headers
