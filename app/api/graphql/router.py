"""Mount point of the GraphQL schema (kept out of the OpenAPI document)."""

from __future__ import annotations

from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.routing import Match
from starlette.types import Scope
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from app.api.docs_pages import graphiql_page
from app.api.graphql.context import get_context
from app.api.graphql.error_codes import outage_in
from app.api.graphql.schema import schema


def graphql_router(*, ide: bool) -> GraphQLRouter:  # type: ignore[type-arg]
    """The GraphQL endpoint; with ``ide``, a browser opening it gets GraphiQL (``app.api.docs_pages``)."""
    router: GraphQLRouter = _Router(  # type: ignore[type-arg]
        schema,
        context_getter=get_context,  # type: ignore[arg-type]  # a yield dependency, which FastAPI supports
        graphql_ide=None,  # strawberry's page loads GraphiQL from a CDN: ours ships its own build
        include_in_schema=False,
        allow_queries_via_get=False,  # queries are POSTed: no side channel through links or caches
        subscription_protocols=(),  # the schema has no subscriptions: no WebSocket endpoint either
    )
    if ide:
        _serve_the_ide_page(router)
    return router


def _serve_the_ide_page(router: GraphQLRouter) -> None:  # type: ignore[type-arg]
    """GraphiQL, for a browser that opens /graphql.

    Strawberry's own GET route builds the context first, and the context needs a bearer token,
    which a browser does not send when it loads a page. This route answers the page alone; the
    queries GraphiQL posts still need a token (its Headers tab shows where to paste it).
    """

    async def graphiql(request: Request) -> HTMLResponse:
        return graphiql_page(request)

    route = _IdePageRoute("", graphiql, methods=["GET"], include_in_schema=False, response_class=HTMLResponse)
    router.routes.insert(0, route)  # ahead of strawberry's GET route, which it shadows for pages only


class _IdePageRoute(APIRoute):
    """Matches only a request for an HTML page: every other GET goes on to the GraphQL route."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child = super().matches(scope)
        if match is Match.FULL and not _asks_for_a_page(scope):
            return Match.NONE, {}
        return match, child


def _asks_for_a_page(scope: Scope) -> bool:
    request = Request(scope)
    return "query" not in request.query_params and "text/html" in request.headers.get("accept", "")


class _Router(GraphQLRouter):  # type: ignore[type-arg]
    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        """An unreachable database fails the whole request with REST's 503 (see app.api.problems)."""
        outage = outage_in(result.errors)
        if outage is not None:
            raise outage
        return await super().process_result(request, result)
