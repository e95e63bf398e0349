"""/v1/tandems/{tandem_id}/sessions and /v1/sessions over HTTP: meetings, life cycle, feedback."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from app.domain.goal import GoalStatus
from app.services import goals, sessions
from tests.api.helpers import field_names, problem
from tests.api.tandem_world import EXPECTED, held, proposed, running, scheduled, strangers
from tests.factories import active_tandem, member, pair_world, past


def _future(days: int = 7) -> datetime:
    return (datetime.now(UTC) + timedelta(days=days)).replace(microsecond=0)


def _meeting(**fields: object) -> dict[str, object]:
    return {"starts_at": _future().isoformat(), "duration_minutes": 60, "format": "video_call"} | fields


async def test_a_participant_schedules_a_session_and_both_see_it(client, bearer, uow_factory) -> None:
    world, tandem = await running(uow_factory)
    body = _meeting(
        starts_at=_future().astimezone().isoformat(),  # any offset is fine; it is stored as UTC
        video_link="https://meet.example/abc",
        agenda="How the social media team plans a campaign",
    )
    created = await client.post(f"/v1/tandems/{tandem.id}/sessions", json=body, headers=bearer(member(world["mentor"])))
    assert created.status_code == 201 and created.headers["etag"] == '"1"'
    session = created.json()
    assert created.headers["location"] == f"/v1/sessions/{session['id']}"
    assert datetime.fromisoformat(session["starts_at"]) == datetime.fromisoformat(body["starts_at"])
    assert (session["status"], session["format"], session["duration_minutes"]) == ("scheduled", "video_call", 60)
    assert session["video_link"] == "https://meet.example/abc" and session["feedback"] == []

    for caller in (member(world["mentee"]), world["manager"]):
        page = (await client.get(f"/v1/tandems/{tandem.id}/sessions", headers=bearer(caller))).json()
        assert [s["id"] for s in page["items"]] == [session["id"]]
        fetched = await client.get(f"/v1/sessions/{session['id']}", headers=bearer(caller))
        assert fetched.json() == session and fetched.headers["etag"] == '"1"'


async def test_a_time_without_offset_or_an_unknown_format_is_422_naming_the_field(client, bearer, uow_factory) -> None:
    world, tandem = await running(uow_factory)
    url, headers = f"/v1/tandems/{tandem.id}/sessions", bearer(world["manager"])
    naive = await client.post(url, json=_meeting(starts_at=_future().replace(tzinfo=None).isoformat()), headers=headers)
    assert field_names(problem(naive, 422, "validation_failed")) == {"body.starts_at"}
    pigeon = await client.post(url, json=_meeting(format="carrier_pigeon"), headers=headers)
    assert field_names(problem(pigeon, 422, "validation_failed")) == {"body.format"}
    too_long = await client.post(url, json=_meeting(duration_minutes=13 * 60), headers=headers)
    assert field_names(problem(too_long, 422, "validation_failed")) == {"body.duration_minutes"}


async def test_sessions_lie_inside_the_program_period(client, bearer, uow_factory) -> None:
    world, tandem = await running(uow_factory)
    before = datetime.combine(world["program"].starts_on - timedelta(days=1), datetime.min.time(), UTC)
    response = await client.post(
        f"/v1/tandems/{tandem.id}/sessions",
        json=_meeting(starts_at=before.isoformat()),
        headers=bearer(world["manager"]),
    )
    assert field_names(problem(response, 422, "outside_program_period")) == {"starts_at"}


async def test_sessions_are_for_active_tandems_of_running_programs(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory, status="running")
    waiting = await proposed(uow_factory, world)
    response = await client.post(
        f"/v1/tandems/{waiting.id}/sessions", json=_meeting(), headers=bearer(world["manager"])
    )
    problem(response, 422, "tandem_not_active")

    early_world = await pair_world(uow_factory, status="matching")
    early = await active_tandem(uow_factory, early_world)
    response = await client.post(
        f"/v1/tandems/{early.id}/sessions", json=_meeting(), headers=bearer(early_world["manager"])
    )
    problem(response, 422, "program_not_running")


async def test_two_reschedules_of_the_same_version_let_exactly_one_win(client, bearer, uow_factory) -> None:
    world, tandem = await running(uow_factory)
    session = await scheduled(uow_factory, world, tandem, _future())
    headers = bearer(member(world["mentee"])) | {"If-Match": '"1"'}
    responses = await asyncio.gather(
        *(
            client.patch(f"/v1/sessions/{session.id}", json={"starts_at": _future(days).isoformat()}, headers=headers)
            for days in (8, 9)
        )
    )
    assert sorted(r.status_code for r in responses) == [200, 412]
    winner = next(r for r in responses if r.status_code == 200)
    assert winner.headers["etag"] == '"2"'
    problem(next(r for r in responses if r.status_code == 412), 412, "version_mismatch")


async def test_rescheduling_keeps_the_session_scheduled_and_inside_the_period(client, bearer, uow_factory) -> None:
    world, tandem = await running(uow_factory)
    session = await scheduled(uow_factory, world, tandem, _future())
    url, headers = f"/v1/sessions/{session.id}", bearer(world["manager"])
    moved = await client.patch(url, json={"format": "on_site", "location": "HQ, 5th floor"}, headers=headers)
    assert (moved.json()["status"], moved.json()["format"], moved.json()["location"]) == (
        "scheduled",
        "on_site",
        "HQ, 5th floor",
    )
    far = _future(400).isoformat()
    problem(await client.patch(url, json={"starts_at": far}, headers=headers), 422, "outside_program_period")

    done = await held(uow_factory, world, tandem)
    late = await client.patch(f"/v1/sessions/{done.id}", json={"agenda": "too late"}, headers=headers)
    problem(late, 422, "session_not_scheduled")


async def test_a_session_is_held_once_it_has_started(client, bearer, uow_factory) -> None:
    world, tandem = await running(uow_factory)
    goal = await goals.add_goal(uow_factory(), world["manager"], tandem.id, title="TikTok")
    mentor = bearer(member(world["mentor"]))
    upcoming = await scheduled(uow_factory, world, tandem, _future())
    problem(await client.post(f"/v1/sessions/{upcoming.id}/hold", headers=mentor), 422, "session_not_started")

    started = await scheduled(uow_factory, world, tandem, past(1))
    stale = await client.post(f"/v1/sessions/{started.id}/hold", headers=mentor | {"If-Match": '"7"'})
    problem(stale, 412, "version_mismatch")
    body = {"notes": "We made a first Reel", "goals_covered": [str(goal.id)]}
    done = await client.post(f"/v1/sessions/{started.id}/hold", json=body, headers=mentor | {"If-Match": '"1"'})
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["notes"], done.json()["goals_covered"]) == (
        "held",
        body["notes"],
        body["goals_covered"],
    )
    again = await client.post(f"/v1/sessions/{started.id}/hold", headers=mentor)
    problem(again, 409, "session_invalid_transition")


async def test_a_session_is_cancelled_any_time_and_missed_only_once_started(client, bearer, uow_factory) -> None:
    world, tandem = await running(uow_factory)
    mentee = bearer(member(world["mentee"]))
    upcoming = await scheduled(uow_factory, world, tandem, _future())
    problem(await client.post(f"/v1/sessions/{upcoming.id}/miss", headers=mentee), 422, "session_not_started")
    cancelled = await client.post(f"/v1/sessions/{upcoming.id}/cancel", headers=mentee | {"If-Match": '"1"'})
    assert cancelled.json()["status"] == "cancelled"
    problem(await client.post(f"/v1/sessions/{upcoming.id}/cancel", headers=mentee), 409, "session_invalid_transition")

    started = await scheduled(uow_factory, world, tandem, past(1))
    problem(await client.post(f"/v1/sessions/{started.id}/miss", headers=mentee | {"If-Match": '"2"'}), 412)
    missed = await client.post(f"/v1/sessions/{started.id}/miss", headers=bearer(world["manager"]))
    assert missed.status_code == 200 and missed.json()["status"] == "missed"


async def test_each_side_gives_feedback_once_on_a_held_session(client, bearer, uow_factory) -> None:
    world, tandem = await running(uow_factory)
    mentor, mentee = bearer(member(world["mentor"])), bearer(member(world["mentee"]))
    upcoming = await scheduled(uow_factory, world, tandem, _future())
    early = await client.put(f"/v1/sessions/{upcoming.id}/feedback", json={"rating": 4}, headers=mentee)
    problem(early, 422, "session_not_held")

    session = await held(uow_factory, world, tandem)
    url = f"/v1/sessions/{session.id}/feedback"
    off_scale = await client.put(url, json={"rating": 6}, headers=mentee)
    assert field_names(problem(off_scale, 422, "invalid_rating")) == {"rating"}
    problem(await client.put(url, json={"rating": 5}, headers=bearer(world["manager"])), 403, "participant_required")

    mine = {"rating": 5, "learned": "how the For You feed works", "comment": "eye-opening"}
    given = await client.put(url, json=mine, headers=mentee)
    assert given.status_code == 200
    assert [(f["side"], f["rating"], f["learned"]) for f in given.json()["feedback"]] == [
        ("mentee", 5, mine["learned"])
    ]
    problem(await client.put(url, json={"rating": 1}, headers=mentee), 409, "feedback_already_given")
    await client.put(url, json={"rating": 4, "learned": "patience"}, headers=mentor)

    seen = (await client.get(f"/v1/sessions/{session.id}", headers=mentee)).json()
    assert sorted((f["side"], f["rating"]) for f in seen["feedback"]) == [("mentee", 5), ("mentor", 4)]


ACTIONS = {
    "schedule": ("post", "/v1/tandems/{tandem}/sessions", "meeting"),
    "list": ("get", "/v1/tandems/{tandem}/sessions", None),
    "get": ("get", "/v1/sessions/{session}", None),
    "reschedule": ("patch", "/v1/sessions/{session}", {"agenda": "mine now"}),
    "hold": ("post", "/v1/sessions/{session}/hold", None),
    "cancel": ("post", "/v1/sessions/{session}/cancel", None),
    "miss": ("post", "/v1/sessions/{session}/miss", None),
    "feedback": ("put", "/v1/sessions/{session}/feedback", {"rating": 1}),
}


@pytest.mark.parametrize("action", list(ACTIONS))
async def test_nobody_outside_the_tandem_touches_its_sessions(client, bearer, uow_factory, action) -> None:
    world, tandem = await running(uow_factory)
    session = (
        await held(uow_factory, world, tandem)
        if action == "feedback"
        else await scheduled(uow_factory, world, tandem, past(1))
    )
    method, template, body = ACTIONS[action]
    url = template.format(tandem=tandem.id, session=session.id)
    for who, caller in (await strangers(uow_factory, world)).items():
        kwargs = {"json": _meeting() if body == "meeting" else body} if body is not None else {}
        problem(await client.request(method, url, headers=bearer(caller), **kwargs), EXPECTED[who])
    after = await sessions.get_session(uow_factory(), world["manager"], session.id)
    assert after.version == session.version and after.feedback == []


async def test_goals_covered_name_the_tandems_own_goals_and_a_held_session_moves_the_open_ones(
    client, bearer, uow_factory
) -> None:
    world, tandem = await running(uow_factory)
    manager, mentor = world["manager"], member(world["mentor"])
    first = await goals.add_goal(uow_factory(), manager, tandem.id, title="TikTok")
    done = await goals.add_goal(uow_factory(), manager, tandem.id, title="Employer branding")
    await goals.update_goal(uow_factory(), manager, done.id, status=GoalStatus.ACHIEVED)
    other_world, other_tandem = await running(uow_factory)
    foreign = await goals.add_goal(uow_factory(), other_world["manager"], other_tandem.id, title="Not ours")

    session = await scheduled(uow_factory, world, tandem, past(1))
    url, headers = f"/v1/sessions/{session.id}/hold", bearer(mentor)
    for strangers_ in ([str(foreign.id)], [str(first.id), str(uuid.uuid4())]):
        refused = await client.post(url, json={"goals_covered": strangers_}, headers=headers)
        assert field_names(problem(refused, 422, "goal_not_in_tandem")) == {"goals_covered"}
    assert (await goals.get_goal(uow_factory(), manager, first.id)).status is GoalStatus.OPEN

    covered = {"goals_covered": [str(first.id), str(done.id)]}
    assert (await client.post(url, json=covered, headers=headers)).status_code == 200
    moved, kept = [await goals.get_goal(uow_factory(), manager, g.id) for g in (first, done)]
    assert (moved.status, kept.status) == (GoalStatus.IN_PROGRESS, GoalStatus.ACHIEVED)
    feed = {"items": []}
    for _ in range(150):  # the feed shows an event once every older transaction has ended
        feed = (await client.get("/v1/events", params={"types": "goal.status_changed"}, headers=bearer(manager))).json()
        if len(feed["items"]) >= 2:
            break
        await asyncio.sleep(0.02)
    assert [(e["subject_id"], e["data"]["to"]) for e in feed["items"]] == [
        (str(done.id), "achieved"),
        (str(first.id), "in_progress"),
    ]

    feedback = f"/v1/sessions/{session.id}/feedback"
    wrong = await client.put(feedback, json={"rating": 4, "goals_covered": [str(foreign.id)]}, headers=headers)
    problem(wrong, 422, "goal_not_in_tandem")
    later = await goals.add_goal(uow_factory(), manager, tandem.id, title="Remote work")
    rated = await client.put(feedback, json={"rating": 4, "goals_covered": [str(later.id)]}, headers=headers)
    assert rated.status_code == 200
    assert (await goals.get_goal(uow_factory(), manager, later.id)).status is GoalStatus.IN_PROGRESS
