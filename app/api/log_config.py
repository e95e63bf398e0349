"""Log format with the request id on every line, and no credentials in access logs."""

from __future__ import annotations

import logging
from urllib.parse import parse_qsl, urlencode

from app.api.middleware import RequestIdFilter

FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"

# query parameters that carry credentials: the provider's authorization code and state on
# /auth/*/callback, and tokens a client might put in a URL although it should not
SECRET_PARAMETERS = frozenset(
    {"code", "state", "access_token", "refresh_token", "id_token", "token", "client_secret", "code_verifier"}
)
REDACTED = "[redacted]"


def redact_query(target: str) -> str:
    """``/path?code=abc&iss=x`` → ``/path?code=[redacted]&iss=x``; other parameters stay readable."""
    path, separator, query = target.partition("?")
    if not separator:
        return target
    pairs = parse_qsl(query, keep_blank_values=True)
    if not any(name.lower() in SECRET_PARAMETERS for name, _ in pairs):
        return target
    kept = [(name, REDACTED if name.lower() in SECRET_PARAMETERS else value) for name, value in pairs]
    return f"{path}?{urlencode(kept, safe='[]/:')}"


class RedactSecrets(logging.Filter):
    """Access logs are kept and shipped widely; an authorization code or token must not be in them.

    uvicorn logs an access line as ``(client, method, target, http_version, status)``.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if record.name == "uvicorn.access" and isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str):
            record.args = (*args[:2], redact_query(args[2]), *args[3:])
        return True


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    handler.addFilter(RedactSecrets())
    handler.setFormatter(logging.Formatter(FORMAT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
