"""What every /scim/v2 operation shares: the SCIM token's organization, the request's JSON
and query parameters, If-Match, and the base URL resources are located under."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, Request
from scim2_models import Context, ResponseParameters, SearchRequest

from app.api.deps import RequestUow
from app.api.scim.errors import ScimProblem, invalid_value, unauthorized
from app.services import scim

PREFIX = "/scim/v2"


async def scim_organization(request: Request, uow: RequestUow) -> UUID:
    """The organization of the request's SCIM token; anything else (an access token too) is a 401."""
    scheme, _, secret = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise unauthorized("a SCIM bearer token is required")
    org_id = await scim.organization_of(uow, secret.strip())
    if org_id is None:
        raise unauthorized("the SCIM token is unknown or revoked")
    return org_id


Organization = Annotated[UUID, Depends(scim_organization)]


def base_url(request: Request) -> str:
    return f"{str(request.base_url).rstrip('/')}{PREFIX}"


async def body_of(request: Request) -> Any:
    try:
        return json.loads(await request.body())
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ScimProblem(400, f"the body is not JSON: {error}", "invalidSyntax") from error


@dataclass(frozen=True, slots=True)
class Search:
    """A list request's filter, page and attribute selection, from a query or a POST …/.search body."""

    expression: str | None
    start_index: int
    count: int
    parameters: ResponseParameters[Any] | None


async def search_of(request: Request) -> Search:
    """RFC 7644 §3.4.3: the query in a body, for filters too long or too private for a URL."""
    body: SearchRequest[Any] = SearchRequest.model_validate(await body_of(request), scim_ctx=Context.SEARCH_REQUEST)
    return Search(
        expression=str(body.filter) if body.filter else None,
        start_index=body.start_index if body.start_index is not None else 1,
        count=body.count if body.count is not None else scim.MAX_PAGE,
        parameters=body if (body.attributes or body.excluded_attributes) else None,
    )


def parameters_of(request: Request) -> ResponseParameters[Any] | None:
    query = request.query_params
    given = {k: query[k] for k in ("attributes", "excludedAttributes") if k in query}
    return ResponseParameters.model_validate(given) if given else None


def int_of(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise invalid_value(f"{name} must be an integer") from None


def id_of(raw: str, what: str = "user") -> UUID:
    try:
        return UUID(raw)
    except ValueError:
        raise ScimProblem(404, f"no such {what} of this organization") from None


def expected_version(request: Request) -> int | None:
    """If-Match: a ``meta.version`` this service gave (W/"3"); ``*`` matches any version."""
    raw = request.headers.get("if-match")
    if raw is None or raw.strip() == "*":
        return None
    tag = raw.strip().removeprefix("W/").strip('"')
    if not tag.isdigit():
        raise ScimProblem(412, "If-Match names no version of this resource")
    return int(tag)
