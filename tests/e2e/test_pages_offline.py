"""The service's own pages in a real browser that reaches nothing but the service.

What a newcomer does after `make run`, on a company network that blocks public CDNs: open
Swagger UI at /docs, and GraphiQL at /graphql to run the demo query with a token. Screenshots
land in test-artifacts/.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Response, expect

from app.cli import demo_data
from tests.e2e.browser import ARTIFACTS, Offline, offline_browser
from tests.e2e.server import environment, serving
from tests.e2e.server import token as operator_token


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, database_url: str) -> Iterator[tuple[str, dict[str, str]]]:
    env = environment(tmp_path_factory.mktemp("pages"), database_url) | {"TANDEM_GRAPHIQL": "true"}
    with serving(env, "--demo-if-empty") as base:
        yield base, env


@pytest.fixture
def browser(demo: tuple[str, dict[str, str]]) -> Iterator[Offline]:
    base, _ = demo
    with offline_browser(base) as offline:
        yield offline
        assert offline.outside == [], f"the pages asked for something beyond the service: {offline.outside}"
        assert offline.problems == [], "\n".join(offline.problems)


def test_swagger_ui_lists_the_operations_from_the_service_alone(demo, browser: Offline) -> None:
    base, _ = demo
    page = browser.page()
    page.goto(f"{base}/docs")
    operation = page.locator("#operations-tandems-get_tandem")
    expect(operation).to_be_visible()
    expect(operation).to_contain_text("/v1/tandems/{tandem_id}")
    expect(page.locator(".opblock")).to_have_count(_operation_count(page.request.get(f"{base}/openapi.json").json()))
    operation.scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / "docs.png")


def test_graphiql_runs_the_example_query_with_a_pasted_token(demo, browser: Offline) -> None:
    base, env = demo
    token = operator_token(env, "--org", "demo", "--role", "program_manager")
    page = browser.page()
    page.goto(f"{base}/graphql")
    expect(page.locator(".graphiql-query-editor")).to_contain_text("tandems")
    result = page.locator(".result-window")
    expect(result).to_contain_text("No token yet")  # the schema waits for one: no request was a 401
    page.screenshot(path=ARTIFACTS / "graphiql-first-open.png")
    headers = page.locator(".graphiql-editor-tool .CodeMirror").last
    expect(headers).to_contain_text("Authorization")
    headers.click()
    page.keyboard.press("Control+A")
    with page.expect_response(_introspection) as schema:
        page.keyboard.insert_text(f'{{"Authorization": "Bearer {token}"}}')
    assert schema.value.ok, schema.value.text()
    page.locator(".graphiql-execute-button").click()
    expect(result).to_contain_text(demo_data.PILOT_TITLE)
    expect(result).to_contain_text("displayName")
    page.screenshot(path=ARTIFACTS / "graphiql.png")


def _introspection(response: Response) -> bool:
    return response.request.method == "POST" and "IntrospectionQuery" in (response.request.post_data or "")


def _operation_count(document: dict[str, dict[str, dict[str, object]]]) -> int:
    methods = {"get", "put", "post", "delete", "patch"}
    return sum(1 for operations in document["paths"].values() for method in operations if method in methods)
