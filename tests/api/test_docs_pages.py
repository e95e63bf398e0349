"""The service's own pages (Swagger UI, GraphiQL) load every asset from the service itself.

The browser run is tests/e2e/test_pages_offline.py; these check what needs no browser: each
page names only assets the service serves, its CSP admits only the service, the committed
GraphiQL build is the one its manifest pins, and the example query fits the schema.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import httpx
import pytest
from graphql import parse, validate

from app.api.app import create_app
from app.api.docs_pages import EXAMPLE_HEADERS, EXAMPLE_QUERY, GRAPHIQL_STATIC
from app.api.graphql.schema import schema
from app.infra.settings import Settings

PAGE = {"Accept": "text/html"}
PUBLIC_URL = "https://tandem.example.com"
ASSET_TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}


def _client(tmp_path: Path, **settings: object) -> httpx.AsyncClient:  # no lifespan: pages need no database
    app = create_app(Settings(data_dir=tmp_path, **settings), database_url="postgresql+asyncpg://unused/none")
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://tandem.test")


@pytest.mark.parametrize("path", ["/docs", "/graphql"])
async def test_each_page_loads_only_assets_the_service_serves(tmp_path: Path, path: str) -> None:
    async with _client(tmp_path, environment="development") as http:
        page = await http.get(path, headers=PAGE)
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assets = re.findall(r'(?:src|href)="([^"]*)"', page.text)
        assert len(assets) >= 3, page.text
        assert "<script>" not in page.text  # no inline script: the CSP admits none
        for url in assets:
            assert url.startswith("/static/"), f"{path} loads {url} from elsewhere"
            asset = await http.get(url)
            assert asset.status_code == 200, url
            assert asset.headers["content-type"].startswith(ASSET_TYPES[Path(url).suffix]), url


@pytest.mark.parametrize("path", ["/docs", "/graphql"])
async def test_pages_admit_scripts_and_styles_of_the_service_only(tmp_path: Path, path: str) -> None:
    async with _client(tmp_path, environment="development") as http:
        policy = (await http.get(path, headers=PAGE)).headers["content-security-policy"]
        api = (await http.get("/healthz")).headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == directives["style-src"] == directives["connect-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert api.startswith("default-src 'none'")  # the API's answers keep the strict policy


async def test_graphiql_is_served_in_development_or_when_asked(tmp_path: Path) -> None:
    for settings, served in (
        ({"environment": "development"}, True),
        ({"environment": "production", "issuer": PUBLIC_URL}, False),
        ({"environment": "production", "issuer": PUBLIC_URL, "graphiql": True}, True),
        ({"environment": "development", "graphiql": False}, False),
    ):
        async with _client(tmp_path, **settings) as http:
            page = await http.get("/graphql", headers=PAGE)
        assert ('id="graphiql"' in page.text) is served, settings  # if not, the GraphQL endpoint answered


def test_the_committed_graphiql_build_is_the_one_its_manifest_pins() -> None:
    folder = GRAPHIQL_STATIC
    manifest = json.loads((folder / "manifest.json").read_text())["files"]
    shipped = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()} - {"manifest.json", "README.md"}
    assert shipped == set(manifest)
    for name, entry in manifest.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == entry["sha256"], name
        if "license" in entry:
            assert entry["license"] in manifest, f"{name} ships without its licence"


def test_the_example_query_is_valid_against_the_schema() -> None:
    document = parse(EXAMPLE_QUERY)
    assert validate(schema._schema, document) == []
    assert {"programs", "tandems", "mentor", "mentee", "health"} <= set(re.findall(r"\w+", EXAMPLE_QUERY))
    assert "Authorization" in json.loads(EXAMPLE_HEADERS)
