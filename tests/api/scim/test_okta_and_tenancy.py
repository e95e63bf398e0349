"""Okta's provisioning flow (filter by userName, create, PUT profile updates, PATCH active false
and true), a SCIM user later signing in by single sign-on as the same account, and tenancy."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from app.domain.errors import PermissionDenied
from app.domain.provisioning import ProvisionedAccount
from app.domain.sso import ProviderIdentity, SsoConfig
from app.infra.db.tables import outbox
from app.services import scim, sso_login
from tests.api.helpers import problem
from tests.api.scim.helpers import TANDEM, USER, patch, scim_error, scim_ok, scim_org

USERS = "/scim/v2/Users"


def okta_user(login: str, *, active: bool = True, city: str = "Berlin") -> dict[str, object]:
    """Okta's body: userName is the Okta login, plus a custom mapping to Tandem's extension."""
    return {
        "schemas": [USER, TANDEM],
        "userName": login,
        "name": {"givenName": "Bo", "familyName": "Okta"},
        "emails": [{"primary": True, "value": login, "type": "work"}],
        "displayName": "Bo Okta",
        "locale": "en-US",  # not kept by Tandem: ignored, not refused
        "externalId": "00u1abcd",
        "groups": [],
        "password": "ignored",
        "active": active,
        TANDEM: {"birthYear": 1999, "languages": "en, DE", "city": city, "timezone": "Europe/Berlin"},
    }


async def test_okta_creates_a_profile_updates_it_by_put_and_deactivates_by_patch(client, uow_factory, engine) -> None:
    org, _, token = await scim_org(uow_factory)
    login = f"bo-{uuid.uuid4().hex[:6]}@okta.example"
    body = scim_ok(await client.post(USERS, json=okta_user(login), headers=token), 201)
    found = scim_ok(await client.get(USERS, params={"filter": 'externalId eq "00u1abcd"'}, headers=token))
    assert [r["id"] for r in found["Resources"]] == [body["id"]]
    async with uow_factory() as uow:
        account = await uow.users.get(uuid.UUID(body["id"]))
        assert account is not None and account.person_id is not None  # a birth year: a profile
        person = await uow.people.get(org.id, account.person_id)
    assert person is not None
    assert (person.display_name, person.birth_year, person.city, person.languages) == (
        "Bo Okta",
        1999,
        "Berlin",
        ("en", "de"),
    )
    assert person.email == login and person.timezone == "Europe/Berlin"

    # Okta's profile push is a PUT of the whole user, with If-Match when it has the version
    stale = await client.put(
        f"{USERS}/{body['id']}", json=okta_user(login, city="Hamburg"), headers={**token, "If-Match": 'W/"9"'}
    )
    scim_error(stale, 412)
    moved = await client.put(
        f"{USERS}/{body['id']}", json=okta_user(login, city="Hamburg"), headers={**token, "If-Match": 'W/"1"'}
    )
    assert scim_ok(moved)[TANDEM]["city"] == "Hamburg" and moved.headers["etag"] == 'W/"2"'
    # a value Tandem's profile cannot take stays in the record, not on the profile
    odd = okta_user(login, city="Hamburg")
    odd[TANDEM] = {**odd[TANDEM], "timezone": "Mars/Olympus"}  # type: ignore[dict-item]
    assert (
        scim_ok(await client.put(f"{USERS}/{body['id']}", json=odd, headers=token))[TANDEM]["timezone"]
        == "Mars/Olympus"
    )
    async with uow_factory() as uow:
        person = await uow.people.get(org.id, person.id)
    assert person is not None and (person.city, person.timezone) == ("Hamburg", "Europe/Berlin")

    # Okta deactivates and reactivates with PATCH replace active
    off = await client.patch(
        f"{USERS}/{body['id']}", json=patch({"op": "replace", "value": {"active": False}}), headers=token
    )
    assert scim_ok(off)["active"] is False
    on = await client.patch(
        f"{USERS}/{body['id']}", json=patch({"op": "replace", "value": {"active": True}}), headers=token
    )
    assert scim_ok(on)["active"] is True

    # each provisioning step told the organization's integrations, with field names, never values
    async with engine.connect() as conn:
        rows = await conn.execute(
            select(outbox.c.type, outbox.c.data).where(outbox.c.subject_id == person.id).order_by(outbox.c.seq)
        )
        told = [(row.type, row.data.get("changed", row.data.get("source"))) for row in rows]
    assert told == [
        ("person.created", "internal"),
        ("person.updated", ["city"]),
        ("person.deactivated", None),
        ("person.reactivated", None),
    ]


async def test_a_provisioned_user_signing_in_by_sso_is_the_same_account_unless_deactivated(uow_factory) -> None:
    org, _, _ = await scim_org(uow_factory)
    config = SsoConfig(org.id, "https://idp.example", "tandem", "secret")
    created = await scim.create_user(uow_factory(), org.id, ProvisionedAccount("cy@example.org"), active=True)
    identity = ProviderIdentity(subject="cy-sub", email="cy@example.org", email_verified=True, name="Cy")
    async with uow_factory() as uow:
        signed_in = await sso_login._provision(uow, org, config, identity, "cy@example.org")
        await uow.commit()
    assert signed_in.id == created.user.id and signed_in.sso_subject == "cy-sub"

    await scim.replace_user(uow_factory(), org.id, created.user.id, ProvisionedAccount("cy@example.org"), active=False)
    async with uow_factory() as uow:
        with pytest.raises(PermissionDenied) as refused:
            await sso_login._provision(uow, org, config, identity, "cy@example.org")
    assert refused.value.code == "account_deactivated"


async def test_one_organizations_token_finds_none_of_anothers_users(client, uow_factory) -> None:
    _, _, token_a = await scim_org(uow_factory)
    _, _, token_b = await scim_org(uow_factory)
    body = scim_ok(await client.post(USERS, json=okta_user("dee@b.example"), headers=token_b), 201)

    scim_error(await client.get(f"{USERS}/{body['id']}", headers=token_a), 404)
    scim_error(await client.put(f"{USERS}/{body['id']}", json=okta_user("dee@b.example"), headers=token_a), 404)
    active_off = patch({"op": "replace", "path": "active", "value": False})
    scim_error(await client.patch(f"{USERS}/{body['id']}", json=active_off, headers=token_a), 404)
    scim_error(await client.delete(f"{USERS}/{body['id']}", headers=token_a), 404)
    assert scim_ok(await client.get(USERS, headers=token_a))["totalResults"] == 0
    assert scim_ok(await client.get(f"{USERS}/{body['id']}", headers=token_b))["active"] is True
    # the same userName is free in another organization, taken in the same one
    scim_ok(await client.post(USERS, json=okta_user("dee@b.example"), headers=token_a), 201)
    scim_error(await client.post(USERS, json=okta_user("DEE@b.example"), headers=token_b), 409, "uniqueness")


async def test_no_access_token_and_no_revoked_token_reaches_scim_and_no_scim_token_reaches_v1(
    client, bearer, uow_factory
) -> None:
    org, manager, token = await scim_org(uow_factory)
    scim_error(await client.get(USERS), 401)
    as_manager = await client.get(USERS, headers=bearer(manager))
    scim_error(as_manager, 401)
    assert as_manager.headers["www-authenticate"].startswith("Bearer")
    problem(await client.get("/v1/people", headers=token), 401)
    async with uow_factory() as uow:
        [stored] = await uow.scim_tokens.of_org(org.id)
        await uow.scim_tokens.remove(org.id, stored.id)
        await uow.commit()
    scim_error(await client.get(USERS, headers=token), 401)


async def test_bad_input_answers_scim_errors(client, uow_factory) -> None:
    _, _, token = await scim_org(uow_factory)
    scim_error(await client.post(USERS, content=b"{not json", headers=token), 400, "invalidSyntax")
    scim_error(await client.post(USERS, json={"schemas": [USER]}, headers=token), 400, "invalidValue")
    scim_error(await client.get(USERS, params={"filter": 'title co "x"'}, headers=token), 400, "invalidFilter")
    scim_error(await client.get(USERS, params={"filter": "userName eq"}, headers=token), 400, "invalidFilter")
    scim_error(await client.get(USERS, params={"count": "many"}, headers=token), 400, "invalidValue")
    scim_error(await client.get(f"{USERS}/not-a-uuid", headers=token), 404)
    two_primaries = okta_user("eve@x.example")
    two_primaries["emails"] = [{"value": "a@x.example", "primary": True}, {"value": "b@x.example", "primary": True}]
    assert (await client.post(USERS, json=two_primaries, headers=token)).status_code == 400
    scim_error(await client.post("/scim/v2/Bulk", json={}, headers=token), 404)
    scim_error(await client.post("/scim/v2/.search", json={}, headers=token), 501)
    scim_error(await client.delete("/scim/v2/Schemas", headers=token), 405)


async def test_pages_count_from_one_and_report_the_total(client, uow_factory) -> None:
    _, _, token = await scim_org(uow_factory)
    for n in range(3):
        scim_ok(await client.post(USERS, json=okta_user(f"p{n}@page.example"), headers=token), 201)
    page = scim_ok(await client.get(USERS, params={"startIndex": 2, "count": 1}, headers=token))
    assert (page["totalResults"], page["startIndex"], page["itemsPerPage"]) == (3, 2, 1)
    assert page["Resources"][0]["userName"] == "p1@page.example"
    either = 'userName eq "p0@page.example" or userName eq "p2@page.example"'
    assert scim_ok(await client.get(USERS, params={"filter": either}, headers=token))["totalResults"] == 2
    only_names = scim_ok(await client.get(USERS, params={"attributes": "userName", "count": 1}, headers=token))
    assert set(only_names["Resources"][0]) == {"schemas", "id", "userName"}
    # the same query in a POST …/.search body (RFC 7644 §3.4.3), for users and for groups
    searched = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], "filter": either}
    found = scim_ok(await client.post(f"{USERS}/.search", json=searched | {"count": 1}, headers=token))
    assert (found["totalResults"], len(found["Resources"])) == (2, 1)
    picked = scim_ok(await client.post(f"{USERS}/.search", json=searched | {"attributes": ["userName"]}, headers=token))
    assert all(set(r) == {"schemas", "id", "userName"} for r in picked["Resources"])
    groups = scim_ok(await client.post("/scim/v2/Groups/.search", json={"schemas": searched["schemas"]}, headers=token))
    assert groups["totalResults"] == 0
