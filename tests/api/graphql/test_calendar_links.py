"""Calendar links through GraphQL: the same use cases, codes and statuses as REST's
/v1/people/{person_id}/calendar-links; the feed itself stays REST (iCalendar text)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from tests.api.graphql.commands import PROBLEM, mutate, ok, refused, rest
from tests.api.graphql.helpers import data, gql
from tests.api.helpers import problem
from tests.api.tandem_world import running, scheduled
from tests.factories import member, new_org

LINK_FIELDS = "id personId createdAt"
CREATE = f"""mutation($person: UUID!) {{ createCalendarLink(personId: $person) {{
  __typename ... on IssuedCalendarLink {{ token feedUrl link {{ {LINK_FIELDS} }} }} {PROBLEM} }} }}"""
REVOKE = f"""mutation($person: UUID!, $link: UUID!) {{ revokeCalendarLink(personId: $person, linkId: $link) {{
  __typename ... on RevokedCalendarLink {{ id personId }} {PROBLEM} }} }}"""
LINKS = f"""query($person: UUID!) {{ calendarLinks(personId: $person) {{ {LINK_FIELDS} }} }}"""


def _feed(person_id: object) -> str:
    return f"/v1/people/{person_id}/calendar.ics"


async def test_a_person_creates_lists_and_revokes_a_link_whose_token_is_shown_once(client, bearer, uow_factory) -> None:
    world, tandem = await running(uow_factory)
    session = await scheduled(uow_factory, world, tandem, datetime.now(UTC) + timedelta(days=3))
    mentee_id = world["mentee"].id
    mentee = bearer(member(world["mentee"]))

    response = await client.post(
        "/graphql", json={"query": CREATE, "variables": {"person": str(mentee_id)}}, headers=mentee
    )
    assert response.status_code == 200, response.text
    # the token opens the person's sessions: no cache may keep the answer
    assert (response.headers["cache-control"], response.headers["pragma"]) == ("no-store", "no-cache")
    issued = ok(response.json()["data"]["createCalendarLink"], "IssuedCalendarLink")
    token, link = issued["token"], issued["link"]
    assert link["personId"] == str(mentee_id)
    assert issued["feedUrl"].endswith(f"{_feed(mentee_id)}?token={token}")
    async with uow_factory() as uow:  # only the digest is stored, as over REST
        stored = [row.token_digest for row in await uow.calendar_links.of_person(world["org"].id, mentee_id)]
    assert stored == [hashlib.sha256(token.encode()).hexdigest()]

    feed = await client.get(_feed(mentee_id), params={"token": token})  # no Authorization: the token is enough
    assert feed.status_code == 200 and f"UID:{session.id}@tandem" in feed.text

    for reader in (mentee, bearer(world["manager"])):
        listed = (await data(client, reader, LINKS, person=str(mentee_id)))["calendarLinks"]
        assert listed == [link]  # the link as created, and never its token
    assert [item["id"] for item in (await rest(client, mentee, f"/v1/people/{mentee_id}/calendar-links"))["items"]] == [
        link["id"]
    ]

    revoked = ok(await mutate(client, mentee, REVOKE, person=str(mentee_id), link=link["id"]), "RevokedCalendarLink")
    assert revoked == {"__typename": "RevokedCalendarLink", "id": link["id"], "personId": str(mentee_id)}
    problem(await client.get(_feed(mentee_id), params={"token": token}), 404, "calendar_feed_not_found")
    assert (await data(client, mentee, LINKS, person=str(mentee_id)))["calendarLinks"] == []
    again = await mutate(client, mentee, REVOKE, person=str(mentee_id), link=link["id"])
    refused(again, 404, "calendar_link_not_found")


async def test_another_organization_finds_neither_the_person_nor_their_links(client, bearer, uow_factory) -> None:
    world, _ = await running(uow_factory)
    mentee_id = str(world["mentee"].id)
    link = ok(await mutate(client, bearer(world["manager"]), CREATE, person=mentee_id), "IssuedCalendarLink")["link"]
    _, other_manager = await new_org(uow_factory)
    stranger = bearer(other_manager)

    body = await gql(client, stranger, LINKS, person=mentee_id)
    assert body["data"] is None
    [error] = body["errors"]
    assert (error["extensions"]["status"], error["extensions"]["code"]) == (404, "person_not_found")
    refused(await mutate(client, stranger, CREATE, person=mentee_id), 404, "person_not_found")
    refused(await mutate(client, stranger, REVOKE, person=mentee_id, link=link["id"]), 404, "person_not_found")
    # nothing was created nor revoked for the stranger: the manager still sees exactly the one link
    listed = (await data(client, bearer(world["manager"]), LINKS, person=mentee_id))["calendarLinks"]
    assert [item["id"] for item in listed] == [link["id"]]


async def test_a_member_cannot_reach_someone_elses_calendar_links(client, bearer, uow_factory) -> None:
    world, _ = await running(uow_factory)
    mentee_id = str(world["mentee"].id)
    link = ok(await mutate(client, bearer(world["manager"]), CREATE, person=mentee_id), "IssuedCalendarLink")["link"]
    mentor = bearer(member(world["mentor"]))  # the mentee's own mentor is still someone else

    body = await gql(client, mentor, LINKS, person=mentee_id)
    assert body["data"] is None
    [error] = body["errors"]
    assert (error["extensions"]["status"], error["extensions"]["code"]) == (403, "not_your_profile")
    refused(await mutate(client, mentor, CREATE, person=mentee_id), 403, "not_your_profile")
    refused(await mutate(client, mentor, REVOKE, person=mentee_id, link=link["id"]), 403, "not_your_profile")
    async with uow_factory() as uow:
        assert len(await uow.calendar_links.of_person(world["org"].id, world["mentee"].id)) == 1
