"""Running mutations in tests: each answers its type or a Problem with REST's code and status."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.graphql.helpers import data

PROBLEM = "... on Problem { code httpStatus message field }"


async def mutate(client: httpx.AsyncClient, headers: dict[str, str], document: str, **variables: Any) -> dict[str, Any]:
    """The result of the document's single mutation field; GraphQL errors fail the test."""
    result = await data(client, headers, document, **variables)
    [value] = result.values()
    assert isinstance(value, dict), value
    return value


def ok(result: dict[str, Any], typename: str) -> dict[str, Any]:
    """Assert the mutation answered ``typename`` (not a Problem) and return it."""
    assert result["__typename"] == typename, result
    return result


def refused(result: dict[str, Any], status: int, code: str | None = None) -> dict[str, Any]:
    """Assert a Problem with REST's ``status`` (and ``code``) and return it."""
    assert result["__typename"] == "Problem", result
    assert result["httpStatus"] == status, result
    if code is not None:
        assert result["code"] == code, result
    return result


async def rest(client: httpx.AsyncClient, headers: dict[str, str], path: str) -> dict[str, Any]:
    """A REST read that must succeed: the cross-check of what a mutation stored."""
    response = await client.get(path, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body
