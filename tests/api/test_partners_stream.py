"""PUT /v1/partners/{partner_id}/mentors as one NDJSON stream of any length: read as it arrives,
written a chunk at a time, answered with one NDJSON line per row and a closing line of counts."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import func, select

from app.domain.access import Caller, Role, Scope
from app.infra.db.tables import outbox, partner_mentors
from app.services import partner_mentors as pool
from tests.api.helpers import problem
from tests.api.test_partners import _granted_org, _mentor, _new_partner, _partner_people, _token

STREAM = 20_000
URL = "/v1/partners/{}/mentors"
NDJSON = {"content-type": "application/x-ndjson"}


def _line(n: int) -> bytes:
    return json.dumps(_mentor(f"s-{n:05d}", birth_year=1985 + n % 20), separators=(",", ":")).encode() + b"\n"


def _answer(text: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    *rows, end = [json.loads(line) for line in text.splitlines()]
    return rows, end


async def _count(engine, table: Any, partner_id: str) -> int:
    async with engine.connect() as conn:
        found = await conn.execute(
            select(func.count()).select_from(table).where(table.c.partner_id == uuid.UUID(partner_id))
        )
        return int(found.scalar_one())


async def test_a_stream_of_20000_lines_is_answered_row_by_row(client, bearer, uow_factory, engine) -> None:
    partner = await _new_partner(client, bearer)
    token = await _token(uow_factory, bearer, partner)
    bad = {7_001: b"{not json\n", 15_000: json.dumps(_mentor("s-old", birth_year=1960)).encode() + b"\n"}

    async def body() -> AsyncIterator[bytes]:  # sent as it is made: chunked, no Content-Length
        block = []
        for n in range(STREAM):
            block.append(bad.get(n) or _line(n))
            if n == 100:
                block.append(b"\n  \n")  # blank lines are no rows
            if len(block) == 500:
                yield b"".join(block)
                block = []
        yield b"".join(block)

    response = await client.put(URL.format(partner["id"]), content=body(), headers={**token, **NDJSON})
    assert response.status_code == 200, response.text[:500]
    rows, end = _answer(response.text)
    assert [row["index"] for row in rows] == list(range(STREAM))  # every row answered, in order
    assert end == {"counts": {"created": STREAM - 2, "updated": 0, "unchanged": 0, "error": 2}}
    assert (rows[7_001]["status"], rows[7_001]["errors"][0]["code"]) == ("error", "json_invalid")
    assert (rows[15_000]["external_id"], rows[15_000]["errors"][0]["code"]) == ("s-old", "not_a_digital_native")
    assert rows[19_999] == {"index": 19_999, "external_id": "s-19999", "status": "created", "errors": []}
    assert await _count(engine, partner_mentors, partner["id"]) == STREAM - 2
    assert await _count(engine, outbox, partner["id"]) == STREAM - 2  # one partner_mentor.upserted each


async def test_a_stream_sent_again_changes_nothing_and_emits_nothing(client, bearer, uow_factory, engine) -> None:
    partner = await _new_partner(client, bearer)
    token = await _token(uow_factory, bearer, partner)
    org, _ = await _granted_org(client, bearer, uow_factory, partner)
    body = b"".join(_line(n) for n in range(2_500))
    first = await client.put(URL.format(partner["id"]), content=body, headers={**token, **NDJSON})
    assert _answer(first.text)[1]["counts"]["created"] == 2_500
    events = await _count(engine, outbox, partner["id"])
    people = await _partner_people(engine, org.id, partner["id"])
    assert len(people) == 2_500  # each mentor a person of the granting organization

    again = await client.put(URL.format(partner["id"]), content=body, headers={**token, **NDJSON})
    assert _answer(again.text)[1]["counts"] == {"created": 0, "updated": 0, "unchanged": 2_500, "error": 0}
    assert await _count(engine, outbox, partner["id"]) == events
    assert await _partner_people(engine, org.id, partner["id"]) == people  # versions and times too

    changed = body.replace(b'"display_name":"Mentor s-01234"', b'"display_name":"Renamed"')
    third = await client.put(URL.format(partner["id"]), content=changed, headers={**token, **NDJSON})
    rows, end = _answer(third.text)
    assert end["counts"]["updated"] == 1 and rows[1_234]["status"] == "updated"
    person = (await _partner_people(engine, org.id, partner["id"]))["s-01234"]
    assert (person["display_name"], person["version"]) == ("Renamed", 2)
    async with engine.connect() as conn:
        stmt = select(outbox.c.data).where(outbox.c.partner_id == uuid.UUID(partner["id"])).order_by(outbox.c.seq)
        last = (await conn.execute(stmt)).all()[-1].data
    assert last == {"external_id": "s-01234", "status": "updated", "changed": ["display_name"]}


async def test_a_line_over_its_limit_fails_alone_whatever_the_body_size(client, bearer, uow_factory) -> None:
    partner = await _new_partner(client, bearer)
    token = await _token(uow_factory, bearer, partner)
    huge = json.dumps(_mentor("s-huge", bio="x" * 1_100_000)).encode()  # over the 1 MB body limit too
    body = _line(1) + huge + b"\n" + _line(2) + b'{"external_id": "s-tail", "bio": "' + b"y" * 70_000
    response = await client.put(URL.format(partner["id"]), content=body, headers={**token, **NDJSON})
    assert response.status_code == 200, response.text[:300]
    rows, end = _answer(response.text)
    assert [(row["external_id"], row["status"]) for row in rows] == [
        ("s-00001", "created"),
        (None, "error"),
        ("s-00002", "created"),
        (None, "error"),
    ]
    assert [rows[i]["errors"][0]["code"] for i in (1, 3)] == ["line_too_long", "line_too_long"]
    assert end["counts"]["error"] == 2
    # a JSON batch keeps its limit on the whole body
    response = await client.put(
        URL.format(partner["id"]), content=huge, headers={**token, "content-type": "application/json"}
    )
    problem(response, 413, "payload_too_large")


async def test_a_stream_is_refused_before_a_row_is_read(client, bearer, uow_factory) -> None:
    partner, other = await _new_partner(client, bearer), await _new_partner(client, bearer)
    reader = await _token(uow_factory, bearer, partner, scope="mentors:read")
    response = await client.put(URL.format(partner["id"]), content=_line(1), headers={**reader, **NDJSON})
    problem(response, 403, "insufficient_scope")
    token = await _token(uow_factory, bearer, partner)
    response = await client.put(URL.format(other["id"]), content=_line(1), headers={**token, **NDJSON})
    assert response.status_code in (403, 404) and response.headers["content-type"] == "application/problem+json"
    response = await client.put(URL.format(partner["id"]), content=_line(1), headers=NDJSON)
    problem(response, 401, "invalid_token")


async def test_each_chunk_is_committed_before_the_next_is_read(client, bearer, uow_factory, engine) -> None:
    partner = await _new_partner(client, bearer)
    partner_id = uuid.UUID(partner["id"])
    caller = Caller(partner_id, Role.PARTNER, partner_id=partner_id, scopes=frozenset({Scope.MENTORS_SYNC.value}))
    pulled: list[int] = []
    stored_when_pulled: dict[int, int] = {}

    async def rows() -> AsyncIterator[dict[str, Any]]:
        for n in range(250):
            if n % 100 == 0:  # what the database holds when the stream is read on
                stored_when_pulled[n] = await _count(engine, partner_mentors, partner["id"])
            pulled.append(n)
            yield {**_mentor(f"c-{n:03d}"), "languages": ("de", "en")}

    chunks = []
    async for results in pool.sync_partner_mentor_stream(uow_factory(), caller, partner_id, rows(), chunk=100):
        chunks.append(([r.index for r in results], len(pulled)))
    # at most one chunk is held: its results come before a row of the next is read
    assert chunks == [(list(range(100)), 100), (list(range(100, 200)), 200), (list(range(200, 250)), 250)]
    assert stored_when_pulled == {0: 0, 100: 100, 200: 200}
