"""Organization, SSO, person and availability mutations: the same use cases, codes and statuses as REST."""

from __future__ import annotations

import uuid

from app.domain.access import Caller, Role
from tests.api.graphql.commands import PROBLEM, mutate, ok, refused, rest
from tests.factories import PLATFORM_ADMIN, member, new_org, new_person

ORGANIZATION = "... on Organization { id version name slug }"
PERSON = """... on Person { id version displayName email birthYear generation digitalNative bio interests
  languages department city timezone preferredFormats source externalId }"""
AVAILABILITY = "... on Availability { personId version timezone windows { weekday start end } }"

CREATE_ORG = f"""mutation($name: String!, $slug: String!) {{
  createOrganization(name: $name, slug: $slug) {{ __typename {ORGANIZATION} {PROBLEM} }} }}"""
RENAME_ORG = f"""mutation($id: UUID!, $name: String!, $v: Int) {{
  updateOrganization(id: $id, name: $name, expectedVersion: $v) {{ __typename {ORGANIZATION} {PROBLEM} }} }}"""
SSO = f"""mutation($orgId: UUID!, $sso: SsoInput!, $v: Int) {{
  configureSso(orgId: $orgId, sso: $sso, expectedVersion: $v) {{ __typename
    ... on Sso {{ orgId version issuer clientId clientSecretSet allowedEmailDomains roleClaim
      roleMapping {{ claimValue role }} defaultRole }}
    {PROBLEM} }} }}"""
CREATE_PERSON = f"""mutation($person: PersonInput!) {{
  createPerson(person: $person) {{ __typename {PERSON} {PROBLEM} }} }}"""
UPDATE_PERSON = f"""mutation($id: UUID!, $changes: PersonPatchInput!, $v: Int) {{
  updatePerson(id: $id, changes: $changes, expectedVersion: $v) {{ __typename {PERSON} {PROBLEM} }} }}"""
ERASE_PERSON = f"""mutation($id: UUID!, $v: Int) {{
  erasePerson(id: $id, expectedVersion: $v) {{ __typename {PERSON} {PROBLEM} }} }}"""
SET_AVAILABILITY = f"""mutation($personId: UUID!, $windows: [WindowInput!]!, $v: Int) {{
  setAvailability(personId: $personId, windows: $windows, expectedVersion: $v) {{
    __typename {AVAILABILITY} {PROBLEM} }} }}"""


def _slug() -> str:
    return f"gql-{uuid.uuid4().hex[:10]}"


def _admin_of(org_id: uuid.UUID) -> Caller:
    return Caller(user_id=uuid.uuid4(), role=Role.ORG_ADMIN, org_id=org_id)


async def test_a_platform_admin_creates_an_organization_with_a_free_slug(client, bearer, uow_factory) -> None:
    admin, slug = bearer(PLATFORM_ADMIN), _slug()
    created = ok(await mutate(client, admin, CREATE_ORG, name="Acme AG", slug=slug), "Organization")
    assert (created["name"], created["slug"], created["version"]) == ("Acme AG", slug, 1)
    stored = await rest(client, admin, f"/v1/organizations/{created['id']}")
    assert (stored["name"], stored["slug"]) == ("Acme AG", slug)

    refused(await mutate(client, admin, CREATE_ORG, name="Twin", slug=slug), 409, "slug_taken")
    bad = await mutate(client, admin, CREATE_ORG, name="Bad", slug="Not A Slug")
    assert refused(bad, 422, "validation_failed")["field"] == "slug"
    blank = await mutate(client, admin, CREATE_ORG, name="", slug=_slug())
    assert refused(blank, 422, "validation_failed")["field"] == "name"
    _, manager = await new_org(uow_factory)
    refused(
        await mutate(client, bearer(manager), CREATE_ORG, name="Mine", slug=_slug()), 403, "platform_admin_required"
    )


async def test_an_org_admin_renames_the_organization_with_its_version(client, bearer, uow_factory) -> None:
    org, manager = await new_org(uow_factory)
    admin = bearer(_admin_of(org.id))
    renamed = ok(await mutate(client, admin, RENAME_ORG, id=str(org.id), name="Acme Group", v=1), "Organization")
    assert (renamed["name"], renamed["slug"], renamed["version"]) == ("Acme Group", org.slug, 2)
    assert (await rest(client, admin, f"/v1/organizations/{org.id}"))["name"] == "Acme Group"

    refused(await mutate(client, admin, RENAME_ORG, id=str(org.id), name="Late", v=1), 412, "version_mismatch")
    refused(await mutate(client, bearer(manager), RENAME_ORG, id=str(org.id), name="No"), 403, "org_admin_required")
    other, _ = await new_org(uow_factory)
    elsewhere = await mutate(client, admin, RENAME_ORG, id=str(other.id), name="Taken over")
    refused(elsewhere, 404, "organization_not_found")


