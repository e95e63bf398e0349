"""Microsoft Entra ID's provisioning, request by request as its SCIM client sends them: look the
user up by userName, create, read, patch attributes (value-path forms, "Replace", "False"),
deactivate with PATCH active false, reactivate, and delete — and what each does in Tandem."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from app.domain.access import Caller, Role
from app.domain.enrollment import EnrollmentStatus
from app.domain.signin import Lifetimes
from app.domain.tandem import TandemStatus
from app.domain.user import User
from app.infra.db.tables import outbox
from app.services import scim_tokens, signin
from tests.api.graphql.helpers import data
from tests.api.scim.helpers import ENTERPRISE, USER, patch, scim_error, scim_ok, scim_org
from tests.api.tandem_world import running
from tests.factories import member

USERS = "/scim/v2/Users"


def entra_user(user_name: str, external_id: str) -> dict[str, object]:
    """The body Entra ID POSTs with its default attribute mappings."""
    return {
        "schemas": [USER, ENTERPRISE],
        "externalId": external_id,  # mailNickname
        "userName": user_name,  # userPrincipalName
        "active": True,
        "displayName": "Ann Example",
        "emails": [{"primary": True, "type": "work", "value": user_name}],
        "name": {"formatted": "Ann Example", "familyName": "Example", "givenName": "Ann"},
        ENTERPRISE: {"department": "Finance"},
    }


async def test_entra_creates_finds_and_patches_a_user(client, uow_factory) -> None:
    _, _, token = await scim_org(uow_factory)
    user_name = "Ann.Example@Contoso.example"

    # Entra first asks whether the user exists
    missing = scim_ok(await client.get(USERS, params={"filter": f'userName eq "{user_name}"'}, headers=token))
    assert missing["totalResults"] == 0 and missing["Resources"] == []

    created = await client.post(USERS, json=entra_user(user_name, "ann"), headers=token)
    body = scim_ok(created, 201)
    assert created.headers["location"].endswith(f"{USERS}/{body['id']}")
    assert created.headers["etag"] == body["meta"]["version"] == 'W/"1"'
    assert body["userName"] == user_name and body["active"] is True
    assert body[ENTERPRISE] == {"department": "Finance"}
    assert body["emails"] == [{"value": user_name.lower(), "type": "work", "primary": True}]

    found = scim_ok(
        await client.get(USERS, params={"filter": 'userName eq "ann.example@contoso.example"'}, headers=token)
    )
    assert [r["id"] for r in found["Resources"]] == [body["id"]] and found["totalResults"] == 1
    by_mail = 'emails[type eq "work"].value eq "ANN.EXAMPLE@contoso.example"'
    assert scim_ok(await client.get(USERS, params={"filter": by_mail}, headers=token))["totalResults"] == 1

    # Entra's PATCH: PascalCase ops, paths into the extension, a value-path filter
    changed = await client.patch(
        f"{USERS}/{body['id']}",
        json=patch(
            {"op": "Replace", "path": "displayName", "value": "Ann E."},
            {"op": "Add", "path": f"{ENTERPRISE}:department", "value": "Treasury"},
            {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "ann@contoso.example"},
        ),
        headers=token,
    )
    patched = scim_ok(changed)
    assert patched["displayName"] == "Ann E." and patched[ENTERPRISE] == {"department": "Treasury"}
    assert patched["emails"][0]["value"] == "ann@contoso.example" and patched["meta"]["version"] == 'W/"2"'
    async with uow_factory() as uow:
        account = await uow.users.get(uuid.UUID(body["id"]))
        assert account is not None and account.email == "ann@contoso.example" and account.role is Role.MEMBER
        assert account.person_id is None  # no birth year: the person completes the profile after signing in


async def test_entra_deactivates_ends_sign_ins_and_tandems_keeps_the_profile_and_reactivates(
    client, bearer, uow_factory, engine
) -> None:
    world, tandem = await running(uow_factory)
    mentee = world["mentee"]
    token = await _token_of(uow_factory, world["org"].id)
    # the mentee signed in by single sign-on before provisioning started
    async with uow_factory() as uow:
        account = User(email=mentee.email, role=Role.MEMBER, org_id=mentee.org_id, person_id=mentee.id)
        account.sso_subject = "entra-oid-1"
        await uow.users.add(account)
        grant = await signin.open_signin(uow, account, Lifetimes())
        await uow.commit()
    assert grant.refresh_token is not None

    created = scim_ok(await client.post(USERS, json=entra_user(mentee.email, "mentee"), headers=token), 201)
    assert created["id"] == str(account.id)  # the same account: adopted by its address

    deactivated = await client.patch(
        f"{USERS}/{created['id']}", json=patch({"op": "Replace", "path": "active", "value": "False"}), headers=token
    )
    assert scim_ok(deactivated)["active"] is False
    async with uow_factory() as uow:
        session = await uow.signins.get(grant.caller.signin_id)
        assert session is not None and session.revoked_at is not None
        ended = await uow.tandems.get(mentee.org_id, tandem.id)
        assert ended is not None and ended.status is TandemStatus.DISSOLVED
        assert "deactivated" in (ended.end_reason or "")
        enrollment = await uow.enrollments.get(mentee.org_id, world["mentee_e"].id)
        assert enrollment is not None and enrollment.status is EnrollmentStatus.WITHDRAWN
        partner_side = await uow.enrollments.get(mentee.org_id, world["mentor_e"].id)
        assert partner_side is not None and partner_side.status is EnrollmentStatus.ACTIVE
    # the refresh token of the ended session is dead; the profile stays, marked
    refused = await client.post(
        "/oauth/token", data={"grant_type": "refresh_token", "refresh_token": grant.refresh_token}
    )
    assert refused.status_code == 400
    shown = (await client.get(f"/v1/people/{mentee.id}", headers=bearer(world["manager"]))).json()
    # the profile stays, fed by the provider's record: its name and department
    assert shown["active"] is False and shown["deactivated_at"]
    assert (shown["display_name"], shown["department"]) == ("Ann Example", "Finance")
    query = "query($id: UUID!) { person(id: $id) { active deactivatedAt } }"
    person = (await data(client, bearer(world["manager"]), query, id=str(mentee.id)))["person"]
    assert person["active"] is False and person["deactivatedAt"]
    tandem_events = await _event_types(engine, mentee.org_id)
    assert {"person.deactivated", "tandem.status_changed", "enrollment.withdrawn"} <= tandem_events

    # reactivation restores sign-in, not the tandem
    reactivated = await client.patch(
        f"{USERS}/{created['id']}", json=patch({"op": "replace", "value": {"active": True}}), headers=token
    )
    assert scim_ok(reactivated)["active"] is True
    shown = (await client.get(f"/v1/people/{mentee.id}", headers=bearer(member(mentee)))).json()
    assert shown["active"] is True and shown["deactivated_at"] is None
    async with uow_factory() as uow:
        still = await uow.tandems.get(mentee.org_id, tandem.id)
        assert still is not None and still.status is TandemStatus.DISSOLVED
        again = await uow.users.get(account.id)
        assert again is not None and again.active

    # delete: deactivated again and no SCIM resource any more; the profile stays
    assert (await client.delete(f"{USERS}/{created['id']}", headers=token)).status_code == 204
    scim_error(await client.get(f"{USERS}/{created['id']}", headers=token), 404)
    shown = (await client.get(f"/v1/people/{mentee.id}", headers=bearer(world["manager"]))).json()
    assert shown["active"] is False and shown["display_name"] == "Ann Example"


async def _token_of(uow_factory, org_id: uuid.UUID) -> dict[str, str]:
    admin = Caller(uuid.uuid4(), Role.ORG_ADMIN, org_id=org_id)
    issued = await scim_tokens.create_scim_token(uow_factory(), admin, org_id, name="entra")
    return {"Authorization": f"Bearer {issued.secret}", "Content-Type": "application/scim+json"}


async def _event_types(engine, org_id: uuid.UUID) -> set[str]:
    async with engine.connect() as conn:
        return {row.type for row in await conn.execute(select(outbox.c.type).where(outbox.c.org_id == org_id))}
