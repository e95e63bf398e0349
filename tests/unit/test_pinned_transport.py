"""The provider HTTP client connects only to the address it checked, and TLS still checks the name.

A real TLS server on loopback (certificates from trustme) stands in for a provider; a resolver
function stands in for DNS, so a test can answer one address to the check and another to the
connection (DNS rebinding) without a DNS server.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

import httpx
import pytest
import trustme

from app.domain.errors import ProviderUnavailable
from app.infra.oidc.url_guard import addresses_for, ensure_fetchable, provider_client

PUBLIC = "93.184.215.14"


@dataclass
class FakeProvider:
    port: int
    client_ssl: ssl.SSLContext
    server_names: list[str | None] = field(default_factory=list)
    connections: int = 0


@pytest.fixture
async def provider_for() -> AsyncIterator[Callable[[str], object]]:
    """Start a TLS server on 127.0.0.1 whose certificate names ``hostname``."""
    servers: list[asyncio.Server] = []
    ca = trustme.CA()

    async def start(hostname: str) -> FakeProvider:
        server_ssl = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert(hostname).configure_cert(server_ssl)
        client_ssl = ssl.create_default_context()
        ca.configure_trust(client_ssl)
        provider = FakeProvider(0, client_ssl)
        server_ssl.sni_callback = lambda sock, name, ctx: provider.server_names.append(name)  # type: ignore[assignment,func-returns-value]

        async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            provider.connections += 1
            await reader.readuntil(b"\r\n\r\n")
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
            await writer.drain()
            writer.close()

        server = await asyncio.start_server(answer, "127.0.0.1", 0, ssl=server_ssl)
        servers.append(server)
        provider.port = server.sockets[0].getsockname()[1]
        return provider

    yield start  # type: ignore[misc]
    for server in servers:
        server.close()
        await server.wait_closed()


def dns(*answers: list[str]):
    """A resolver answering ``answers`` in turn (the last one from then on)."""
    queue = list(answers)

    async def resolve(host: str, port: int) -> list[str]:
        return queue.pop(0) if len(queue) > 1 else queue[0]

    return resolve


async def test_the_socket_goes_to_the_resolved_address_and_tls_verifies_the_host_name(provider_for) -> None:
    provider = await provider_for("idp.test")
    async with provider_client(allow_private=True, resolve=dns(["127.0.0.1"]), verify=provider.client_ssl) as http:
        response = await http.get(f"https://idp.test:{provider.port}/.well-known/openid-configuration")
    assert response.status_code == 200 and response.json() == {}
    assert provider.server_names == ["idp.test"]  # SNI carries the name, not the address


async def test_a_certificate_for_another_name_is_refused(provider_for) -> None:
    provider = await provider_for("someone-else.test")
    async with provider_client(allow_private=True, resolve=dns(["127.0.0.1"]), verify=provider.client_ssl) as http:
        with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            await http.get(f"https://idp.test:{provider.port}/")


async def test_dns_rebinding_after_the_check_is_refused_at_connect(provider_for) -> None:
    provider = await provider_for("idp.test")
    url = f"https://idp.test:{provider.port}/.well-known/openid-configuration"
    rebinding = dns([PUBLIC], ["127.0.0.1"])  # public to the check, loopback a moment later
    await ensure_fetchable(url, allow_private=False, resolve=rebinding)
    async with provider_client(allow_private=False, resolve=rebinding, verify=provider.client_ssl) as http:
        with pytest.raises(ProviderUnavailable) as refused:
            await http.get(url)
    assert refused.value.code == "provider_url_refused"
    assert provider.connections == 0


async def test_one_private_address_among_public_ones_refuses_the_host() -> None:
    with pytest.raises(ProviderUnavailable) as refused:
        await addresses_for(allow_private=False, resolve=dns([PUBLIC, "10.0.0.7"]))("idp.test", 443)
    assert refused.value.code == "provider_url_refused"
    assert await addresses_for(allow_private=False, resolve=dns([PUBLIC]))("idp.test", 443) == [PUBLIC]


async def test_an_unreachable_address_falls_through_to_the_next(provider_for) -> None:
    provider = await provider_for("idp.test")
    # the server listens on 127.0.0.1 only, so 127.0.0.2 refuses the connection
    resolve = dns(["127.0.0.2", "127.0.0.1"])
    async with provider_client(allow_private=True, resolve=resolve, verify=provider.client_ssl) as http:
        assert (await http.get(f"https://idp.test:{provider.port}/")).status_code == 200


async def test_a_name_that_does_not_resolve_is_unreachable_not_refused() -> None:
    async with provider_client(allow_private=False, resolve=dns([])) as http:
        with pytest.raises(ProviderUnavailable) as unreachable:
            await http.get("https://idp.test/")
    assert unreachable.value.code == "provider_unreachable"
