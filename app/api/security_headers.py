"""Security headers on every response (pure ASGI, so problem responses and 413s get them too).

The API serves JSON, so its answers may run nothing and be framed by no one. The HTML pages
(Swagger UI and GraphiQL: app/api/docs_pages.py) send their own, wider policy, which a
header already present keeps. HSTS only outside development: a browser remembers it for a year.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

_ALWAYS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
_API_CSP = (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'")
_HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")


def api_security_headers(*, hsts: bool) -> list[tuple[bytes, bytes]]:
    return [*_ALWAYS, _API_CSP, *([_HSTS] if hsts else [])]


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self.app = app
        self.extra = api_security_headers(hsts=hsts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(h for h in self.extra if h[0] not in present)]
            await send(message)

        await self.app(scope, receive, send_with_headers)
