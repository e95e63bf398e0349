"""The codes the API edge answers with no domain error behind them: HTTP and GraphQL protocol codes.

Their status is written here and only here; every other code's status follows from its kind in
``app.api.problems.STATUS_OF``. Together with ``app.domain.error_catalog`` they make the catalog
(``app.api.problem_catalog``).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.error_catalog import Reach


@dataclass(frozen=True, slots=True)
class EdgeCode:
    code: str
    status: int | None  # None: a GraphQL error, answered with 200 like every GraphQL error
    title: str
    meaning: str
    reach: Reach = Reach.OPERATION


EDGE = "http"  # their feature in the catalog

EDGE_CODES: tuple[EdgeCode, ...] = (
    EdgeCode(
        "rate_limited",
        429,
        "Too many requests",
        "The caller (or the tenant, for sensitive flows) went over a rate limit; retry after `Retry-After`.",
    ),
    EdgeCode("payload_too_large", 413, "Payload too large", "The request body is larger than the server accepts."),
    EdgeCode(
        "internal_error",
        500,
        "Internal error",
        "Something failed on our side; it was logged with the request id, and the request may be retried.",
    ),
    EdgeCode(
        "method_not_allowed",
        405,
        "Method not allowed",
        "The path exists, but not with this method; `Allow` lists the ones it has.",
        Reach.ANY_REQUEST,
    ),
    EdgeCode(
        "http_error",
        400,
        "HTTP error",
        "The request failed at the HTTP level before any operation ran (an unreadable form body).",
        Reach.ANY_REQUEST,
    ),
    EdgeCode(
        "query_too_costly",
        None,
        "Query too costly",
        "The GraphQL query would read too many items; ask for fewer (`first`) or fewer fields.",
        Reach.GRAPHQL,
    ),
)

EDGE_BY_CODE: dict[str, EdgeCode] = {edge.code: edge for edge in EDGE_CODES}
