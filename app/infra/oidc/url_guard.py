"""SSRF guard for URLs of identity providers, which organizations (not we) configure.

An org admin could otherwise point "their provider" at our own network (the database, a
cloud metadata service) and have Tandem fetch it. Outside development and tests a provider
URL must be https and every address its host resolves to must be public; IPv6 forms that
carry an IPv4 address (NAT64, 6to4, Teredo, mapped) are judged by that address. Redirects are
never followed.

Checking a name and then letting the HTTP client resolve it again would leave a window: a
provider's DNS could answer a public address to the check and a private one to the client
(DNS rebinding). So the client connects through ``PinnedTransport``, which resolves once,
checks, and opens the socket to exactly the checked address; TLS still verifies the
certificate against the host name.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
from collections.abc import Awaitable, Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

from app.domain.errors import ProviderUnavailable

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, NAT64, 6to4, Teredo, IPv4-compatible)."""
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip.teredo:
        return ip.teredo[1]
    if ip in _NAT64 or ip in _IPV4_COMPATIBLE:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def _is_public(address: str) -> bool:
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if not (ip.is_global and not ip.is_multicast):
            return False
        embedded = _embedded_ipv4(ip)
        if embedded is None:
            return True
        ip = embedded  # a global-looking IPv6 form of a private IPv4 address is that address
    return ip.is_global and not ip.is_multicast


Resolver = Callable[[str, int], Awaitable[list[str]]]


async def _resolve(host: str, port: int) -> list[str]:
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise ProviderUnavailable(f"cannot resolve {host}", code="provider_unreachable") from exc
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def addresses_for(*, allow_private: bool, resolve: Resolver = _resolve) -> Resolver:
    """A resolver that answers only addresses an organization's provider may have."""

    async def checked(host: str, port: int) -> list[str]:
        addresses = await resolve(host, port)
        if not addresses:
            raise ProviderUnavailable(f"cannot resolve {host}", code="provider_unreachable")
        if not allow_private and not all(_is_public(a) for a in addresses):
            raise ProviderUnavailable(
                f"{host} resolves to a private, loopback or reserved address", code="provider_url_refused"
            )
        return addresses

    return checked


async def ensure_fetchable(url: str, *, allow_private: bool, resolve: Resolver = _resolve) -> None:
    """Raise ``ProviderUnavailable`` unless ``url`` may be fetched on an organization's behalf.

    Called before a request for a clear error early; ``PinnedTransport`` enforces it again at connect.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ProviderUnavailable(f"not an http(s) URL: {url!r}", code="provider_url_refused")
    if allow_private:
        return
    if parts.scheme != "https":
        raise ProviderUnavailable("identity provider URLs must use https", code="provider_url_refused")
    await addresses_for(allow_private=False, resolve=resolve)(parts.hostname, parts.port or 443)


class _PinnedBackend(httpcore.AsyncNetworkBackend):
    """Opens TCP connections only to addresses the resolver checked, never by name."""

    def __init__(self, resolve: Resolver) -> None:
        self._resolve = resolve
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        failure: httpcore.ConnectError | None = None
        for address in await self._resolve(host, port):
            try:
                return await self._inner.connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:  # like the OS: try the host's next address
                failure = exc
        raise failure or httpcore.ConnectError(f"cannot connect to {host}")

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("providers are reached over TCP only")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class PinnedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport, connecting through ``_PinnedBackend``; no proxies from the environment.

    httpx takes no network backend, so the connection pool it built is replaced by one that
    uses ours (httpx is pinned in constraints.txt; tests/unit/test_pinned_transport.py covers
    this against a real TLS server).
    """

    def __init__(self, resolve: Resolver, *, verify: ssl.SSLContext | bool = True) -> None:
        super().__init__(verify=verify, trust_env=False)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(verify=verify, trust_env=False),
            network_backend=_PinnedBackend(resolve),
        )


def provider_client(
    *, allow_private: bool, resolve: Resolver = _resolve, verify: ssl.SSLContext | bool = True
) -> httpx.AsyncClient:
    """The HTTP client for everything Tandem fetches from organizations' identity providers."""
    transport = PinnedTransport(addresses_for(allow_private=allow_private, resolve=resolve), verify=verify)
    # no redirects: a provider's answer must come from the URL we checked
    return httpx.AsyncClient(transport=transport, timeout=10.0, follow_redirects=False, trust_env=False)
