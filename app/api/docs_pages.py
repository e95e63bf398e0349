"""The service's own pages: Swagger UI at /docs and GraphiQL at /graphql.

Every script, style and font of these pages comes from the service itself, never from a CDN:
company networks often block public CDNs, and the pages' Content-Security-Policy admits the
service's own origin only. Swagger UI is the build bundled in the ``fastapi-offline`` package
(not its ReDoc, which needs inline styles, a blob: worker and an image from its vendor's CDN);
GraphiQL is a pinned build committed under ``web_assets/graphiql`` (vendored code stays out of
``app/``), whose ``manifest.json`` names each file's npm package, version and checksum. Each
page is a bare HTML shell whose bootstrap is a static script reading its settings from
``data-`` attributes, so ``script-src`` needs no ``'unsafe-inline'``.
"""

from __future__ import annotations

from html import escape
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

OWN_STATIC = Path(__file__).with_name("static")
BUNDLED_STATIC = Path(str(files("fastapi_offline") / "static"))  # its Swagger UI build
GRAPHIQL_STATIC = Path(str(files("web_assets") / "graphiql"))  # the pinned GraphiQL build
GRAPHIQL_URL = "/static/graphiql"
STATIC_URL = "/static"
BUNDLED_URL = "/static/api-reference"

# data: for the icons and fonts the stylesheets embed; nothing may frame the pages
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)

EXAMPLE_QUERY = """\
# Paste a token into Headers below, then press ▶.
# Print one with:
#   .venv/bin/tandem token --org demo --role program_manager
query DemoPrograms {
  programs(first: 5) {
    edges {
      node {
        title
        status
        tandems {
          status
          mentor { displayName }
          mentee { displayName }
          health { status reason }
        }
      }
    }
  }
}
"""
EXAMPLE_HEADERS = '{\n  "Authorization": "Bearer <paste a token from `tandem token`>"\n}\n'


def install_docs_pages(app: FastAPI) -> None:
    """Serve /docs and the assets of every page (GraphiQL's page is the GraphQL router's)."""
    app.mount(BUNDLED_URL, StaticFiles(directory=BUNDLED_STATIC), name="api-reference-assets")
    app.mount(GRAPHIQL_URL, StaticFiles(directory=GRAPHIQL_STATIC), name="graphiql-assets")  # before /static
    app.mount(STATIC_URL, StaticFiles(directory=OWN_STATIC), name="static")
    title = escape(app.title)
    openapi_url = app.openapi_url or "/openapi.json"

    async def swagger_ui(request: Request) -> HTMLResponse:
        root = escape(request.scope.get("root_path", ""))
        return _page(
            f"{title} - Swagger UI",
            root,
            styles=[f"{BUNDLED_URL}/swagger-ui.css"],
            body=f'<div id="swagger-ui" data-openapi-url="{root}{openapi_url}"></div>',
            scripts=[f"{BUNDLED_URL}/swagger-ui-bundle.js", f"{STATIC_URL}/pages/swagger-ui.js"],
        )

    app.add_api_route("/docs", swagger_ui, methods=["GET"], include_in_schema=False, response_class=HTMLResponse)


def graphiql_page(request: Request) -> HTMLResponse:
    """GraphiQL, opened on the demo's example query with a header to paste a token into."""
    root = escape(request.scope.get("root_path", ""))
    endpoint = escape(request.url.path)
    return _page(
        "Tandem GraphQL - GraphiQL",
        root,
        styles=[f"{STATIC_URL}/graphiql/graphiql.min.css", f"{STATIC_URL}/pages/graphiql.css"],
        body=(
            f'<div id="graphiql" data-endpoint="{endpoint}" data-query="{escape(EXAMPLE_QUERY)}" '
            f'data-headers="{escape(EXAMPLE_HEADERS)}">Loading GraphiQL…</div>'
        ),
        scripts=[
            f"{STATIC_URL}/graphiql/react.production.min.js",
            f"{STATIC_URL}/graphiql/react-dom.production.min.js",
            f"{STATIC_URL}/graphiql/graphiql.min.js",
            f"{STATIC_URL}/pages/graphiql.js",
        ],
    )


def _page(title: str, root: str, *, styles: list[str], body: str, scripts: list[str]) -> HTMLResponse:
    links = "".join(f'<link rel="stylesheet" href="{root}{href}">' for href in styles)
    tags = "".join(f'<script src="{root}{src}"></script>' for src in scripts)
    html = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{title}</title><link rel="icon" href="{root}{BUNDLED_URL}/favicon.png">{links}</head>'
        f"<body>{body}{tags}</body></html>"
    )
    return HTMLResponse(html, headers={"Content-Security-Policy": PAGE_CSP})
