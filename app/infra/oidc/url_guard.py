"""SSRF guard for URLs of identity providers, which organizations (not we) configure.

An org admin could otherwise point "their provider" at our own network (the database, a
cloud metadata service) and have Tandem fetch it. Outside development and tests a provider
URL must be https and every address its host resolves to must be public; IPv6 forms that
carry an IPv4 address (NAT64, 6to4, Teredo, mapped) are judged by that address. Every request
is checked just before it is sent (redirects are never followed). What remains is the moment
between this resolution and the HTTP client's own: a provider whose DNS answers a public
address and then a private one within it; deployments close that with an egress firewall.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

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


async def ensure_fetchable(url: str, *, allow_private: bool) -> None:
    """Raise ``ProviderUnavailable`` unless ``url`` may be fetched on an organization's behalf."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ProviderUnavailable(f"not an http(s) URL: {url!r}", code="provider_url_refused")
    if allow_private:
        return
    if parts.scheme != "https":
        raise ProviderUnavailable("identity provider URLs must use https", code="provider_url_refused")
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(parts.hostname, parts.port or 443, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise ProviderUnavailable(f"cannot resolve {parts.hostname}", code="provider_unreachable") from exc
    addresses = {str(info[4][0]) for info in infos}
    if not addresses or not all(_is_public(a) for a in addresses):
        raise ProviderUnavailable(
            f"{parts.hostname} resolves to a private, loopback or reserved address", code="provider_url_refused"
        )
