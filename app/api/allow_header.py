"""A complete ``Allow`` header on every 405 (RFC 9110 §15.5.6).

FastAPI registers one route per operation, and Starlette answers a method mismatch from the
first route whose path matches: ``PUT /v1/programs`` said ``Allow: POST`` although GET is there
too. This middleware replaces the header with the methods of every route matching the path.
"""

from __future__ import annotations

from collections.abc import Sequence

from fastapi.routing import iter_route_contexts
from starlette.routing import BaseRoute, compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send


def allowed_methods(routes: Sequence[BaseRoute], path: str) -> list[str]:
    """The methods of every route whose path template matches ``path``, sorted.

    Included routers are walked with their prefixes (FastAPI keeps them as nested nodes)."""
    methods: set[str] = set()
    for route in iter_route_contexts(routes):
        if route.methods and route.path and compile_path(route.path)[0].match(path):
            methods |= route.methods
    return sorted(methods)


class AllowHeaderMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_allow(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 405:
                methods = allowed_methods(scope["app"].routes, scope["path"])
                if methods:
                    headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"allow"]
                    headers.append((b"allow", ", ".join(methods).encode()))
                    message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_allow)
