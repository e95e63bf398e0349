"""Relay-style connections over the use cases' keyset pages (the same opaque cursors as REST)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

import strawberry

from app.api.cursors import decode_cursor, encode_cursor
from app.domain.errors import RuleViolation
from app.services.pagination import MAX_PAGE_SIZE, Cursor, Page, PageRequest

D = TypeVar("D")
N = TypeVar("N")


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class Edge(Generic[N]):
    cursor: str
    node: N


@strawberry.type
class Connection(Generic[N]):
    edges: list[Edge[N]]
    page_info: PageInfo

    @classmethod
    def of(cls, page: Page[D], shape: Callable[[D], N]) -> Connection[N]:
        edges = [Edge(cursor=_cursor_of(item), node=shape(item)) for item in page.items]
        return cls(
            edges=edges,
            page_info=PageInfo(has_next_page=page.next_cursor is not None, end_cursor=encode_cursor(page.next_cursor)),
        )


def page_request(first: int, after: str | None) -> PageRequest:
    if not 1 <= first <= MAX_PAGE_SIZE:
        raise RuleViolation(f"first must be 1 to {MAX_PAGE_SIZE}", code="invalid_limit", field="first")
    return PageRequest(limit=first, after=decode_cursor(after) if after else None)


def _cursor_of(item: object) -> str:
    cursor = encode_cursor(Cursor(item.created_at, item.id))  # type: ignore[attr-defined]
    assert cursor is not None
    return cursor
