"""The SSRF guard on identity provider URLs."""

from __future__ import annotations

import pytest

from app.domain.errors import ProviderUnavailable
from app.infra.oidc.url_guard import ensure_fetchable

REFUSED = [
    "http://login.example.com",  # not https
    "https://127.0.0.1/realms/x",
    "https://localhost:8443",
    "https://10.1.2.3",
    "https://192.168.0.10",
    "https://169.254.169.254/latest/meta-data",  # cloud metadata
    "https://[::1]:8443",
    "https://[::ffff:127.0.0.1]",
    "https://100.64.0.1",  # carrier-grade NAT
    "https://[64:ff9b::a9fe:a9fe]",  # NAT64 form of 169.254.169.254
    "https://[2002:7f00:1::]",  # 6to4 form of 127.0.0.1
    "https://[::7f00:1]",  # IPv4-compatible form of 127.0.0.1
    "https://[2001:0:4136:e378:8000:63bf:f5ff:fffe]",  # Teredo, client 10.0.0.1
    "ftp://93.184.215.14",
]


@pytest.mark.parametrize("url", REFUSED)
async def test_private_loopback_and_plain_http_urls_are_refused_in_production(url: str) -> None:
    with pytest.raises(ProviderUnavailable) as refused:
        await ensure_fetchable(url, allow_private=False)
    assert refused.value.code == "provider_url_refused"


async def test_a_public_https_address_passes() -> None:
    await ensure_fetchable("https://93.184.215.14/.well-known/openid-configuration", allow_private=False)


async def test_development_and_tests_may_use_loopback_providers() -> None:
    await ensure_fetchable("http://127.0.0.1:9000", allow_private=True)
    with pytest.raises(ProviderUnavailable):
        await ensure_fetchable("file:///etc/passwd", allow_private=True)
