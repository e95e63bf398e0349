"""Posting GraphQL documents through the ASGI app."""

from __future__ import annotations

from typing import Any

import httpx


async def gql(client: httpx.AsyncClient, headers: dict[str, str], query: str, **variables: Any) -> dict[str, Any]:
    """The response body of one GraphQL request; asserts HTTP 200."""
    response = await client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def data(client: httpx.AsyncClient, headers: dict[str, str], query: str, **variables: Any) -> dict[str, Any]:
    """The ``data`` of a request that must not report errors."""
    body = await gql(client, headers, query, **variables)
    assert not body.get("errors"), body["errors"]
    result: dict[str, Any] = body["data"]
    return result
