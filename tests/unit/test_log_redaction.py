"""Credentials in request URLs never reach the access log."""

from __future__ import annotations

import io
import logging

import pytest

from app.api.log_config import RedactSecrets, redact_query


@pytest.mark.parametrize(
    ("target", "logged"),
    [
        (
            "/auth/acme/callback?code=abc&state=xyz&iss=https%3A%2F%2Fidp",
            "/auth/acme/callback?code=[redacted]&state=[redacted]&iss=https://idp",
        ),
        ("/v1/me?access_token=eyJ", "/v1/me?access_token=[redacted]"),
        ("/v1/people?limit=5&cursor=abc", "/v1/people?limit=5&cursor=abc"),  # nothing secret: unchanged
        ("/healthz", "/healthz"),
        ("/x?Code=a&CODE=b", "/x?Code=[redacted]&CODE=[redacted]"),
    ],
)
def test_secret_query_values_are_redacted(target: str, logged: str) -> None:
    assert redact_query(target) == logged


def test_uvicorns_access_lines_pass_through_redacted() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactSecrets())
    logger = logging.getLogger("uvicorn.access")
    logger.addHandler(handler)
    try:
        # the call uvicorn makes for every response
        logger.warning('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET", "/auth/a/callback?code=s3cret", "1.1", 302)
    finally:
        logger.removeHandler(handler)
    assert stream.getvalue().strip() == '127.0.0.1:5000 - "GET /auth/a/callback?code=[redacted] HTTP/1.1" 302'
