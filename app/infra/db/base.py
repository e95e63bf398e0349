"""Shared table plumbing: a naming convention so constraint names (and migrations) stay stable,
and column helpers used by every table."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import DateTime, ForeignKey, MetaData
from sqlalchemy import Table as SaTable
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql.base import ischema_names
from sqlalchemy.types import UserDefinedType
from sqlmodel import Field, SQLModel

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Table(SQLModel):
    """Base of every table: our metadata, so Alembic sees the naming convention."""

    metadata = metadata


def timestamp(**kw: Any) -> Any:
    return Field(sa_type=DateTime(timezone=True), **kw)  # type: ignore[call-overload]


def json_list() -> Any:
    return Field(default_factory=list, sa_type=JSONB)  # type: ignore[call-overload]


def json_object() -> Any:
    return Field(default_factory=dict, sa_type=JSONB)  # type: ignore[call-overload]


def tenant() -> Any:
    """Every tenant row carries its organization, and every query filters by it."""
    return Field(sa_column_args=[ForeignKey("organizations.id")], index=True)  # type: ignore[call-overload]


def ref(target: str, *, nullable: bool = False, index: bool = True) -> Any:
    return Field(  # type: ignore[call-overload]
        default=None if nullable else ...,
        sa_column_args=[ForeignKey(target)],
        index=index,
        nullable=nullable,
    )


class Xid8(UserDefinedType[int]):
    """PostgreSQL's 64-bit transaction id (``pg_current_xact_id()``); read it cast to bigint."""

    cache_ok = True

    def get_col_spec(self, **kw: Any) -> str:
        return "xid8"


# reflection (the migrations' drift check) then knows the type too
ischema_names["xid8"] = Xid8


class Versioned(Table):
    """Aggregate roots: an optimistic-lock version (the ETag) and timestamps."""

    id: UUID = Field(primary_key=True)
    version: int = Field(default=1)
    created_at: datetime = timestamp()
    updated_at: datetime = timestamp()


def table_of(model: type[SQLModel]) -> SaTable:
    """The Core table behind a SQLModel class (typed, for Core statements)."""
    return model.__table__  # type: ignore[attr-defined, no-any-return]
