"""/v1/tandems/{tandem_id}/goals and /v1/goals over HTTP: the learning journey."""

from __future__ import annotations

import pytest

from app.services import goals, tandems
from tests.api.helpers import field_names, problem
from tests.api.tandem_world import EXPECTED, running, strangers
from tests.factories import member


async def test_the_mentee_adds_a_goal_and_everyone_in_the_tandem_sees_it(client, bearer, uow_factory) -> None:
    world, tandem = await running(uow_factory)
    mentee = bearer(member(world["mentee"]))
    body = {"title": "How does TikTok work?", "description": "and why my kids love it"}
    created = await client.post(f"/v1/tandems/{tandem.id}/goals", json=body, headers=mentee)
    assert created.status_code == 201 and created.headers["etag"] == '"1"'
    goal = created.json()
    assert created.headers["location"] == f"/v1/goals/{goal['id']}"
    assert (goal["tandem_id"], goal["title"], goal["status"]) == (str(tandem.id), body["title"], "open")

    for caller in (world["manager"], member(world["mentor"])):
        page = (await client.get(f"/v1/tandems/{tandem.id}/goals", headers=bearer(caller))).json()
        assert [g["id"] for g in page["items"]] == [goal["id"]] and page["next_cursor"] is None
    fetched = await client.get(f"/v1/goals/{goal['id']}", headers=bearer(member(world["mentor"])))
    assert fetched.json() == goal and fetched.headers["etag"] == '"1"'


async def test_goals_page_with_a_cursor(client, bearer, uow_factory) -> None:
    world, tandem = await running(uow_factory)
    for title in ("TikTok", "Employer branding", "Remote work"):
        await goals.add_goal(uow_factory(), world["manager"], tandem.id, title=title)
    url, headers = f"/v1/tandems/{tandem.id}/goals", bearer(world["manager"])
    first = (await client.get(url, params={"limit": 2}, headers=headers)).json()
    rest = (await client.get(url, params={"limit": 2, "cursor": first["next_cursor"]}, headers=headers)).json()
    assert [g["title"] for g in first["items"] + rest["items"]] == ["TikTok", "Employer branding", "Remote work"]
    assert rest["next_cursor"] is None


async def test_a_goal_moves_along_its_journey_under_if_match(client, bearer, uow_factory) -> None:
    world, tandem = await running(uow_factory)
    goal = await goals.add_goal(uow_factory(), world["manager"], tandem.id, title="TikTok")
    url, mentee = f"/v1/goals/{goal.id}", bearer(member(world["mentee"]))

    started = await client.patch(url, json={"status": "in_progress"}, headers=mentee | {"If-Match": '"1"'})
    assert started.status_code == 200 and started.headers["etag"] == '"2"'
    stale = await client.patch(url, json={"title": "Instagram"}, headers=mentee | {"If-Match": '"1"'})
    problem(stale, 412, "version_mismatch")
    done = await client.patch(
        url, json={"title": "TikTok and Reels", "status": "achieved"}, headers=mentee | {"If-Match": '"2"'}
    )
    assert (done.json()["title"], done.json()["status"]) == ("TikTok and Reels", "achieved")

    backwards = await client.patch(url, json={"status": "open"}, headers=mentee)
    problem(backwards, 409, "goal_invalid_transition")


async def test_bad_goal_fields_are_422_naming_them(client, bearer, uow_factory) -> None:
    world, tandem = await running(uow_factory)
    goal = await goals.add_goal(uow_factory(), world["manager"], tandem.id, title="TikTok")
    headers = bearer(world["manager"])
    blank = await client.post(f"/v1/tandems/{tandem.id}/goals", json={"title": "   "}, headers=headers)
    assert field_names(problem(blank, 422, "blank_value")) == {"title"}
    unknown = await client.patch(f"/v1/goals/{goal.id}", json={"status": "forgotten"}, headers=headers)
    assert field_names(problem(unknown, 422, "validation_failed")) == {"body.status"}
    extra = await client.patch(f"/v1/goals/{goal.id}", json={"priority": 5}, headers=headers)
    assert field_names(problem(extra, 422, "validation_failed")) == {"body.priority"}


async def test_a_closed_tandem_takes_no_new_goals(client, bearer, uow_factory) -> None:
    world, tandem = await running(uow_factory)
    await tandems.complete_tandem(uow_factory(), world["manager"], tandem.id)
    response = await client.post(
        f"/v1/tandems/{tandem.id}/goals", json={"title": "late"}, headers=bearer(world["manager"])
    )
    problem(response, 422, "tandem_closed")


@pytest.mark.parametrize("action", ["add", "list", "get", "update"])
async def test_nobody_outside_the_tandem_touches_its_goals(client, bearer, uow_factory, action) -> None:
    world, tandem = await running(uow_factory)
    goal = await goals.add_goal(uow_factory(), world["manager"], tandem.id, title="TikTok")
    method, url, body = {
        "add": ("post", f"/v1/tandems/{tandem.id}/goals", {"title": "mine now"}),
        "list": ("get", f"/v1/tandems/{tandem.id}/goals", None),
        "get": ("get", f"/v1/goals/{goal.id}", None),
        "update": ("patch", f"/v1/goals/{goal.id}", {"status": "dropped"}),
    }[action]
    for who, caller in (await strangers(uow_factory, world)).items():
        kwargs = {"json": body} if body is not None else {}
        problem(await client.request(method, url, headers=bearer(caller), **kwargs), EXPECTED[who])
    assert (await goals.get_goal(uow_factory(), world["manager"], goal.id)).status.value == "open"
