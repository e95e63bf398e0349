"""A person's calendar feed, its secret links and the invitation on scheduling, parsed back with icalendar."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar

from app.services import people, sessions
from tests.api.helpers import problem
from tests.api.tandem_world import running, scheduled
from tests.factories import member, new_org


def _future(days: int = 7) -> datetime:
    return (datetime.now(UTC) + timedelta(days=days)).replace(microsecond=0)


def events_of(body: bytes) -> dict[str, object]:
    calendar = Calendar.from_ical(body)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


async def test_the_feed_holds_every_session_with_a_stable_uid_its_sequence_and_time_zone(
    client, bearer, uow_factory
) -> None:
    world, tandem = await running(uow_factory)
    berlin = people.ProfileChanges(timezone="Europe/Berlin")
    world["mentee"] = await people.update_person(uow_factory(), world["manager"], world["mentee"].id, berlin)
    mentor = member(world["mentor"])
    kept = await scheduled(uow_factory, world, tandem, _future())
    moved = await scheduled(uow_factory, world, tandem, _future(9))
    dropped = await scheduled(uow_factory, world, tandem, _future(11))
    url = f"/v1/people/{world['mentee'].id}/calendar.ics"
    before = events_of((await client.get(url, headers=bearer(member(world["mentee"])))).content)

    later = _future(10)
    await sessions.reschedule_session(
        uow_factory(), mentor, moved.id, sessions.SessionChanges(starts_at=later, video_link="https://meet.example/x")
    )
    await sessions.cancel_session(uow_factory(), mentor, dropped.id)
    response = await client.get(url, headers=bearer(world["manager"]))
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    after = events_of(response.content)

    uids = {f"{s.id}@tandem" for s in (kept, moved, dropped)}
    assert set(before) == set(after) == uids
    zone = ZoneInfo(world["mentee"].timezone)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    for event in after.values():
        assert event.decoded("DTSTART").tzinfo is not None
        assert str(event["DTSTART"].params["TZID"]) == world["mentee"].timezone
        start = event.decoded("DTSTART")
        assert start.utcoffset() == start.astimezone(zone).utcoffset()
    m = after[f"{moved.id}@tandem"]
    assert m.decoded("DTSTART") == later and int(m["SEQUENCE"]) > int(before[f"{moved.id}@tandem"]["SEQUENCE"])
    assert str(m["LOCATION"]) == "https://meet.example/x"
    assert int(after[f"{kept.id}@tandem"]["SEQUENCE"]) == int(before[f"{kept.id}@tandem"]["SEQUENCE"]) == 0
    assert str(after[f"{dropped.id}@tandem"]["STATUS"]) == "CANCELLED"
    assert str(after[f"{kept.id}@tandem"]["STATUS"]) == "CONFIRMED"
    assert world["mentor"].display_name in str(after[f"{kept.id}@tandem"]["SUMMARY"])


async def test_a_calendar_link_opens_the_feed_without_authorization_until_it_is_revoked(
    client, bearer, uow_factory
) -> None:
    world, tandem = await running(uow_factory)
    session = await scheduled(uow_factory, world, tandem, _future())
    mentee = bearer(member(world["mentee"]))
    links = f"/v1/people/{world['mentee'].id}/calendar-links"
    created = await client.post(links, headers=mentee)
    assert created.status_code == 201, created.text
    # the token opens the person's sessions: neither a cache nor the Idempotency-Key store may keep it
    assert (created.headers["cache-control"], created.headers["pragma"]) == ("no-store", "no-cache")
    issued = created.json()
    token = issued["token"]
    assert issued["feed_url"].endswith(f"/v1/people/{world['mentee'].id}/calendar.ics?token={token}")

    feed = await client.get(f"/v1/people/{world['mentee'].id}/calendar.ics", params={"token": token})
    assert feed.status_code == 200, feed.text
    assert f"{session.id}@tandem" in events_of(feed.content)
    listed = (await client.get(links, headers=bearer(world["manager"]))).json()["items"]
    assert [link["id"] for link in listed] == [issued["id"]] and "token" not in listed[0]

    async with uow_factory() as uow:  # only the digest is stored
        stored = [row.token_digest for row in await uow.calendar_links.of_person(world["org"].id, world["mentee"].id)]
    assert stored == [hashlib.sha256(token.encode()).hexdigest()]

    other_person = f"/v1/people/{world['mentor'].id}/calendar.ics"
    problem(await client.get(other_person, params={"token": token}), 404, "calendar_feed_not_found")
    problem(await client.get(f"/v1/people/{world['mentee'].id}/calendar.ics", params={"token": "x" * 43}), 404)
    problem(await client.get(f"/v1/people/{world['mentee'].id}/calendar.ics"), 401)

    assert (await client.delete(f"{links}/{issued['id']}", headers=mentee)).status_code == 204
    gone = await client.get(f"/v1/people/{world['mentee'].id}/calendar.ics", params={"token": token})
    problem(gone, 404, "calendar_feed_not_found")
    problem(await client.delete(f"{links}/{issued['id']}", headers=mentee), 404, "calendar_link_not_found")


async def test_only_the_person_and_managers_reach_a_calendar(client, bearer, uow_factory) -> None:
    world, _ = await running(uow_factory)
    mentee_id = world["mentee"].id
    mentor = bearer(member(world["mentor"]))
    _, other_manager = await new_org(uow_factory)
    for method, path in (
        ("GET", f"/v1/people/{mentee_id}/calendar.ics"),
        ("POST", f"/v1/people/{mentee_id}/calendar-links"),
        ("GET", f"/v1/people/{mentee_id}/calendar-links"),
    ):
        problem(await client.request(method, path, headers=mentor), 403, "not_your_profile")
        problem(await client.request(method, path, headers=bearer(other_manager)), 404, "person_not_found")


async def test_scheduling_answers_an_invitation_when_asked_for_text_calendar(client, bearer, uow_factory) -> None:
    world, tandem = await running(uow_factory)
    body = {"starts_at": _future().isoformat(), "duration_minutes": 45, "format": "on_site", "location": "HQ"}
    headers = bearer(member(world["mentor"])) | {"Accept": "text/calendar"}
    response = await client.post(f"/v1/tandems/{tandem.id}/sessions", json=body, headers=headers)
    assert response.status_code == 201, response.text
    assert response.headers["content-type"].startswith("text/calendar") and response.headers["etag"] == '"1"'
    calendar = Calendar.from_ical(response.content)
    [event] = calendar.walk("VEVENT")
    session_id = response.headers["location"].rsplit("/", 1)[1]
    assert str(calendar["METHOD"]) == "REQUEST" and str(event["UID"]) == f"{session_id}@tandem"
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=45)
    assert str(event["LOCATION"]) == "HQ" and int(event["SEQUENCE"]) == 0
