"""API9:2023 Improper Inventory Management: the committed OpenAPI document is the inventory.

tests/api/test_openapi.py (test_the_committed_document_matches_the_code) fails when the document
drifts from the app; here every route the app
serves is in the document or deliberately kept out of it (GraphQL, documentation pages, static
files), and every operation says who it is for (a tag) and by a stable operationId.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi import FastAPI

from tests.api.test_route_matrix import route_keys

pytestmark = pytest.mark.db

DOCUMENT = json.loads((Path(__file__).parents[2] / "openapi" / "openapi.json").read_text())
# served, and kept out of the REST inventory on purpose
EXCLUDED = {
    ("GET", "/graphql"): "GraphQL has its own inventory: openapi/schema.graphql",
    ("POST", "/graphql"): "GraphQL has its own inventory: openapi/schema.graphql",
    ("WEBSOCKET", "/graphql"): "closed at once: the schema has no subscriptions",
    ("GET", "/openapi.json"): "the document itself",
    ("GET", "/docs"): "the documentation page",
    ("GET", "/static"): "the documentation pages' files",
    ("GET", "/static/api-reference"): "the documentation pages' files",
    ("GET", "/static/graphiql"): "the documentation pages' files",
}


def _documented() -> set[tuple[str, str]]:
    return {
        (method.upper(), path)
        for path, item in DOCUMENT["paths"].items()
        for method in item
        if method in ("get", "put", "post", "patch", "delete")
    }


def test_every_served_route_is_documented_or_excluded_on_purpose(app: FastAPI) -> None:
    served = {(method, re.sub(r":\w+\}", "}", path)) for method, path in route_keys(app)}
    # SCIM 2.0 (RFC 7644) is its own inventory: /scim/v2/ServiceProviderConfig, /Schemas and
    # /ResourceTypes say what is served there (docs/scim.md), in SCIM's media type, not OpenAPI's
    scim = {route for route in served if route[1].startswith("/scim/v2/")}
    assert ("GET", "/scim/v2/ServiceProviderConfig") in scim and ("GET", "/scim/v2/Schemas") in scim
    undocumented = sorted(served - scim - _documented() - EXCLUDED.keys())
    assert not undocumented, f"served but not in openapi/openapi.json: {undocumented}"
    ghosts = sorted(_documented() - served)
    assert not ghosts, f"documented but not served: {ghosts}"
    assert not EXCLUDED.keys() - served, "an exclusion for a route that is gone"


def test_every_operation_has_a_stable_id_a_tag_and_its_error_shapes() -> None:
    ids = []
    for path, item in DOCUMENT["paths"].items():
        for method, operation in item.items():
            if method not in ("get", "put", "post", "patch", "delete"):
                continue
            ids.append(operation["operationId"])
            assert re.fullmatch(r"[a-z][a-z0-9_]*", operation["operationId"]), (method, path)
            assert operation.get("tags"), (method, path)
            assert "500" in operation["responses"], (method, path)
    assert len(ids) == len(set(ids)), "operationIds are unique"


def test_the_document_states_its_version_and_server_neutral_paths() -> None:
    assert DOCUMENT["info"]["version"] and DOCUMENT["openapi"].startswith("3.")
    assert all(path.startswith("/") and "://" not in path for path in DOCUMENT["paths"])
