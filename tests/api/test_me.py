"""GET /v1/me and GraphQL ``me`` show who signed in: the user's address, name and identity
provider, also for someone single sign-on provisioned without a person profile."""

from __future__ import annotations

import uuid

import pytest

from app.domain.access import Caller, Role
from app.domain.signin import Lifetimes
from app.domain.sso import ProviderIdentity, SsoConfig
from app.domain.user import User
from app.services import identity, signin, sso_login
from tests.api.graphql.helpers import data
from tests.factories import new_org, new_person

pytestmark = pytest.mark.db
IDP = "https://login.acme.example"
ME = "{ me { userId role email displayName ssoIssuer person { id } } }"


async def _signed_in_through_sso(uow_factory, issuer, identity_claims: ProviderIdentity) -> tuple[dict[str, str], User]:
    org, _ = await new_org(uow_factory)
    config = SsoConfig(org.id, IDP, "tandem", "secret", allowed_email_domains=("acme.example",))
    async with uow_factory() as uow:
        user = await sso_login._provision(uow, org, config, identity_claims, identity_claims.email or "")
        grant = await signin.open_signin(uow, user, Lifetimes())
        await uow.commit()
    return {"Authorization": f"Bearer {issuer.issue(grant.caller)}"}, user


async def test_a_user_without_a_profile_sees_their_email_name_and_provider(client, uow_factory, issuer) -> None:
    # no birthdate claim: no profile is made for them, as after most first sign-ins
    carla = ProviderIdentity(subject="c-1", email="carla@acme.example", email_verified=True, name=" Carla  Brandt ")
    headers, user = await _signed_in_through_sso(uow_factory, issuer, carla)

    me = await client.get("/v1/me", headers=headers)
    assert me.status_code == 200, me.text
    assert me.json() == {
        "user_id": str(user.id),
        "role": "member",
        "org_id": str(user.org_id),
        "email": "carla@acme.example",
        "display_name": "Carla Brandt",
        "sso_issuer": IDP,
        "person": None,
    }
    assert (await data(client, headers, ME))["me"] == {
        "userId": str(user.id),
        "role": "member",
        "email": "carla@acme.example",
        "displayName": "Carla Brandt",
        "ssoIssuer": IDP,
        "person": None,
    }


async def test_the_next_sign_in_refreshes_the_name_but_a_missing_name_keeps_it(client, uow_factory, issuer) -> None:
    org, _ = await new_org(uow_factory)
    config = SsoConfig(org.id, IDP, "tandem", "secret", allowed_email_domains=("acme.example",))
    for name, expected in (("Dora Alt", "Dora Alt"), ("Dora Neu", "Dora Neu"), (None, "Dora Neu")):
        claims = ProviderIdentity(subject="d-1", email="dora@acme.example", email_verified=True, name=name)
        async with uow_factory() as uow:
            user = await sso_login._provision(uow, org, config, claims, "dora@acme.example")
            grant = await signin.open_signin(uow, user, Lifetimes())
            await uow.commit()
        me = await client.get("/v1/me", headers={"Authorization": f"Bearer {issuer.issue(grant.caller)}"})
        assert me.json()["display_name"] == expected


async def test_a_member_with_a_profile_is_named_by_it_and_an_operator_token_has_no_provider(
    client, uow_factory, issuer
) -> None:
    org, manager = await new_org(uow_factory)
    person = await new_person(
        uow_factory, manager, birth_year=1962, display_name="Erika Berg", email="erika@acme.example"
    )
    found = await identity.operator_user(uow_factory(), role=Role.MEMBER, org_slug=org.slug, email=person.email)
    me = await client.get("/v1/me", headers={"Authorization": f"Bearer {issuer.issue(found.user.as_caller())}"})
    body = me.json()
    assert (body["email"], body["display_name"], body["sso_issuer"]) == ("erika@acme.example", "Erika Berg", None)
    assert body["person"]["id"] == str(person.id)


async def test_a_token_without_a_stored_user_shows_no_address(client, bearer) -> None:
    body = (await client.get("/v1/me", headers=bearer(Caller(uuid.uuid4(), Role.PLATFORM_ADMIN)))).json()
    assert (body["email"], body["display_name"], body["sso_issuer"], body["person"]) == (None, None, None, None)
