"""Opaque page cursors, the same for REST's ``next_cursor`` and GraphQL's ``endCursor``."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from uuid import UUID

from app.domain.errors import RuleViolation
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
