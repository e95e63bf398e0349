"""The reads GraphQL shares with REST for tenants, people, partners and events: the same data as
REST's answer, null (or REST's error, for a list) for another tenant or a role that may not see it."""

from __future__ import annotations

import asyncio
import uuid
from datetime import time
from typing import Any

from app.domain.access import Caller, Role, Scope
from app.domain.availability import WeeklyWindow
from app.services import partner_mentors, partners, people, sessions
from tests.api.graphql.helpers import data, gql
from tests.api.tandem_world import held, running
from tests.factories import PLATFORM_ADMIN, member, new_org, new_person, pair_world

ORGANIZATION = """query($id: UUID!) { organization(id: $id) {
    id name slug version ssoSettings { issuer clientId clientSecretSet roleMapping { claimValue role } defaultRole }
} }"""
ORGANIZATIONS = "{ organizations(first: 200) { edges { node { id } } pageInfo { hasNextPage } } }"
SSO = "query($id: UUID!) { ssoSettings(orgId: $id) { orgId issuer clientId clientSecretSet allowedEmailDomains } }"
PEOPLE = """query($after: String) { people(first: 2, after: $after) {
    edges { node { id displayName availability { timezone windows { weekday start end } } } }
    pageInfo { hasNextPage endCursor } } }"""
AVAILABILITY = """query($id: UUID!) { availability(personId: $id) {
    personId version timezone windows { weekday start end } } }"""
EXPORT = """query($id: UUID!) { personExport(id: $id) {
    person { id } availability { personId } accounts { email }
    enrollments { id } tandems { id history { toStatus } } sessions { id feedback { authorPersonId rating } }
    goals { id } preferences { choice } } }"""


def _admin(org_id: uuid.UUID) -> Caller:
    return Caller(uuid.uuid4(), Role.ORG_ADMIN, org_id=org_id)


def _errors(body: dict[str, Any]) -> list[tuple[int, str]]:
    return [(e["extensions"]["status"], e["extensions"]["code"]) for e in body.get("errors") or []]


# --- organizations and their SSO settings -----------------------------------------------------


async def test_an_organization_reads_as_rest_answers_it_with_its_sso_for_admins(client, bearer, uow_factory) -> None:
    org, manager = await new_org(uow_factory)
    admin = _admin(org.id)
    configure = """mutation($id: UUID!) { configureSso(orgId: $id, sso: {issuer: "https://idp.example.com",
        clientId: "tandem", clientSecret: "s3cret", allowedEmailDomains: ["example.com"],
        roleMapping: [{claimValue: "managers", role: PROGRAM_MANAGER}]}) { __typename } }"""
    assert (await data(client, bearer(admin), configure, id=str(org.id)))["configureSso"]["__typename"] == "Sso"
    read = (await data(client, bearer(admin), ORGANIZATION, id=str(org.id)))["organization"]
    rest = (await client.get(f"/v1/organizations/{org.id}", headers=bearer(admin))).json()
    assert {k: read[k] for k in ("id", "name", "slug")} == {k: rest[k] for k in ("id", "name", "slug")}
    assert read["ssoSettings"] == {
        "issuer": "https://idp.example.com",
        "clientId": "tandem",
        "clientSecretSet": True,
        "roleMapping": [{"claimValue": "managers", "role": "PROGRAM_MANAGER"}],
        "defaultRole": "MEMBER",
    }
    top = (await data(client, bearer(admin), SSO, id=str(org.id)))["ssoSettings"]
    assert top["allowedEmailDomains"] == ["example.com"] and top["orgId"] == str(org.id)
    assert "s3cret" not in str(read) + str(top)
    # a program manager reads the organization but not its SSO settings (REST: 403)
    as_manager = (await data(client, bearer(manager), ORGANIZATION, id=str(org.id)))["organization"]
    assert as_manager["id"] == str(org.id) and as_manager["ssoSettings"] is None
    assert (await data(client, bearer(manager), SSO, id=str(org.id))) == {"ssoSettings": None}


async def test_another_tenants_organization_and_sso_are_null(client, bearer, uow_factory) -> None:
    org, _ = await new_org(uow_factory)
    other, _ = await new_org(uow_factory)
    stranger = bearer(_admin(other.id))
    assert (await data(client, stranger, ORGANIZATION, id=str(org.id))) == {"organization": None}
    assert (await data(client, stranger, SSO, id=str(org.id))) == {"ssoSettings": None}
    listed = (await data(client, stranger, ORGANIZATIONS))["organizations"]["edges"]
    assert [e["node"]["id"] for e in listed] == [str(other.id)]


