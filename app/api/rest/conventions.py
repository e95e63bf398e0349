"""The REST conventions of API.md in one place: opaque cursors, pages, ETag and If-Match."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from typing import Annotated, Generic, Protocol, TypeVar
from uuid import UUID

from fastapi import Depends, Header, Query, Response
from pydantic import BaseModel, Field

from app.domain.errors import RuleViolation
from app.services.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Cursor, Page, PageRequest

T = TypeVar("T")


class PageOut(BaseModel, Generic[T]):
    """A page of a list. Pass ``next_cursor`` back as ``cursor`` for the next page; null at the end."""

    items: list[T]
    next_cursor: str | None = Field(description="opaque; null on the last page")


def encode_cursor(cursor: Cursor | None) -> str | None:
    if cursor is None:
        return None
    raw = json.dumps([cursor.created_at.isoformat(), str(cursor.id)]).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def decode_cursor(value: str) -> Cursor:
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
        created_at, obj_id = json.loads(raw)
        return Cursor(datetime.fromisoformat(created_at), UUID(obj_id))
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError) as exc:
        raise RuleViolation("cursor is not one this API issued", code="invalid_cursor", field="cursor") from exc


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
