"""Many rows in one statement of constant text: one array parameter per column, ``unnest``ed.

A VALUES list of 1,000 rows is 1,000 times the columns in bind parameters, and SQLAlchemy compiled such a
statement anew for every batch (it took longer than PostgreSQL took to run it); executemany
sends 1,000 statements. ``INSERT … SELECT unnest(:a), unnest(:b), …`` is compiled once, cached,
and runs as one statement whatever the number of rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic_core import to_json
from sqlalchemy import JSON, Select, Text, bindparam, cast, func, insert, select
from sqlalchemy.dialects.postgresql import ARRAY


def rows_select(table: Any, rows: Sequence[Mapping[str, Any]]) -> Select[Any]:
    """``rows`` (dicts with the same keys, columns of ``table``) as one ``SELECT unnest(…), …``.

    Set-returning functions in one select list advance together and keep the arrays' order, so
    the rows come out as given (writers sort them first: one lock order for all of them).
    JSON columns travel as text and are cast back, as asyncpg has no codec for ``jsonb[]``.
    """
    selected: list[Any] = []
    for name in rows[0]:
        column = table.c[name]
        values = [row[name] for row in rows]
        if isinstance(column.type, JSON):
            # pydantic's encoder: a tenth of json.dumps's time, for 1,000 rows times the JSON columns
            texts = [None if v is None else to_json(v).decode() for v in values]
            selected.append(cast(func.unnest(bindparam(None, texts, type_=ARRAY(Text))), column.type).label(name))
        else:
            selected.append(func.unnest(bindparam(None, values, type_=ARRAY(column.type))).label(name))
    return select(*selected)


def insert_rows(table: Any, rows: Sequence[Mapping[str, Any]]) -> Any:
    """``INSERT INTO table (…) SELECT unnest(…), …`` (columns left out take their defaults)."""
    return insert(table).from_select(list(rows[0]), rows_select(table, rows))


def one_of(values: Sequence[Any], type_: Any) -> Select[Any]:
    """``SELECT unnest(:values)``, for ``column.in_(one_of(…))``: one array parameter, planned as
    a join on the column's index. (``column = ANY(:values)`` is planned without knowing the
    array: once the prepared statement's plan turned generic it scanned the whole table, a cost
    growing with every chunk of a long sync.)"""
    return select(func.unnest(bindparam(None, list(values), type_=ARRAY(type_))))
