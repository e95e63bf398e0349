"""What the catalog holds: one ``ErrorCode`` per stable code, grouped in features.

The kind (a ``DomainError`` subclass) is all the catalog says about HTTP: the API edge maps
each kind to its status in one table (``app.api.problems.STATUS_OF``), so a code's status is
written nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from app.domain.errors import DomainError


class Reach(Enum):
    """Where a client can meet the code; the OpenAPI document lists ``OPERATION`` codes per operation."""

    OPERATION = "operation"  # answered by the operations that declare it
    ANY_REQUEST = "any_request"  # answered before any operation is found (an unknown path)
    GRAPHQL = "graphql"  # only in GraphQL responses' errors
    IN_RESULTS = "in_results"  # inside a successful answer: a sync row's errors, a failed matching run's error
    COMMAND_LINE = "command_line"  # only `tandem` subcommands meet it
    SCIM = "scim"  # only under /scim/v2, as a SCIM error's detail (RFC 7644 §3.12), never a problem document


@dataclass(frozen=True, slots=True)
class ErrorCode:
    code: str
    kind: type[DomainError]
    title: str
    meaning: str
    reach: Reach = Reach.OPERATION

    def error(self, detail: str, *, field: str | None = None) -> DomainError:
        """The error of this code, of its kind: for raise sites that hold a code, not a literal."""
        return self.kind(detail, code=self.code, field=field)


@dataclass(frozen=True, slots=True)
class Feature:
    name: str
    summary: str
    codes: tuple[ErrorCode, ...]
