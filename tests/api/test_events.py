"""GET /v1/events over HTTP: the caller's own events, cursor-paged, filtered by type."""

from __future__ import annotations

import asyncio
import uuid

from app.domain.access import Caller, Role
from app.services import tandems
from tests.api.helpers import field_names, problem
from tests.api.tandem_world import proposed
from tests.factories import member, new_org, pair_world


async def _settled(client, url: str, headers: dict[str, str], params: dict[str, str], want: int) -> list[dict]:
    """The feed's items once ``want`` arrived: events show after every older transaction ended."""
    items: list[dict] = []
    for _ in range(300):
        page = (await client.get(url, params=params, headers=headers)).json()
        items += page["items"]
        params = params | {"after": page["next_cursor"]} if page["next_cursor"] else params
        if len(items) >= want:
            break
        await asyncio.sleep(0.02)
    return items


async def test_a_manager_reads_the_organizations_events_in_order_and_pages_on(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    manager = bearer(world["manager"])
    params = {"limit": "1", "types": "enrollment.created"}
    enrolled = await _settled(client, "/v1/events", manager, params, want=2)
    assert [e["type"] for e in enrolled] == ["enrollment.created", "enrollment.created"]
    assert {e["subject_id"] for e in enrolled} == {str(world["mentor_e"].id), str(world["mentee_e"].id)}
    assert all(e["org_id"] == str(world["program"].org_id) for e in enrolled)

    head = (await client.get("/v1/events", headers=manager)).json()
    tandem = await proposed(uow_factory, world)
    await tandems.decline_tandem(uow_factory(), member(world["mentee"]), tandem.id, reason="no")
    later = await _settled(client, "/v1/events", manager, {"after": head["next_cursor"]}, want=3)
    assert [(e["type"], e["subject_id"]) for e in later] == [
        ("tandem.proposed", str(tandem.id)),
        ("tandem.status_changed", str(tandem.id)),
        ("tandem.health_changed", str(tandem.id)),  # a closed tandem has no health
    ]
    assert later[1]["data"] == {"from": "proposed", "to": "declined"}
    assert (later[2]["data"]["from"], later[2]["data"]["to"]) == ("too_early", None)
    again = (await client.get("/v1/events", params={"after": head["next_cursor"]}, headers=manager)).json()
    assert [e["id"] for e in again["items"]] == [e["id"] for e in later], "ids are stable"


async def test_types_keep_only_the_named_events(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    await proposed(uow_factory, world)
    params = {"types": "tandem.proposed"}
    items = await _settled(client, "/v1/events", bearer(world["manager"]), params, want=1)
    assert [e["type"] for e in items] == ["tandem.proposed"]


async def test_nobody_else_sees_an_organizations_events(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    _, other_manager = await new_org(uow_factory)
    assert (await client.get("/v1/events", headers=bearer(other_manager))).json()["items"] == []
    problem(await client.get("/v1/events", headers=bearer(member(world["mentee"]))), 403, "manager_required")
    partner = Caller(uuid.uuid4(), Role.PARTNER, partner_id=uuid.uuid4(), scopes=frozenset({"mentors:read"}))
    # a partner token of a partner that does not exist is refused before any read
    assert (await client.get("/v1/events", headers=bearer(partner))).status_code == 401


async def test_a_bad_cursor_or_an_unknown_type_is_a_422_naming_it(client, bearer, uow_factory) -> None:
    _, manager = await new_org(uow_factory)
    headers = bearer(manager)
    bad_cursor = problem(await client.get("/v1/events", params={"after": "nope"}, headers=headers), 422)
    assert bad_cursor["code"] == "invalid_cursor" and field_names(bad_cursor) == {"after"}
    bad_type = problem(await client.get("/v1/events", params={"types": "tandem.eaten"}, headers=headers), 422)
    assert bad_type["code"] == "invalid_event_type" and field_names(bad_type) == {"types"}
