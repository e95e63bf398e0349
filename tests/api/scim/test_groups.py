"""Groups as Microsoft Entra ID and Okta provision them: create, find by displayName, add and
remove members one PATCH at a time, rename, delete; membership gives roles through the
organization's SSO role mapping, in the next token."""

from __future__ import annotations

import uuid

from app.domain.access import Caller, Role
from app.domain.signin import Lifetimes
from app.services import signin, sso
from tests.api.route_matrix_world import uow_factory_of
from tests.api.scim.helpers import USER, patch, scim_error, scim_ok, scim_org

GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
USERS, GROUPS = "/scim/v2/Users", "/scim/v2/Groups"


async def _user(client, token, name: str) -> str:
    body = {"schemas": [USER], "userName": name, "active": True}
    return str(scim_ok(await client.post(USERS, json=body, headers=token), 201)["id"])


async def _role(uow_factory, user_id: str) -> Role:
    async with uow_factory() as uow:
        user = await uow.users.get(uuid.UUID(user_id))
    assert user is not None
    return user.role


async def test_entra_group_membership_maps_to_roles_at_the_next_token(app, client, engine, uow_factory) -> None:
    org, _, token = await scim_org(uow_factory)
    secret_uow = uow_factory_of(engine, app.state.secret_box)
    admin = Caller(uuid.uuid4(), Role.ORG_ADMIN, org_id=org.id)
    mapping = {"Tandem Managers": Role.PROGRAM_MANAGER, "Tandem Admins": Role.ORG_ADMIN}
    await sso.configure_sso(
        secret_uow(),
        admin,
        org.id,
        issuer="https://idp.example",
        client_id="t",
        client_secret="s",
        role_mapping=mapping,
    )
    ann = await _user(client, token, "ann@contoso.example")
    bob = await _user(client, token, "bob@contoso.example")
    async with secret_uow() as uow:
        user = await uow.users.get(uuid.UUID(ann))
        assert user is not None
        grant = await signin.open_signin(uow, user, Lifetimes())
        await uow.commit()
    assert grant.caller.role is Role.MEMBER

    # Entra: look the group up by displayName, create it without members, then add them one by one
    lookup = {"filter": 'displayName eq "Tandem Managers"'}
    assert scim_ok(await client.get(GROUPS, params=lookup, headers=token))["totalResults"] == 0
    created = await client.post(
        GROUPS, json={"schemas": [GROUP], "displayName": "Tandem Managers", "externalId": "g1"}, headers=token
    )
    group = scim_ok(created, 201)
    assert created.headers["etag"] == group["meta"]["version"] and "members" not in group
    scim_error(
        await client.post(GROUPS, json={"schemas": [GROUP], "displayName": "tandem managers"}, headers=token),
        409,
        "uniqueness",
    )
    url = f"{GROUPS}/{group['id']}"
    added = await client.patch(
        url, json=patch({"op": "Add", "path": "members", "value": [{"value": ann}]}), headers=token
    )
    assert [m["value"] for m in scim_ok(added)["members"]] == [ann]
    await client.patch(url, json=patch({"op": "Add", "path": "members", "value": [{"value": bob}]}), headers=token)
    assert (await _role(uow_factory, ann), await _role(uow_factory, bob)) == (
        Role.PROGRAM_MANAGER,
        Role.PROGRAM_MANAGER,
    )
    found = scim_ok(await client.get(GROUPS, params=lookup, headers=token))
    assert [r["id"] for r in found["Resources"]] == [group["id"]]
    by_member = scim_ok(await client.get(GROUPS, params={"filter": f'members.value eq "{ann}"'}, headers=token))
    assert by_member["totalResults"] == 1

    # the next token carries the role the group gives
    refreshed = await signin.refresh(secret_uow(), grant.refresh_token or "", Lifetimes())
    assert refreshed.caller.role is Role.PROGRAM_MANAGER

    # Entra removes a member with a value filter; Okta renames with a replace
    removed = await client.patch(url, json=patch({"op": "Remove", "path": f'members[value eq "{ann}"]'}), headers=token)
    assert [m["value"] for m in scim_ok(removed)["members"]] == [bob]
    assert await _role(uow_factory, ann) is Role.MEMBER
    renamed = await client.patch(
        url, json=patch({"op": "replace", "value": {"id": group["id"], "displayName": "Tandem Admins"}}), headers=token
    )
    assert scim_ok(renamed)["displayName"] == "Tandem Admins"
    assert await _role(uow_factory, bob) is Role.ORG_ADMIN

    # a deleted user leaves its groups (and the role they gave)
    cy = await _user(client, token, "cy@contoso.example")
    await client.patch(url, json=patch({"op": "add", "path": "members", "value": [{"value": cy}]}), headers=token)
    assert await _role(uow_factory, cy) is Role.ORG_ADMIN
    assert (await client.delete(f"{USERS}/{cy}", headers=token)).status_code == 204
    assert [m["value"] for m in scim_ok(await client.get(url, headers=token))["members"]] == [bob]
    assert await _role(uow_factory, cy) is Role.MEMBER

    # a member that is no user of the organization is refused; deleting the group drops its roles
    stranger = patch({"op": "Add", "path": "members", "value": [{"value": str(uuid.uuid4())}]})
    scim_error(await client.patch(url, json=stranger, headers=token), 400, "invalidValue")
    assert (await client.delete(url, headers=token)).status_code == 204
    scim_error(await client.get(url, headers=token), 404)
    assert await _role(uow_factory, bob) is Role.MEMBER


async def test_another_organizations_token_finds_none_of_its_groups(client, uow_factory) -> None:
    _, _, token_a = await scim_org(uow_factory)
    _, _, token_b = await scim_org(uow_factory)
    body = {"schemas": [GROUP], "displayName": "Everyone"}
    group = scim_ok(await client.post(GROUPS, json=body, headers=token_b), 201)
    scim_error(await client.get(f"{GROUPS}/{group['id']}", headers=token_a), 404)
    scim_error(await client.delete(f"{GROUPS}/{group['id']}", headers=token_a), 404)
    assert scim_ok(await client.get(GROUPS, headers=token_a))["totalResults"] == 0
    # a user of another organization is no member here
    foreign = await _user(client, token_b, "eve@b.example")
    scim_error(
        await client.post(GROUPS, json={**body, "members": [{"value": foreign}]}, headers=token_a), 400, "invalidValue"
    )
