"""API10:2023 Unsafe Consumption of APIs: what partners and identity providers send is hostile
until validated.

Partner networks push mentors (PUT /v1/partners/{partner_id}/mentors): rows beyond the field
limits, of the wrong types, with NUL characters or Unicode look-alikes in their ids, JSON nested
a thousand levels deep, bodies of 10 MB, bytes that are no UTF-8 and NDJSON with garbage lines
each get a clean answer (a per-row error or a 4xx problem), never a 500, and nothing with a NUL
is stored. Identity providers' claims (the id token behind a sign-in) are the second half.
"""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from app.domain.access import Caller, Role
from app.domain.partner import MAX_EXTERNAL_ID_LENGTH
from app.domain.sso import ProviderIdentity
from tests.api import route_matrix_world as w
from tests.api.route_matrix_world import PARTNER
from tests.factories import new_org

pytestmark = pytest.mark.db

NDJSON = "application/x-ndjson"


def _row(**fields: Any) -> dict[str, Any]:
    return {"external_id": f"api10/{uuid.uuid4().hex[:10]}", "display_name": "Mia", "birth_year": 1999} | fields


async def _sync(client: httpx.AsyncClient, world: w.World, bearer: Any, **request: Any) -> httpx.Response:
    url = f"/v1/partners/{world.ids['partner_id']}/mentors"
    headers = bearer(world.callers[PARTNER]) | request.pop("headers", {})
    response = await client.put(url, headers=headers, **request)
    assert response.status_code < 500, f"{response.status_code} {response.text[:300]}"
    return response


def _items(response: httpx.Response) -> list[dict[str, Any]]:
    """The rows' results of a sync: a JSON batch's items, or an NDJSON answer's lines but the last
    (the counts)."""
    if response.headers["content-type"] == NDJSON:
        return [json.loads(line) for line in response.text.splitlines()][:-1]
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def _pool_text(client: httpx.AsyncClient, world: w.World, bearer: Any) -> str:
    url = f"/v1/partners/{world.ids['partner_id']}/mentors"
    texts, cursor = [], None
    while True:
        params = {"limit": 200} | ({"cursor": cursor} if cursor else {})
        page = await client.get(url, params=params, headers=bearer(world.callers[PARTNER]))
        assert page.status_code == 200, page.text
        texts.append(page.text)
        cursor = page.json().get("next_cursor")
        if not cursor:
            return "".join(texts)


HOSTILE_ROWS: dict[str, dict[str, Any] | Any] = {
    "display name over its limit": _row(display_name="x" * 5_000),
    "external id over its limit": _row(external_id="e" * (MAX_EXTERNAL_ID_LENGTH + 1)),
    "bio over its limit": _row(bio="b" * 20_000),
    "birth year a string": _row(birth_year="nineteen"),
    "birth year a float": _row(birth_year=1999.5),
    "languages a string": _row(languages="de"),
    "interests an object": _row(interests={"a": 1}),
    "display name a list": _row(display_name=["Mia"]),
    "external id a number": _row(external_id=12345),
    "email not an email": _row(email="not-an-email"),
    "time zone made up": _row(timezone="Mars/Olympus"),
    "NUL in the display name": _row(display_name="Mia\x00"),
    "NUL in the external id": _row(external_id="api10/\x00nul"),
    "NUL in the bio": _row(bio="hello\x00world"),
    "NUL in a language": _row(languages=["de\x00"]),
    "row is a string": "mentor",
    "row is null": None,
    "row is a list": [1, 2, 3],
}


@pytest.mark.parametrize("how", HOSTILE_ROWS)
async def test_a_hostile_row_fails_alone_and_stores_nothing(
    how: str, client: httpx.AsyncClient, world: w.World, bearer: Any
) -> None:
    good = _row()
    response = await _sync(client, world, bearer, json={"items": [HOSTILE_ROWS[how], good]})
    assert response.status_code == 200, response.text[:300]
    bad, fine = response.json()["items"]
    assert bad["status"] == "error" and bad["errors"], f"{how}: {bad}"
    assert all(error["code"] and error["field"] for error in bad["errors"]), bad
    assert fine["status"] == "created", fine
    if isinstance(HOSTILE_ROWS[how], dict) and "NUL" in how:
        assert "\\u0000" not in await _pool_text(client, world, bearer)


