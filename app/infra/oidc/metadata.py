"""What we fetch from providers and keep: discovery documents and key sets, cached per issuer.

A key set is refetched when an id token names a ``kid`` we do not have (the provider rotated
its keys), but at most once per ``min_refetch`` seconds per provider, so tokens with made-up
``kid`` values cannot make us hammer a provider.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import httpx
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from app.domain.errors import ProviderUnavailable
from app.infra.oidc.url_guard import ensure_fetchable

DISCOVERY_TTL_SECONDS = 3600.0
FETCH_SECONDS = 10.0  # in total: a provider trickling bytes must not hold a login (or a lock) for long
MAX_DOCUMENT_BYTES = 512 * 1024
_ENDPOINTS = ("authorization_endpoint", "token_endpoint", "jwks_uri")


@dataclass(frozen=True, slots=True)
class ProviderMetadata:
    issuer: str
    document: dict[str, Any]

    def endpoint(self, name: str) -> str:
        return str(self.document[name])

    def supports(self, name: str, value: str) -> bool:
        return value in (self.document.get(name) or [])

    @property
    def sends_iss(self) -> bool:
        """RFC 9207: the provider names itself in every authorization response."""
        return bool(self.document.get("authorization_response_iss_parameter_supported"))


@dataclass
class _CachedKeys:
    keys: KeySet
    fetched_at: float


@dataclass
class ProviderDirectory:
    """Discovery and JWKS of every provider this process has talked to."""

    http: httpx.AsyncClient
    allow_private: bool
    min_refetch: float = 60.0
    _metadata: dict[str, tuple[ProviderMetadata, float]] = field(default_factory=dict)
    _keys: dict[str, _CachedKeys] = field(default_factory=dict)
    # one lock per provider: a slow provider holds up its own organization's logins, no one else's
    _locks: defaultdict[str, asyncio.Lock] = field(default_factory=lambda: defaultdict(asyncio.Lock))

    async def get_json(self, url: str) -> dict[str, Any]:
        """A JSON document from a provider: guarded, bounded in size and in total time."""
        await ensure_fetchable(url, allow_private=self.allow_private)
        try:
            async with asyncio.timeout(FETCH_SECONDS):
                async with self.http.stream("GET", url, headers={"Accept": "application/json"}) as response:
                    response.raise_for_status()
                    body = bytearray()
                    async for chunk in response.aiter_bytes():
                        body += chunk
                        if len(body) > MAX_DOCUMENT_BYTES:
                            raise ValueError(f"larger than {MAX_DOCUMENT_BYTES} bytes")
            document = json.loads(body)
        except (httpx.HTTPError, ValueError, TimeoutError) as exc:
            raise ProviderUnavailable(f"could not fetch {url}: {exc}", code="provider_unreachable") from exc
        if not isinstance(document, dict):
            raise ProviderUnavailable(f"{url} did not answer a JSON object", code="provider_unreachable")
        return document

    async def metadata(self, issuer: str) -> ProviderMetadata:
        cached = self._metadata.get(issuer)
        if cached and time.monotonic() - cached[1] < DISCOVERY_TTL_SECONDS:
            return cached[0]
        document = await self.get_json(issuer.rstrip("/") + "/.well-known/openid-configuration")
        # OpenID Discovery §4.3: the document must name exactly the issuer we asked for
        if document.get("issuer") != issuer:
            raise ProviderUnavailable(
                f"the provider calls itself {document.get('issuer')!r}, not {issuer!r}", code="provider_unusable"
            )
        missing = [name for name in _ENDPOINTS if not isinstance(document.get(name), str)]
        if missing:
            raise ProviderUnavailable(f"the provider's discovery lacks {', '.join(missing)}", code="provider_unusable")
        for name in (*_ENDPOINTS, "userinfo_endpoint"):
            if isinstance(document.get(name), str):
                await ensure_fetchable(document[name], allow_private=self.allow_private)
        metadata = ProviderMetadata(issuer, document)
        self._metadata[issuer] = (metadata, time.monotonic())
        return metadata

    async def keys_for(self, metadata: ProviderMetadata, kid: str | None) -> KeySet:
        """The provider's key set, refetched (rate-limited) when it lacks ``kid``."""
        async with self._locks[metadata.issuer]:
            cached = self._keys.get(metadata.issuer)
            if cached and _has(cached.keys, kid):
                return cached.keys
            if cached and time.monotonic() - cached.fetched_at < self.min_refetch:
                return cached.keys  # refetched moments ago: the kid is simply unknown
            document = await self.get_json(metadata.endpoint("jwks_uri"))
            try:
                keys = KeySet.import_key_set(document)  # type: ignore[arg-type]
            except (JoseError, ValueError, KeyError, TypeError) as exc:
                raise ProviderUnavailable("the provider's JWKS is not a key set", code="provider_unusable") from exc
            self._keys[metadata.issuer] = _CachedKeys(keys, time.monotonic())
            return keys


def _has(keys: KeySet, kid: str | None) -> bool:
    return kid is None or any(key.kid == kid for key in keys.keys)
