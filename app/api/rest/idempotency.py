"""Idempotency-Key on POST: the first response is stored and replayed to retries.

Keys are scoped by caller (the token's subject). The same key with another body is a 422; a
retry while the first request still runs is a 409. Server errors (5xx) are not stored, so the
retry runs again; neither are responses marked ``Cache-Control: no-store`` (issued secrets),
which must not rest in clear in the store. With the database away, the key is neither claimed
nor run: the answer is the 503 every route gives then.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Awaitable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.composition import DatabaseUnavailable, IdempotencyStore, InvalidToken, StoredResponse, TokenVerifier
from app.api.problems import database_unavailable, problem_json, status_of_code

log = logging.getLogger(__name__)

HEADER = b"idempotency-key"
MAX_KEY_LENGTH = 200
REPLAYED_HEADERS = {"content-type", "location", "etag"}


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers") or [])
        if scope["type"] != "http" or scope["method"] != "POST" or HEADER not in headers:
            await self.app(scope, receive, send)
            return
        key = headers[HEADER].decode("latin-1").strip()
        if not key or len(key) > MAX_KEY_LENGTH:
            await _send(send, "invalid_idempotency_key", f"Idempotency-Key must be 1-{MAX_KEY_LENGTH} characters")
            return
        caller = _caller_scope(scope["app"].state.token_verifier, headers.get(b"authorization", b""))
        if caller is None:  # no valid token: the route answers 401, nothing to remember
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive)
        digest = hashlib.sha256(b"\n".join([scope["path"].encode(), scope.get("query_string", b""), body]))
        store = IdempotencyStore(scope["app"].state.engine)
        try:
            claim = await store.claim(caller, key, digest.hexdigest())
        except DatabaseUnavailable as error:
            await database_unavailable(None, error)(scope, receive, send)
            return
        if claim.outcome == "mismatch":
            await _send(send, "idempotency_key_reused", "this Idempotency-Key was used with another request")
        elif claim.outcome == "in_progress":
            await _send(
                send,
                "idempotency_request_in_progress",
                "the first request with this key still runs",
                retry_after="1",
            )
        elif claim.outcome == "replay" and claim.response is not None:
            await _replay(send, claim.response)
        else:
            await self._run_and_store(scope, body, send, store, caller, key)

    async def _run_and_store(
        self, scope: Scope, body: bytes, send: Send, store: IdempotencyStore, caller: str, key: str
    ) -> None:
        status, kept_headers, chunks, no_store = 500, [], [], False

        async def replay_receive() -> Message:
            return {"type": "http.request", "body": body, "more_body": False}

        async def capture(message: Message) -> None:
            nonlocal status, kept_headers, no_store
            if message["type"] == "http.response.start":
                status = message["status"]
                no_store = any(
                    k.lower() == b"cache-control" and b"no-store" in v.lower() for k, v in message.get("headers", [])
                )
                kept_headers = [
                    (k.decode("latin-1"), v.decode("latin-1"))
                    for k, v in message.get("headers", [])
                    if k.decode("latin-1").lower() in REPLAYED_HEADERS
                ]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, replay_receive, capture)
        except BaseException:
            await _settle(store.release(caller, key), key)
            raise
        if status >= 500 or no_store:
            await _settle(store.release(caller, key), key)
        else:
            await _settle(store.complete(caller, key, StoredResponse(status, kept_headers, b"".join(chunks))), key)


async def _settle(step: Awaitable[None], key: str) -> None:
    """Record the outcome of a key whose response is on its way; the database may have gone since.

    Then the claim stays unfinished: retries get 409 until it counts as abandoned and runs again.
    """
    try:
        await step
    except DatabaseUnavailable:
        log.warning("the database went away before the outcome of Idempotency-Key %r was stored", key[:16])


def _caller_scope(verifier: TokenVerifier, authorization: bytes) -> str | None:
    scheme, _, token = authorization.decode("latin-1").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    try:
        return str(verifier.verify(token.strip()).user_id)
    except InvalidToken:
        return None


async def _read_body(receive: Receive) -> bytes:
    chunks, more = [], True
    while more:
        message = await receive()
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    return b"".join(chunks)


async def _replay(send: Send, stored: StoredResponse) -> None:
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in stored.headers]
    headers.append((b"idempotent-replayed", b"true"))
    await send({"type": "http.response.start", "status": stored.status_code, "headers": headers})
    await send({"type": "http.response.body", "body": stored.body})


async def _send(send: Send, code: str, detail: str, *, retry_after: str | None = None) -> None:
    status = status_of_code(code)
    headers = [(b"content-type", b"application/problem+json")]
    if retry_after:
        headers.append((b"retry-after", retry_after.encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": problem_json(status, code, detail)})