async def test_look_alike_external_ids_never_collide(client: httpx.AsyncClient, world: w.World, bearer: Any) -> None:
    """Latin "a" and Cyrillic "\\u0430" (U+0430) are different ids: two mentors, each found by its own id."""
    tail = uuid.uuid4().hex[:8]
    latin, cyrillic = f"anna-{tail}", f"\u0430nna-{tail}"
    rows = [_row(external_id=latin, display_name="Latin"), _row(external_id=cyrillic, display_name="Cyrillic")]
    response = await _sync(client, world, bearer, json={"items": rows})
    assert [item["status"] for item in response.json()["items"]] == ["created", "created"], response.text
    url = f"/v1/partners/{world.ids['partner_id']}/mentors/"
    for external_id, name in ((latin, "Latin"), (cyrillic, "Cyrillic")):
        found = await client.get(url + external_id, headers=bearer(world.callers[PARTNER]))
        assert found.status_code == 200 and found.json()["display_name"] == name, found.text
        assert found.json()["external_id"] == external_id


def _nested(depth: int) -> str:
    return '{"items": [' + '{"external_id": "deep", "display_name": ' + "[" * depth + "]" * depth + "}]}"


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (_nested(1_000).encode(), "application/json"),
        (("[" * 1_000 + "]" * 1_000).encode(), "application/json"),
        (b'{"items": [{"external_id": "\xff\xfe", "display_name": "M\xe9", "birth_year": 1999}]}', "application/json"),
        (b'{"external_id": "\xc3\x28", "display_name": "M", "birth_year": 1999}\n', NDJSON),
        (b'{"items": [', "application/json"),
        (b"\x00\x00\x00", "application/json"),
        (b"", "application/json"),
        (json.dumps({"items": {"not": "a list"}}).encode(), "application/json"),
    ],
    ids=[
        "nested 1000 in a row",
        "nested 1000 at the top",
        "invalid UTF-8",
        "invalid UTF-8 NDJSON",
        "truncated JSON",
        "NUL bytes",
        "empty",
        "items an object",
    ],
)
async def test_a_malformed_body_is_a_4xx_problem(
    body: bytes, content_type: str, client: httpx.AsyncClient, world: w.World, bearer: Any
) -> None:
    response = await _sync(client, world, bearer, content=body, headers={"Content-Type": content_type})
    if response.status_code == 200:  # NDJSON and nested rows may fail row by row instead
        assert all(item["status"] == "error" for item in _items(response)), response.text[:300]
    else:
        assert 400 <= response.status_code < 500
        assert response.headers["content-type"].startswith("application/problem+json"), response.text[:300]


