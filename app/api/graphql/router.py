"""Mount point of the GraphQL schema (kept out of the OpenAPI document)."""

from __future__ import annotations

from strawberry.fastapi import GraphQLRouter

from app.api.graphql.context import get_context
from app.api.graphql.schema import schema


def graphql_router(*, development: bool) -> GraphQLRouter:  # type: ignore[type-arg]
    return GraphQLRouter(
        schema,
        context_getter=get_context,  # type: ignore[arg-type]  # a yield dependency, which FastAPI supports
        graphql_ide="graphiql" if development else None,
        include_in_schema=False,
        allow_queries_via_get=False,  # queries are POSTed: no side channel through links or caches
    )