async def test_a_platform_admin_lists_every_tenant_and_a_partner_is_refused(client, bearer, uow_factory) -> None:
    first, _ = await new_org(uow_factory)
    second, _ = await new_org(uow_factory)
    seen: set[str] = set()
    after: str | None = None
    query = """query($after: String) { organizations(first: 50, after: $after) {
        edges { node { id } } pageInfo { hasNextPage endCursor } } }"""
    while True:
        page = (await data(client, bearer(PLATFORM_ADMIN), query, after=after))["organizations"]
        seen |= {e["node"]["id"] for e in page["edges"]}
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert {str(first.id), str(second.id)} <= seen
    partner, _ = await _granted_partner(uow_factory, _admin(first.id))
    body = await gql(client, bearer(partner), ORGANIZATIONS)
    assert body["data"] is None and _errors(body) == [(403, "organization_token_required")]


# --- people, availability and the export --------------------------------------------------------


async def test_people_pages_through_the_organization_with_each_availability(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    manager = world["manager"]
    extra = await new_person(uow_factory, manager, birth_year=1975, timezone="Europe/Berlin")
    window = WeeklyWindow(0, time(9), time(12))
    await people.set_availability(uow_factory(), manager, extra.id, (window,))
    _, other_manager = await new_org(uow_factory)
    await new_person(uow_factory, other_manager, birth_year=1980)  # never listed in the first organization
    seen: list[dict[str, Any]] = []
    after: str | None = None
    while True:
        page = (await data(client, bearer(member(world["mentee"])), PEOPLE, after=after))["people"]
        seen += [e["node"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert [p["id"] for p in seen] == [str(world["mentor"].id), str(world["mentee"].id), str(extra.id)]
    assert seen[2]["availability"] == {
        "timezone": "Europe/Berlin",
        "windows": [{"weekday": 0, "start": "09:00", "end": "12:00"}],
    }
    body = await gql(client, bearer(PLATFORM_ADMIN), PEOPLE)
    assert _errors(body) == [(403, "organization_token_required")]


async def test_availability_reads_as_rest_answers_it_and_is_null_for_another_tenant(
    client, bearer, uow_factory
) -> None:
    world = await pair_world(uow_factory)
    mentor = world["mentor"]
    windows = (WeeklyWindow(1, time(8), time(10)), WeeklyWindow(3, time(14, 30), time(18)))
    await people.set_availability(uow_factory(), member(mentor), mentor.id, windows)
    as_member = bearer(member(world["mentee"]))  # members of the organization may read it, to find common slots
    read = (await data(client, as_member, AVAILABILITY, id=str(mentor.id)))["availability"]
    rest = (await client.get(f"/v1/people/{mentor.id}/availability", headers=as_member)).json()
    assert read["personId"] == rest["person_id"] and read["timezone"] == rest["timezone"]
    assert read["windows"] == rest["windows"]
    nested_query = "query($id: UUID!) { person(id: $id) { availability { windows { weekday } } } }"
    nested = await data(client, as_member, nested_query, id=str(mentor.id))
    assert nested["person"]["availability"]["windows"] == [{"weekday": 1}, {"weekday": 3}]
    _, other_manager = await new_org(uow_factory)
    assert (await data(client, bearer(other_manager), AVAILABILITY, id=str(mentor.id))) == {"availability": None}


async def test_a_person_exports_their_own_data_and_nobody_else_but_a_manager_may(client, bearer, uow_factory) -> None:
    world, tandem = await running(uow_factory)
    mentor, mentee = world["mentor"], world["mentee"]
    session = await held(uow_factory, world, tandem)
    await sessions.give_feedback(uow_factory(), member(mentor), session.id, rating=4, learned="patience")
    await sessions.give_feedback(uow_factory(), member(mentee), session.id, rating=5, learned="reels")
    mine = (await data(client, bearer(member(mentee)), EXPORT, id=str(mentee.id)))["personExport"]
    rest = (await client.get(f"/v1/people/{mentee.id}/export", headers=bearer(member(mentee)))).json()
    assert mine["person"]["id"] == str(mentee.id) and mine["availability"]["personId"] == str(mentee.id)
    assert [e["id"] for e in mine["enrollments"]] == [e["id"] for e in rest["enrollments"]]
    assert [t["id"] for t in mine["tandems"]] == [str(tandem.id)]
    assert [h["toStatus"] for h in mine["tandems"][0]["history"]] == ["PROPOSED", "ACTIVE"]
    # the other side's feedback is that person's data: the export holds the person's own only
    assert mine["sessions"] == [{"id": str(session.id), "feedback": [{"authorPersonId": str(mentee.id), "rating": 5}]}]
    assert (await data(client, bearer(world["manager"]), EXPORT, id=str(mentee.id)))["personExport"] is not None
    # a member asking for another person's export, and another tenant, get null (REST: 403 and 404)
    assert (await data(client, bearer(member(mentor)), EXPORT, id=str(mentee.id))) == {"personExport": None}
    _, other_manager = await new_org(uow_factory)
    assert (await data(client, bearer(other_manager), EXPORT, id=str(mentee.id))) == {"personExport": None}


# --- partners: a pool mentor and a grant --------------------------------------------------------


async def _granted_partner(uow_factory, admin: Caller) -> tuple[Caller, str]:
    issued = await partners.create_partner(uow_factory(), PLATFORM_ADMIN, name=f"Pool {uuid.uuid4().hex[:8]}")
    partner = issued.partner
    assert admin.org_id is not None
    await partners.grant_partner_access(uow_factory(), admin, admin.org_id, partner.id)
    scopes = frozenset({Scope.MENTORS_SYNC.value, Scope.MENTORS_READ.value})
    token = Caller(partner.id, Role.PARTNER, partner_id=partner.id, scopes=scopes, credential=partner.credential_tag)
    external_id = f"pool/{uuid.uuid4().hex[:8]}"
    row = {"external_id": external_id, "display_name": "Mia Pool", "birth_year": 1999, "languages": ("de",)}
    await partner_mentors.sync_partner_mentors(uow_factory(), token, partner.id, [row])
    return token, external_id


async def test_a_partner_reads_a_mentor_of_its_pool_and_nobody_else_does(client, bearer, uow_factory) -> None:
    org, _ = await new_org(uow_factory)
    token, external_id = await _granted_partner(uow_factory, _admin(org.id))
    query = """query($p: UUID!, $x: String!) { partnerMentor(partnerId: $p, externalId: $x) {
        externalId displayName enrolled placements { orgId stage } } }"""
    read = (await data(client, bearer(token), query, p=str(token.partner_id), x=external_id))["partnerMentor"]
    assert read["externalId"] == external_id and read["displayName"] == "Mia Pool" and read["enrolled"] is False
    assert [p["orgId"] for p in read["placements"]] == [str(org.id)]
    for bad in ("A\u0000B", "", "x" * 201):  # what no pool row can hold is a bad argument, never a 500
        body = await gql(client, bearer(token), query, p=str(token.partner_id), x=bad)
        assert _errors(body) == [(422, "invalid_external_id")]
    other, _ = await _granted_partner(uow_factory, _admin(org.id))
    for stranger in (other, _admin(org.id)):  # another partner; an org admin (REST: 404 and 403)
        assert (await data(client, bearer(stranger), query, p=str(token.partner_id), x=external_id)) == {
            "partnerMentor": None
        }


async def test_a_grant_reads_for_the_organizations_managers_only(client, bearer, uow_factory) -> None:
    org, manager = await new_org(uow_factory)
    admin = _admin(org.id)
    token, _ = await _granted_partner(uow_factory, admin)
    query = """query($o: UUID!, $p: UUID!) { partnerGrant(orgId: $o, partnerId: $p) {
        orgId partnerId partnerName grantedBy } }"""
    ids = {"o": str(org.id), "p": str(token.partner_id)}
    read = (await data(client, bearer(manager), query, **ids))["partnerGrant"]
    rest = (await client.get(f"/v1/organizations/{org.id}/partners/{token.partner_id}", headers=bearer(manager))).json()
    assert read == {
        "orgId": rest["org_id"],
        "partnerId": rest["partner_id"],
        "partnerName": rest["partner_name"],
        "grantedBy": str(admin.user_id),
    }
    person = await new_person(uow_factory, manager, birth_year=1990)
    other, _ = await new_org(uow_factory)
    for caller in (member(person), _admin(other.id)):
        assert (await data(client, bearer(caller), query, **ids)) == {"partnerGrant": None}
    nested = "{ partners { edges { node { id grant { orgId grantedBy } } } } }"
    [edge] = (await data(client, bearer(manager), nested))["partners"]["edges"]
    grant = {"orgId": str(org.id), "grantedBy": str(admin.user_id)}
    assert edge["node"] == {"id": str(token.partner_id), "grant": grant}
    [own] = (await data(client, bearer(token), nested))["partners"]["edges"]  # a partner belongs to no organization
    assert own["node"]["grant"] is None


# --- the event feed ---------------------------------------------------------------------------------


async def test_a_manager_reads_the_organizations_events_a_member_is_refused(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    query = """query($after: String) { events(first: 1, types: ["enrollment.created"], after: $after) {
        edges { cursor node { type subjectId orgId data } } pageInfo { hasNextPage endCursor } } }"""
    seen: list[dict[str, Any]] = []
    after: str | None = None
    for _ in range(300):  # an event shows once every older transaction ended
        page = (await data(client, bearer(world["manager"]), query, after=after))["events"]
        seen += [e["node"] for e in page["edges"]]
        after = page["pageInfo"]["endCursor"] or after
        if len(seen) >= 2:
            break
        await asyncio.sleep(0.02)
    assert [e["type"] for e in seen] == ["enrollment.created", "enrollment.created"]
    assert {e["subjectId"] for e in seen} == {str(world["mentor_e"].id), str(world["mentee_e"].id)}
    assert all(e["orgId"] == str(world["org"].id) and isinstance(e["data"], dict) for e in seen)
    body = await gql(client, bearer(member(world["mentee"])), "{ events { edges { cursor } } }")
    assert _errors(body) == [(403, "manager_required")]
    _, other_manager = await new_org(uow_factory)
    assert (await data(client, bearer(other_manager), "{ events { edges { cursor } } }"))["events"]["edges"] == []
