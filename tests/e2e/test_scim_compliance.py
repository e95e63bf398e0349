"""The independent SCIM compliance checker (scim2-tester) against a real ``tandem serve``: zero
errors on everything the service's ServiceProviderConfig, Schemas and ResourceTypes claim."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import httpx
from scim2_client import BaseSyncSCIMClient
from scim2_tester import Status, check_server

from tests.e2e.server import environment, serving, token

FAILED = (Status.ERROR, Status.CRITICAL)


class HttpxSCIMClient(BaseSyncSCIMClient):
    """scim2-client over the project's httpx (its own engine wants httpx2, which has the same API)."""

    def __init__(self, client: httpx.Client, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.client = client

    def _stays_under_base_url(self, endpoint: str) -> bool:
        base, url = self.client.base_url, self.client.build_request("GET", endpoint).url
        return url.scheme == base.scheme and url.host == base.host and url.raw_path.startswith(base.raw_path)

    def _parse_json(self, response: Any) -> Any:
        return response.json()

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        return self.client.request(method, url, **kwargs)


def test_scim2_tester_finds_no_error(tmp_path: Path, database_url: str) -> None:
    env = environment(tmp_path, database_url)
    slug = f"scim-{uuid.uuid4().hex[:8]}"
    with serving(env) as base:
        platform = {"Authorization": f"Bearer {token(env, '--role', 'platform_admin')}"}
        org = httpx.post(f"{base}/v1/organizations", json={"name": "SCIM check", "slug": slug}, headers=platform)
        assert org.status_code == 201, org.text
        admin = {"Authorization": f"Bearer {token(env, '--org', slug, '--role', 'org_admin')}"}
        issued = httpx.post(
            f"{base}/v1/organizations/{org.json()['id']}/scim-tokens", json={"name": "checker"}, headers=admin
        )
        assert issued.status_code == 201, issued.text
        http = httpx.Client(
            base_url=issued.json()["scim_base_url"],
            headers={"Authorization": f"Bearer {issued.json()['token']}"},
            timeout=30,
        )
        with http:
            results = check_server(HttpxSCIMClient(http))
    failed = [(r.title, r.resource_type, r.reason) for r in results if r.status in FAILED]
    ran = [r for r in results if r.status is not Status.SKIPPED]
    assert not failed, "\n".join(map(str, failed))
    assert len(ran) > 20, [(r.title, r.status) for r in results]
