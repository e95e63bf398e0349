"""Stored health (issue 13): kept current in each change's transaction, shown in every tandem
representation, filterable, and swept for the passage of time, once however many sweeps run."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from app.domain.clock import utcnow
from app.infra.db.tables import outbox
from app.infra.db.tables import tandems as tandem_table
from app.services import health, sessions, tandems
from tests.api.graphql.helpers import data
from tests.api.helpers import problem
from tests.api.tandem_world import held, running, scheduled
from tests.factories import member, past


async def _health_events(engine: Any, tandem_id: Any) -> list[dict[str, Any]]:
    async with engine.connect() as conn:
        stmt = select(outbox.c.data).where(outbox.c.subject_id == tandem_id, outbox.c.type == "tandem.health_changed")
        return list((await conn.execute(stmt.order_by(outbox.c.seq))).scalars().all())


async def _missed(uow_factory: Any, world: dict[str, Any], tandem: Any, days: int) -> None:
    session = await scheduled(uow_factory, world, tandem, past(days))
    await sessions.miss_session(uow_factory(), member(world["mentor"]), session.id)


async def test_health_follows_each_change_in_its_transaction_with_one_event_per_change(
    client, bearer, uow_factory, engine
) -> None:
    world, tandem = await running(uow_factory)
    url = f"/v1/tandems/{tandem.id}"
    assert (await client.get(url, headers=bearer(world["manager"]))).json()["health"] == "too_early"

    await held(uow_factory, world, tandem)
    body = (await client.get(url, headers=bearer(world["manager"]))).json()
    assert body["health"] == "on_track" and body["health_reasons"][0]["code"] == "recent_session"
    assert body["health_changed_at"] is not None

    await _missed(uow_factory, world, tandem, 1)
    await _missed(uow_factory, world, tandem, 3)
    body = (await client.get(url, headers=bearer(world["manager"]))).json()
    assert body["health"] == "at_risk" and body["health_reason"] == "2 sessions were missed"

    done = await tandems.complete_tandem(uow_factory(), world["manager"], tandem.id)
    assert done.health is None  # the command's answer carries the new (absent) health
    body = (await client.get(url, headers=bearer(world["manager"]))).json()
    assert body["health"] is None and body["health_reasons"] == []

    events = await _health_events(engine, tandem.id)
    moves = [(e["from"], e["to"]) for e in events]
    assert moves == [("too_early", "on_track"), ("on_track", "at_risk"), ("at_risk", None)]
    assert events[1]["program_id"] == str(world["program"].id) and events[1]["tandem_id"] == str(tandem.id)
    assert events[1]["reasons"][0]["code"] == "missed_sessions"


async def test_a_failed_fit_check_shows_in_the_filtered_lists_of_rest_and_graphql(client, bearer, uow_factory) -> None:
    world, tandem = await running(uow_factory)
    await held(uow_factory, world, tandem)
    await tandems.answer_fit_check(uow_factory(), member(world["mentee"]), tandem.id, fits=False)
    url = f"/v1/programs/{world['program'].id}/tandems"
    headers = bearer(world["manager"])

    at_risk = (await client.get(url, params={"health": "at_risk", "rematch_flagged": "true"}, headers=headers)).json()
    assert [t["id"] for t in at_risk["items"]] == [str(tandem.id)]
    assert at_risk["items"][0]["health_reasons"][0]["code"] == "failed_fit_check"
    assert (await client.get(url, params={"health": "on_track"}, headers=headers)).json()["items"] == []
    assert (await client.get(url, params={"rematch_flagged": "false"}, headers=headers)).json()["items"] == []
    problem(await client.get(url, params={"health": "sick"}, headers=headers), 422)

    query = """query($p: UUID!, $h: HealthStatus) { tandems(programId: $p, health: $h, rematchFlagged: true) {
        edges { node { id health { status reason reasons { code message } changedAt } } } } }"""
    found = await data(client, headers, query, p=str(world["program"].id), h="AT_RISK")
    [edge] = found["tandems"]["edges"]
    assert edge["node"]["id"] == str(tandem.id) and edge["node"]["health"]["status"] == "at_risk"
    assert edge["node"]["health"]["reasons"][0]["code"] == "failed_fit_check"
    none = await data(client, headers, query, p=str(world["program"].id), h="ON_TRACK")
    assert none["tandems"]["edges"] == []


async def test_the_sweep_moves_health_as_time_passes_once_however_many_sweeps_run(uow_factory, engine) -> None:
    world, tandem = await running(uow_factory)
    await held(uow_factory, world, tandem)  # ended about two days ago
    later = utcnow() + timedelta(days=20)  # 22 days after the session: a check-in is due

    first, second = await asyncio.gather(
        health.sweep(uow_factory, now=later, batch=3), health.sweep(uow_factory, now=later, batch=3)
    )
    assert first.changed + second.changed >= 1
    async with engine.connect() as conn:
        row = (await conn.execute(select(tandem_table).where(tandem_table.c.id == tandem.id))).mappings().one()
    assert row["health"] == "needs_check_in" and row["health_reasons"][0]["code"] == "no_recent_session"
    events = await _health_events(engine, tandem.id)
    assert [(e["from"], e["to"]) for e in events] == [("too_early", "on_track"), ("on_track", "needs_check_in")]

    again = await health.sweep(uow_factory, now=later + timedelta(days=1))  # same band: nothing to write
    assert len(await _health_events(engine, tandem.id)) == 2
    assert again.assessed >= 1
    await health.sweep(uow_factory, now=later + timedelta(days=25))  # 47 days: at risk
    assert [e["to"] for e in await _health_events(engine, tandem.id)][-1] == "at_risk"
