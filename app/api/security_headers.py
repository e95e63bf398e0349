"""Security headers on every response (pure ASGI, so problem responses and 413s get them too).

The API serves JSON, so its pages may run nothing and be framed by no one. The two HTML
pages (Swagger UI at /docs and GraphiQL) load their scripts from a CDN and keep their own
defaults. HSTS only outside development: a browser remembers it for a year.
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
_HTML_PAGES = ("/docs", "/graphql")


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self.app = app
        self.extra = [*_ALWAYS, *([_HSTS] if hsts else [])]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = self.extra if scope["path"].startswith(_HTML_PAGES) else [*self.extra, _API_CSP]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(h for h in headers if h[0] not in present)]
            await send(message)

        await self.app(scope, receive, send_with_headers)