async def test_an_org_admin_configures_sso_and_the_secret_stays_write_only(client, bearer, uow_factory) -> None:
    org, manager = await new_org(uow_factory)
    admin = bearer(_admin_of(org.id))
    sso = {
        "issuer": "https://login.acme.example/realms/staff/",
        "clientId": "tandem",
        "clientSecret": "s3cr3t-value",
        "allowedEmailDomains": ["acme.example"],
        "roleMapping": [{"claimValue": "tandem-managers", "role": "PROGRAM_MANAGER"}],
    }
    stored = ok(await mutate(client, admin, SSO, orgId=str(org.id), sso=sso), "Sso")
    # kept exactly: OpenID matches the issuer character by character (a trailing slash included)
    assert stored["issuer"] == "https://login.acme.example/realms/staff/" and stored["clientSecretSet"] is True
    assert stored["roleMapping"] == [{"claimValue": "tandem-managers", "role": "PROGRAM_MANAGER"}]
    assert (stored["defaultRole"], stored["roleClaim"], stored["version"]) == ("MEMBER", "groups", 1)
    read = await rest(client, admin, f"/v1/organizations/{org.id}/sso")
    assert read["role_mapping"] == {"tandem-managers": "program_manager"} and "client_secret" not in read

    assert ok(await mutate(client, admin, SSO, orgId=str(org.id), sso=sso, v=1), "Sso")["version"] == 2
    refused(await mutate(client, admin, SSO, orgId=str(org.id), sso=sso, v=1), 412, "version_mismatch")
    ftp = await mutate(client, admin, SSO, orgId=str(org.id), sso=sso | {"issuer": "ftp://x"})
    assert refused(ftp, 422, "validation_failed")["field"] == "sso.issuer"
    granted = sso | {"roleMapping": [{"claimValue": "admins", "role": "PLATFORM_ADMIN"}]}
    refused(await mutate(client, admin, SSO, orgId=str(org.id), sso=granted), 422, "invalid_role")
    refused(await mutate(client, bearer(manager), SSO, orgId=str(org.id), sso=sso), 403, "org_admin_required")
    other, _ = await new_org(uow_factory)
    refused(await mutate(client, admin, SSO, orgId=str(other.id), sso=sso), 404, "organization_not_found")


async def test_a_manager_creates_a_person_and_the_generation_follows_the_birth_year(
    client, bearer, uow_factory
) -> None:
    _, manager = await new_org(uow_factory)
    headers, email = bearer(manager), f"{uuid.uuid4().hex[:8]}@acme.example"
    person = {
        "displayName": "Karin Schäfer",
        "birthYear": 1962,
        "email": email,
        "languages": ["de", "en"],
        "department": "Board",
        "timezone": "Europe/Berlin",
        "preferredFormats": ["ON_SITE", "SHADOWING_DAY"],
    }
    created = ok(await mutate(client, headers, CREATE_PERSON, person=person), "Person")
    assert (created["generation"], created["digitalNative"], created["source"]) == ("baby_boomers", False, "internal")
    assert created["preferredFormats"] == ["ON_SITE", "SHADOWING_DAY"] and created["languages"] == ["de", "en"]
    stored = await rest(client, headers, f"/v1/people/{created['id']}")
    assert (stored["display_name"], stored["email"], stored["department"]) == ("Karin Schäfer", email, "Board")

    refused(await mutate(client, headers, CREATE_PERSON, person=person), 409, "email_taken")
    future = person | {"email": None, "birthYear": 2999}
    refused(await mutate(client, headers, CREATE_PERSON, person=future), 422, "invalid_birth_year")
    long_name = person | {"email": None, "displayName": "x" * 201}
    assert refused(await mutate(client, headers, CREATE_PERSON, person=long_name), 422)["field"] == (
        "person.displayName"
    )
    many = person | {"email": None, "interests": [f"topic {i}" for i in range(51)]}
    assert refused(await mutate(client, headers, CREATE_PERSON, person=many), 422)["field"] == "person.interests"
    someone = await new_person(uow_factory, manager, birth_year=1990)
    as_member = await mutate(client, bearer(member(someone)), CREATE_PERSON, person=person | {"email": None})
    refused(as_member, 403, "manager_required")


