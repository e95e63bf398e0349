"""What the login refuses before it talks to a provider: unknown organizations, no SSO, private
provider addresses outside development, and providers that do not answer."""

from __future__ import annotations

import uuid

import pytest

from app.domain.access import Caller, Role
from app.infra.oidc.metadata import ProviderDirectory
from app.infra.oidc.relying_party import OidcRelyingParty
from app.infra.oidc.url_guard import provider_client
from tests.api.helpers import problem
from tests.factories import new_org

pytestmark = pytest.mark.db


async def _org_with_sso(client, bearer, uow_factory, issuer: str) -> str:
    org, _ = await new_org(uow_factory)
    admin = bearer(Caller(uuid.uuid4(), Role.ORG_ADMIN, org_id=org.id))
    body = {"issuer": issuer, "client_id": "tandem", "client_secret": "s", "allowed_email_domains": ["acme.example"]}
    assert (await client.put(f"/v1/organizations/{org.id}/sso", json=body, headers=admin)).status_code == 200
    return org.slug


async def test_unknown_organizations_and_missing_sso_are_404(client, uow_factory) -> None:
    problem(await client.get("/auth/no-such-org/login"), 404, "organization_not_found")
    org, _ = await new_org(uow_factory)
    problem(await client.get(f"/auth/{org.slug}/login"), 404, "sso_not_configured")
    problem(await client.get("/auth/Not_A_Slug/login"), 422)
    problem(await client.get(f"/auth/{org.slug}/login?prompt=none"), 422)  # no browser to come back to
    problem(await client.get(f"/auth/{org.slug}/login?login_hint="), 422)
    problem(await client.get(f"/auth/{org.slug}/callback?state=x&code=y"), 404, "sso_not_configured")


async def test_outside_development_a_loopback_provider_is_never_contacted(app, client, bearer, uow_factory) -> None:
    slug = await _org_with_sso(client, bearer, uow_factory, "http://127.0.0.1:9/realms/internal")
    original = app.state.identity_providers
    async with provider_client(allow_private=False) as http:
        app.state.identity_providers = OidcRelyingParty(ProviderDirectory(http, allow_private=False))
        try:
            problem(await client.get(f"/auth/{slug}/login"), 502, "provider_url_refused")
        finally:
            app.state.identity_providers = original


async def test_a_provider_that_does_not_answer_is_a_502_not_a_500(client, bearer, uow_factory) -> None:
    slug = await _org_with_sso(client, bearer, uow_factory, "http://127.0.0.1:9/realms/gone")  # nothing listens
    problem(await client.get(f"/auth/{slug}/login"), 502, "provider_unreachable")


async def test_a_backchannel_logout_needs_a_token_and_an_organization_with_sso(client, uow_factory) -> None:
    org, _ = await new_org(uow_factory)
    form = {"logout_token": "a.b.c"}
    problem(await client.post("/auth/no-such-org/backchannel-logout", data=form), 404, "organization_not_found")
    problem(await client.post(f"/auth/{org.slug}/backchannel-logout", data=form), 404, "sso_not_configured")
    problem(await client.post(f"/auth/{org.slug}/backchannel-logout", data={}), 400, "invalid_request")