async def test_a_10_mb_body_is_413(client: httpx.AsyncClient, world: w.World, bearer: Any) -> None:
    body = b'{"items": [' + b" " * (10 * 1024 * 1024) + b"]}"
    response = await _sync(client, world, bearer, content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 413 and response.json()["code"] == "payload_too_large"


async def test_ndjson_garbage_lines_fail_alone(client: httpx.AsyncClient, world: w.World, bearer: Any) -> None:
    good = _row()
    lines = [json.dumps(good), "not json", "{", '"a string"', "[1,2]", "null", "\x00", json.dumps(_row())]
    response = await _sync(client, world, bearer, content="\n".join(lines), headers={"Content-Type": NDJSON})
    assert response.status_code == 200, response.text[:300]
    statuses = [item["status"] for item in _items(response)]
    assert statuses == ["created", *["error"] * 6, "created"], response.text[:500]


# identity providers' claims -------------------------------------------------------------------

DOMAIN = "acme.example"


def _claims(**claims: Any) -> dict[str, Any]:
    base = {"sub": f"sub-{uuid.uuid4().hex}", "email": f"p{uuid.uuid4().hex[:8]}@{DOMAIN}", "email_verified": True}
    return base | {"name": "Pat", "birthdate": "1970-01-01"} | claims


HOSTILE_CLAIMS: dict[str, dict[str, Any]] = {
    "NUL in sub": _claims(sub="evil\x00sub"),
    "sub of 100 kB": _claims(sub="s" * 100_000),
    "sub an object": _claims(sub={"id": 1}),
    "sub a list": _claims(sub=["a", "b"]),
    "sub empty": _claims(sub=""),
    "NUL in name": _claims(name="Mal\x00lory"),
    "name of 100 kB": _claims(name="n" * 100_000),
    "name a list": _claims(name=["Pat"]),
    "NUL in email": _claims(email=f"pat\x00@{DOMAIN}"),
    "email a list": _claims(email=[f"pat@{DOMAIN}"]),
    "email of 100 kB": _claims(email="e" * 100_000 + f"@{DOMAIN}"),
    "email_verified a string": _claims(email_verified="yes"),
    "roles claim an object": _claims(groups={"admins": True}),
    "roles claim a list of objects": _claims(groups=[{"name": "admins"}, None, 3]),
    "NUL in zoneinfo": _claims(zoneinfo="Europe/Berlin\x00"),
    "zoneinfo made up": _claims(zoneinfo="../../etc/passwd"),
    "birthdate an object": _claims(birthdate={"year": 1970}),
    "birthdate with NUL": _claims(birthdate="1970\x00"),
}


class _Provider:
    """An identity provider that answers the claims it is given, mapped as the real one maps them."""

    def __init__(self, claims: dict[str, Any]) -> None:
        self.claims = claims
        self.state = ""

    async def authorization_url(self, config: Any, *, state: str, **_: Any) -> str:
        self.state = state
        return "https://idp.example.com/authorize"

    async def complete(self, config: Any, **_: Any) -> ProviderIdentity:
        return ProviderIdentity.from_claims(self.claims)

    async def verify_logout_token(self, config: Any, logout_token: str) -> Any:
        raise AssertionError("not in these tests")


@pytest.fixture
async def sso_org(client: httpx.AsyncClient, bearer: Any, uow_factory: Any) -> Any:
    org, _ = await new_org(uow_factory)
    admin = bearer(Caller(uuid.uuid4(), Role.ORG_ADMIN, org_id=org.id))
    body = {
        "issuer": "https://idp.example.com",
        "client_id": "tandem",
        "client_secret": "s",
        "allowed_email_domains": [DOMAIN],
        "role_mapping": {"admins": "org_admin"},
    }
    configured = await client.put(f"/v1/organizations/{org.id}/sso", json=body, headers=admin)
    assert configured.status_code == 200, configured.text
    return org


async def _sign_in(app: FastAPI, client: httpx.AsyncClient, slug: str, claims: dict[str, Any]) -> httpx.Response:
    provider, original = _Provider(claims), app.state.identity_providers
    app.state.identity_providers = provider
    try:
        started = await client.get(f"/auth/{slug}/login", follow_redirects=False)
        assert started.status_code == 302, started.text
        return await client.get(f"/auth/{slug}/callback", params={"state": provider.state, "code": "c"})
    finally:
        app.state.identity_providers = original


def _garbage(value: Any) -> bool:
    return isinstance(value, str) and (len(value) > 320 or not value.isprintable())


@pytest.mark.parametrize("how", HOSTILE_CLAIMS)
async def test_hostile_provider_claims_are_refused_or_stored_clean(
    how: str, app: FastAPI, client: httpx.AsyncClient, sso_org: Any, uow_factory: Any
) -> None:
    response = await _sign_in(app, client, sso_org.slug, HOSTILE_CLAIMS[how])
    assert response.status_code < 500, f"{how}: {response.status_code} {response.text[:300]}"
    if response.status_code != 200:
        assert 400 <= response.status_code < 500 and response.json()["code"], response.text[:300]
        return
    user_id = uuid.UUID(_token_subject(response.json()["access_token"]))
    async with uow_factory() as uow:
        user = await uow.users.get(user_id)
        person = await uow.people.get(sso_org.id, user.person_id) if user and user.person_id else None
    assert user is not None
    stored = [user.email, user.display_name, user.sso_subject]
    if person is not None:
        stored += [person.display_name, person.email, person.timezone]
    assert not any(_garbage(value) for value in stored), f"{how}: stored {stored!r:.300}"
    assert user.role is Role.MEMBER, f"{how}: a malformed roles claim grants {user.role}"


def _token_subject(token: str) -> str:
    payload = token.split(".")[1]
    return str(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["sub"])


async def test_a_well_formed_sign_in_works(
    app: FastAPI, client: httpx.AsyncClient, sso_org: Any, uow_factory: Any
) -> None:
    """The baseline: the same path with sane claims signs in (so the refusals above are real)."""
    response = await _sign_in(app, client, sso_org.slug, _claims(groups=["admins"]))
    assert response.status_code == 200, response.text
    async with uow_factory() as uow:
        user = await uow.users.get(uuid.UUID(_token_subject(response.json()["access_token"])))
    assert user is not None and user.role is Role.ORG_ADMIN and user.display_name == "Pat"
