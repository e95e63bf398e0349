"""OpenAPI links (3.1 §4.8.20): what a client, or a stateful fuzzer, may call next with the id
an answer carries, e.g. create a program → read it → update it → open its enrollment."""

from __future__ import annotations

from typing import Any


def follow_id(parameter: str, *operation_ids: str) -> dict[str, Any]:
    """A response's ``links``: each operation takes the answer's ``id`` as ``parameter``."""
    return {
        "links": {
            "".join(word.capitalize() for word in operation_id.split("_")): {
                "operationId": operation_id,
                "parameters": {parameter: "$response.body#/id"},
                "description": f"`{parameter}` is this answer's `id`",
            }
            for operation_id in operation_ids
        }
    }
