"""SSRF guard for URLs of identity providers, which organizations (not we) configure.

An org admin could otherwise point "their provider" at our own network (the database, a
cloud metadata service) and have Tandem fetch it. Outside development and tests a provider
URL must be https and every address its host resolves to must be public.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

from app.domain.errors import ProviderUnavailable


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
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