async def test_a_member_edits_their_own_profile_only(client, bearer, uow_factory) -> None:
    _, manager = await new_org(uow_factory)
    me = await new_person(uow_factory, manager, birth_year=1999, department="Digital", city="Berlin")
    other = await new_person(uow_factory, manager, birth_year=1970)
    as_me = bearer(member(me))
    changes = {"bio": "I explain TikTok", "department": None, "interests": ["gaming"]}
    updated = ok(await mutate(client, as_me, UPDATE_PERSON, id=str(me.id), changes=changes, v=1), "Person")
    assert (updated["bio"], updated["department"], updated["city"]) == ("I explain TikTok", None, "Berlin")
    assert updated["version"] == 2
    stored = await rest(client, as_me, f"/v1/people/{me.id}")
    assert stored["department"] is None and stored["interests"] == ["gaming"]

    refused(await mutate(client, as_me, UPDATE_PERSON, id=str(me.id), changes={"bio": "x"}, v=1), 412)
    no_name = await mutate(client, as_me, UPDATE_PERSON, id=str(me.id), changes={"displayName": None})
    assert refused(no_name, 422, "validation_failed")["field"] == "changes.displayName"
    refused(await mutate(client, as_me, UPDATE_PERSON, id=str(other.id), changes={"bio": "x"}), 403, "not_your_profile")
    _, stranger = await new_org(uow_factory)
    refused(await mutate(client, bearer(stranger), UPDATE_PERSON, id=str(me.id), changes={}), 404, "person_not_found")


async def test_erasing_a_person_drops_the_personal_data(client, bearer, uow_factory) -> None:
    _, manager = await new_org(uow_factory)
    person = await new_person(uow_factory, manager, birth_year=1965, department="Board", bio="CFO")
    headers = bearer(manager)
    _, stranger = await new_org(uow_factory)
    refused(await mutate(client, bearer(stranger), ERASE_PERSON, id=str(person.id)), 404, "person_not_found")
    other = await new_person(uow_factory, manager, birth_year=1990)
    refused(await mutate(client, bearer(member(other)), ERASE_PERSON, id=str(person.id)), 403, "not_your_profile")
    refused(await mutate(client, headers, ERASE_PERSON, id=str(person.id), v=7), 412, "version_mismatch")

    erased = ok(await mutate(client, headers, ERASE_PERSON, id=str(person.id), v=1), "Person")
    assert erased["email"] is None and erased["department"] is None and erased["bio"] == ""
    assert erased["birthYear"] == 1965 and erased["displayName"] != person.display_name
    stored = await rest(client, headers, f"/v1/people/{person.id}")
    assert stored["erased_at"] is not None and stored["display_name"] == erased["displayName"]


async def test_a_person_sets_their_weekly_availability(client, bearer, uow_factory) -> None:
    _, manager = await new_org(uow_factory)
    me = await new_person(uow_factory, manager, birth_year=1999, timezone="Europe/Berlin")
    as_me = bearer(member(me))
    windows = [
        {"weekday": 1, "start": "17:00", "end": "18:00"},
        {"weekday": 1, "start": "17:30", "end": "19:00"},
        {"weekday": 4, "start": "08:00", "end": "09:30"},
    ]
    stored = ok(
        await mutate(client, as_me, SET_AVAILABILITY, personId=str(me.id), windows=windows, v=1), "Availability"
    )
    assert stored["windows"] == [
        {"weekday": 1, "start": "17:00", "end": "19:00"},
        {"weekday": 4, "start": "08:00", "end": "09:30"},
    ]
    assert (stored["timezone"], stored["version"]) == ("Europe/Berlin", 2)
    read = await rest(client, as_me, f"/v1/people/{me.id}/availability")
    assert read["windows"] == stored["windows"]

    stale = await mutate(client, as_me, SET_AVAILABILITY, personId=str(me.id), windows=[], v=1)
    refused(stale, 412, "version_mismatch")
    backwards = [{"weekday": 2, "start": "19:00", "end": "18:00"}]
    refused(
        await mutate(client, as_me, SET_AVAILABILITY, personId=str(me.id), windows=backwards), 422, "invalid_window"
    )
    sunday8 = [{"weekday": 7, "start": "09:00", "end": "10:00"}]
    assert (
        refused(await mutate(client, as_me, SET_AVAILABILITY, personId=str(me.id), windows=sunday8), 422)["field"]
        == "windows.0.weekday"
    )
    noon = [{"weekday": 2, "start": "12h", "end": "13:00"}]
    refused(await mutate(client, as_me, SET_AVAILABILITY, personId=str(me.id), windows=noon), 422, "validation_failed")
    other = await new_person(uow_factory, manager, birth_year=1970)
    refused(await mutate(client, bearer(member(other)), SET_AVAILABILITY, personId=str(me.id), windows=[]), 403)
    _, stranger = await new_org(uow_factory)
    refused(await mutate(client, bearer(stranger), SET_AVAILABILITY, personId=str(me.id), windows=[]), 404)
