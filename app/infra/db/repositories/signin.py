"""Sign-in records: login attempts, one-time codes, sessions and their refresh tokens.

The records' fields are named like their columns, so they map one to one. Every ``take_*``
locks the row (``FOR UPDATE``): two requests presenting the same state, code or refresh
token are serialized, and only the first finds it unused.
"""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import ColumnElement, Table, delete, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.signin import LoginAttempt, LoginCode, RefreshToken, SignIn
from app.infra.db import tables as tb

R = TypeVar("R")


def _record(kind: type[R], row: Any) -> R:
    names = {f.name for f in fields(kind)}  # type: ignore[arg-type]
    return kind(**{k: v for k, v in dict(row).items() if k in names})


class SignInRepository:
    def __init__(self, db: AsyncSession) -> None:
        self.db = db

    async def _take(self, table: Table, kind: type[R], where: ColumnElement[bool]) -> R | None:
        row = (await self.db.execute(select(table).where(where).with_for_update())).mappings().first()
        return _record(kind, row) if row else None

    async def add_login_attempt(self, attempt: LoginAttempt) -> None:
        await self.db.execute(insert(tb.login_attempts).values(asdict(attempt)))

    async def take_login_attempt(self, state_digest: str) -> LoginAttempt | None:
        return await self._take(tb.login_attempts, LoginAttempt, tb.login_attempts.c.state_digest == state_digest)

    async def consume_login_attempt(self, state_digest: str, now: datetime) -> None:
        t = tb.login_attempts
        await self.db.execute(update(t).where(t.c.state_digest == state_digest).values(consumed_at=now))

    async def add_login_code(self, code: LoginCode) -> None:
        await self.db.execute(insert(tb.login_codes).values(asdict(code)))

    async def take_login_code(self, code_digest: str) -> LoginCode | None:
        return await self._take(tb.login_codes, LoginCode, tb.login_codes.c.code_digest == code_digest)

    async def use_login_code(self, code_digest: str, now: datetime) -> None:
        t = tb.login_codes
        await self.db.execute(update(t).where(t.c.code_digest == code_digest).values(used_at=now))

    async def void_login_codes_of(self, user_id: UUID, now: datetime) -> None:
        t = tb.login_codes
        stmt = update(t).where(t.c.user_id == user_id, t.c.used_at.is_(None), t.c.expires_at > now).values(used_at=now)
        await self.db.execute(stmt)

    async def add(self, signin: SignIn) -> None:
        await self.db.execute(insert(tb.signins).values(asdict(signin)))

    async def get(self, signin_id: UUID, *, for_update: bool = False) -> SignIn | None:
        stmt = select(tb.signins).where(tb.signins.c.id == signin_id)
        row = (await self.db.execute(stmt.with_for_update() if for_update else stmt)).mappings().first()
        return _record(SignIn, row) if row else None

    async def save(self, signin: SignIn) -> None:
        t = tb.signins
        values = {"revoked_at": signin.revoked_at, "revoked_reason": signin.revoked_reason}
        await self.db.execute(update(t).where(t.c.id == signin.id).values(values))

    async def revoke_signins_of(self, user_id: UUID, reason: str, now: datetime) -> int:
        t = tb.signins
        stmt = (
            update(t)
            .where(t.c.user_id == user_id, t.c.revoked_at.is_(None))
            .values(revoked_at=now, revoked_reason=reason)
        )
        return int((await self.db.execute(stmt)).rowcount)  # type: ignore[attr-defined]

    async def add_refresh_token(self, token: RefreshToken) -> None:
        await self.db.execute(insert(tb.refresh_tokens).values(asdict(token)))

    async def take_refresh_token(self, token_digest: str) -> RefreshToken | None:
        return await self._take(tb.refresh_tokens, RefreshToken, tb.refresh_tokens.c.token_digest == token_digest)

    async def use_refresh_token(self, token_digest: str, now: datetime) -> None:
        t = tb.refresh_tokens
        await self.db.execute(update(t).where(t.c.token_digest == token_digest).values(used_at=now))

    async def purge_expired(self, now: datetime) -> int:
        """Drop what can never be used again (a maintenance task; the data has no other value)."""
        removed = 0
        for table in (tb.login_attempts, tb.login_codes):
            result = await self.db.execute(delete(table).where(table.c.expires_at < now))
            removed += int(result.rowcount)  # type: ignore[attr-defined]
        s, r = tb.signins, tb.refresh_tokens
        dead = select(s.c.id).where(or_(s.c.expires_at < now, s.c.revoked_at.is_not(None)))
        result = await self.db.execute(delete(r).where(r.c.signin_id.in_(dead), r.c.expires_at < now))
        return removed + int(result.rowcount)  # type: ignore[attr-defined]
