"""The REST conventions of API.md in one place: opaque cursors, pages, ETag and If-Match."""

from __future__ import annotations

from typing import Annotated, Protocol, TypeVar

from fastapi import Depends, Header, Query, Response
from pydantic import BaseModel

from app.api.cursors import decode_cursor, encode_cursor
from app.services.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Page, PageRequest

T = TypeVar("T")


def page_request(
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="page size")] = DEFAULT_PAGE_SIZE,
    cursor: Annotated[str | None, Query(max_length=500, description="next_cursor of the previous page")] = None,
) -> PageRequest:
    return PageRequest(limit=limit, after=decode_cursor(cursor) if cursor else None)


Paging = Annotated[PageRequest, Depends(page_request)]


def page_out(page: Page[T], shape: type[BaseModel]) -> dict[str, object]:
    """The JSON shape of a page, each item converted by ``shape.of``."""
    return {"items": [shape.of(item) for item in page.items], "next_cursor": encode_cursor(page.next_cursor)}  # type: ignore[attr-defined]


class Versioned(Protocol):
    version: int


def etag_of(obj: Versioned) -> str:
    return f'"{obj.version}"'


def set_etag(response: Response, obj: Versioned) -> None:
    response.headers["ETag"] = etag_of(obj)


def parse_if_match(
    if_match: Annotated[
        str | None,
        Header(description="the ETag you read; the change applies only to that version (else 412)"),
    ] = None,
) -> int | None:
    """``"3"`` or ``W/"3"`` → 3; ``*`` or absent → no precondition. Anything else can never match."""
    if if_match is None or if_match.strip() == "*":
        return None
    value = if_match.strip().removeprefix("W/").strip('"')
    return int(value) if value.isdigit() else -1


IfMatch = Annotated[int | None, Depends(parse_if_match)]
