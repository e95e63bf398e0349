"""The pieces of the single sign-on end-to-end tests: a real ``tandem serve`` set up for
organizations with their own OpenID provider, and a browser signing in through one."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.e2e.server import environment, free_port, serving
from tests.e2e.server import token as operator_token
from tests.oidc.fixtures import OidcProviderFactory
from tests.oidc.harness import OidcProvider, browser_login


class Tandem:
    """The running service, with operator tokens to set organizations up."""

    def __init__(self, base: str, env: dict[str, str]) -> None:
        self.base, self.env = base, env
        self.org_ids: dict[str, str] = {}  # slug -> id of the organizations made here
        self.admin = {"Authorization": f"Bearer {operator_token(env, '--role', 'platform_admin')}"}

    def organization(self, provider: OidcProvider, **sso: Any) -> str:
        """A new organization using ``provider``; returns its slug."""
        slug = f"sso-{uuid.uuid4().hex[:10]}"
        created = httpx.post(f"{self.base}/v1/organizations", json={"name": slug, "slug": slug}, headers=self.admin)
        assert created.status_code == 201, created.text
        self.org_ids[slug] = created.json()["id"]
        org_admin = {"Authorization": f"Bearer {operator_token(self.env, '--org', slug, '--role', 'org_admin')}"}
        body = {
            "issuer": provider.issuer,
            "client_id": provider.client_id,
            "client_secret": provider.client_secret,
            "allowed_email_domains": ["example.org"],
            "role_mapping": {"staff": "program_manager"},
            **sso,
        }
        stored = httpx.put(f"{self.base}/v1/organizations/{created.json()['id']}/sso", json=body, headers=org_admin)
        assert stored.status_code == 200, stored.text
        return slug

    def callback(self, slug: str) -> str:
        return f"{self.base}/auth/{slug}/callback"


@pytest.fixture(scope="module")
def tandem(tmp_path_factory: pytest.TempPathFactory, database_url: str) -> Iterator[Tandem]:
    env = environment(tmp_path_factory.mktemp("sso-serve"), database_url)
    port = free_port()
    env |= {
        "TANDEM_ISSUER": f"http://127.0.0.1:{port}",
        "TANDEM_ENVIRONMENT": "test",  # loopback providers are allowed in tests only
        "TANDEM_PROVIDER_KEY_REFETCH_SECONDS": "1",
        "TANDEM_LOGIN_RATE_LIMIT": "1000/minute",
    }
    with serving(env, port=port) as base:
        yield Tandem(base, env)


def login(
    tandem: Tandem, slug: str, provider_login: str, *, browser: httpx.Client | None = None, query: str = ""
) -> tuple[httpx.Client, str]:
    """Start at Tandem, sign in at the provider; returns the browser and the callback URL (not yet visited)."""
    browser = browser or httpx.Client(timeout=30)
    started = browser.get(f"{tandem.base}/auth/{slug}/login{query}")
    assert started.status_code == 302, started.text
    assert any(cookie.name == "tandem_login" for cookie in browser.cookies.jar)
    back = browser_login(browser, started.headers["location"], login=provider_login)
    callback = back.headers["location"]
    assert callback.startswith(tandem.callback(slug)), callback
    return browser, callback


def configured(factory: OidcProviderFactory, tandem: Tandem, **sso: Any) -> tuple[OidcProvider, str]:
    """A provider and an organization using it, the provider knowing the organization's callback."""
    provider = factory()
    slug = tandem.organization(provider, **sso)
    provider.restart(redirect_uris=[tandem.callback(slug)])
    return provider, slug
