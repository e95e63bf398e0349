"""Errors of queries carry REST's stable ``code``, so clients branch on it rather than on text.

A domain error raised in a resolver (``first`` out of range, a bad cursor, a token without an
organization) gets ``extensions: {code, status[, field]}`` with the status REST would answer.
Any other exception escaping a resolver is a bug: strawberry has logged it already, and the
client sees ``internal_error`` without internals, like REST's 500 problem.
Validation errors (syntax, depth, cost) are left as they are.

An unreachable database is no error of the query: it keeps its cause here, and the router
answers the whole request with REST's 503 problem (``outage_in``), not 200 with errors.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from app.api.composition import DatabaseUnavailable, is_unavailable
from app.api.problems import status_for, status_of_code
from app.domain.errors import DomainError

INTERNAL = "internal_error"


class ErrorCodes(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        yield
        result: Any = self.execution_context.result
        errors: list[GraphQLError] | None = getattr(result, "errors", None)
        if errors:
            result.errors = [with_code(error) for error in errors]


def outage_in(errors: list[GraphQLError] | None) -> DatabaseUnavailable | None:
    """The database outage behind one of ``errors``, if any: the request then answers 503."""
    for error in errors or ():
        original = error.original_error
        if original is not None and is_unavailable(original):
            if isinstance(original, DatabaseUnavailable):
                return original
            outage = DatabaseUnavailable()
            outage.__cause__ = original
            return outage
    return None


def with_code(error: GraphQLError) -> GraphQLError:
    original = error.original_error
    if isinstance(original, DomainError):
        extensions: dict[str, Any] = {**(error.extensions or {}), "code": original.code, "status": status_for(original)}
        if original.field:
            extensions["field"] = original.field
        error.extensions = extensions
        return error
    if original is not None and is_unavailable(original):
        return error  # keeps its cause for outage_in
    if original is None or isinstance(original, GraphQLError) or error.path is None:
        return error  # validation, parsing and argument coercion: their message is for the client
    return GraphQLError(
        "internal error",
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions={"code": INTERNAL, "status": status_of_code(INTERNAL)},
    )
