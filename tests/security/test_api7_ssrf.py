"""API7:2023 Server Side Request Forgery: an organization's provider URL never reaches our network.

Organization admins configure their identity provider's issuer (PUT /v1/organizations/{id}/sso);
Tandem fetches its discovery document when someone signs in. The guard
(app/infra/oidc/url_guard.py) applies at that fetch, so the refusal is the login's answer: a
502 problem ``provider_url_refused`` (the provider, not the browser, is at fault). The app here
runs with production settings (no private provider URLs). Every issuer points into a private,
loopback, link-local, unspecified or IPv6 range, in the spellings that slip past naive checks
(IPv6-mapped, decimal and octal IPv4), or is a name whose DNS answers such an address. A
recorder in place of the system resolver and of the socket layer proves that no connection is
ever attempted.
"""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from typing import Any

import httpcore
import pytest

from app.domain.access import Caller, Role
from tests.factories import new_org

pytestmark = pytest.mark.db

PRIVATE_NAME = "idp.corp.example"  # a name whose DNS answers a private address
REBOUND_NAME = "idp.rebound.example"  # one public and one private address

ISSUERS = [
    "https://10.0.0.1/realms/x",
    "https://172.16.0.1",
    "https://192.168.1.1",
    "https://127.0.0.1:8443",
    "https://localhost",
    "https://[::1]",
    "https://169.254.169.254/latest/meta-data",
    "https://[fd00::1]",
    "https://[fe80::1]",
    "https://[::ffff:127.0.0.1]",
    "https://[::ffff:10.0.0.1]",
    "https://0.0.0.0",
    "https://2130706433",  # 127.0.0.1 as one decimal number
    "https://0177.0.0.1",  # 127.0.0.1 in octal
    f"https://{PRIVATE_NAME}",
    f"https://{REBOUND_NAME}",
    "http://93.184.215.14",  # public, but not https
]


class Recorder:
    def __init__(self) -> None:
        self.lookups: list[str] = []
        self.connections: list[tuple[str, int]] = []


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> Iterator[Recorder]:
    """The system resolver answers the made-up names; any TCP connection is recorded and fails."""
    seen = Recorder()
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        seen.lookups.append(str(host))
        fake = {PRIVATE_NAME: ["10.0.0.5"], REBOUND_NAME: ["93.184.215.14", "192.168.0.7"]}.get(str(host))
        if fake is None:
            return real(host, port, *args, **kwargs)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, int(port or 443))) for a in fake]

    async def connect_tcp(self: Any, host: str, port: int, *args: Any, **kwargs: Any) -> Any:
        seen.connections.append((host, port))
        raise httpcore.ConnectError("the SSRF test allows no connection")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(httpcore.AnyIOBackend, "connect_tcp", connect_tcp)
    yield seen


@pytest.fixture
async def production(app_with: Any) -> Any:
    async with app_with(environment="production", issuer="https://tandem.example.com") as started:
        application, _ = started
        assert not application.state.settings.private_provider_urls_allowed
        yield started


async def _org_with_provider(production: Any, uow_factory: Any, issuer: str) -> Any:
    """A new organization whose admin stored ``issuer`` as its provider (the PUT takes it)."""
    application, client = production
    org, _ = await new_org(uow_factory)
    token = application.state.token_issuer.issue(Caller(uuid.uuid4(), Role.ORG_ADMIN, org_id=org.id))
    body = {"issuer": issuer, "client_id": "tandem", "client_secret": "s"}
    configured = await client.put(
        f"/v1/organizations/{org.id}/sso", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert configured.status_code == 200, configured.text
    return org


@pytest.mark.parametrize("url", ISSUERS)
async def test_a_provider_in_a_private_range_is_refused_and_never_contacted(
    url: str, production: Any, recorder: Recorder, uow_factory: Any
) -> None:
    _, client = production
    org = await _org_with_provider(production, uow_factory, url)
    response = await client.get(f"/auth/{org.slug}/login", follow_redirects=False)
    assert response.status_code == 502, f"{url}: {response.status_code} {response.text[:300]}"
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "provider_url_refused", response.text
    assert "location" not in response.headers
    assert recorder.connections == [], f"{url}: a connection was attempted"


async def test_the_recorder_sees_what_the_guard_resolves(production: Any, recorder: Recorder, uow_factory: Any) -> None:
    """The recorder is in the resolver's path (so an empty connection list means something)."""
    _, client = production
    org = await _org_with_provider(production, uow_factory, f"https://{PRIVATE_NAME}")
    assert (await client.get(f"/auth/{org.slug}/login")).json()["code"] == "provider_url_refused"
    assert PRIVATE_NAME in recorder.lookups
