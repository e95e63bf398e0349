"""Opaque page cursors, the same for REST's ``next_cursor`` and GraphQL's ``endCursor``."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from uuid import UUID

from app.domain.errors import RuleViolation
from app.domain.events import FeedPosition
from app.services.pagination import Cursor


def encode_cursor(cursor: Cursor | None) -> str | None:
    if cursor is None:
        return None
    raw = json.dumps([cursor.created_at.isoformat(), str(cursor.id)]).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def decode_cursor(value: str) -> Cursor:
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
        created_at, obj_id = json.loads(raw)
        return Cursor(datetime.fromisoformat(created_at), UUID(obj_id))
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError) as exc:
        raise RuleViolation("cursor is not one this API issued", code="invalid_cursor", field="cursor") from exc


def encode_position(position: FeedPosition | None) -> str | None:
    """The event feed's cursor: where a reader continues (see ``FeedPosition``)."""
    if position is None:
        return None
    raw = json.dumps(["e", position.xact, position.seq]).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def decode_position(value: str) -> FeedPosition:
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
        kind, xact, seq = json.loads(raw)
        if kind != "e" or not all(isinstance(n, int) and 0 <= n < 2**63 for n in (xact, seq)):
            raise ValueError("not an event position")
        return FeedPosition(xact, seq)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError) as exc:
        raise RuleViolation("cursor is not one this API issued", code="invalid_cursor", field="after") from exc
