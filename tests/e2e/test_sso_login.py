"""Single sign-on against a real OpenID provider (panva's oidc-provider on loopback) and a real
``tandem serve`` process: the whole browserless login, and the ways it must refuse."""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.e2e.sso import Tandem, configured, login
from tests.oidc.harness import Account

pytestmark = pytest.mark.db


def test_a_user_signs_in_through_the_organizations_provider(oidc_provider_factory, tandem: Tandem) -> None:
    provider, slug = configured(oidc_provider_factory, tandem)
    browser, callback = login(tandem, slug, "alice")
    assert parse_qs(urlsplit(callback).query)["iss"] == [provider.issuer]  # RFC 9207 from the provider

    done = browser.get(callback)
    assert done.status_code == 200, done.text
    tokens = done.json()
    assert tokens["token_type"] == "Bearer" and tokens["refresh_token"].startswith("rt_")
    assert done.headers["cache-control"] == "no-store"
    # the access log shows the callback, but not the provider's code or the login state
    log = (Path(tandem.env["TANDEM_DATA_DIR"]) / "serve.log").read_text()
    query = parse_qs(urlsplit(callback).query)
    assert f"/auth/{slug}/callback?code=[redacted]" in log
    assert query["code"][0] not in log and query["state"][0] not in log

    me = httpx.get(f"{tandem.base}/v1/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert me.status_code == 200, me.text
    assert me.json()["role"] == "program_manager"  # alice is in "staff", mapped by the organization

    refreshed = httpx.post(
        f"{tandem.base}/oauth/token", data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
    )
    assert refreshed.status_code == 200, refreshed.text

    # the same person signing in again is the same user (found by the provider's subject)
    _, again = login(tandem, slug, "alice", browser=browser)
    second = browser.get(again).json()
    me_again = httpx.get(f"{tandem.base}/v1/me", headers={"Authorization": f"Bearer {second['access_token']}"})
    assert me_again.json()["user_id"] == me.json()["user_id"]


def test_login_hint_and_prompt_reach_the_provider(oidc_provider_factory, tandem: Tandem) -> None:
    _, slug = configured(oidc_provider_factory, tandem)
    query = "?login_hint=alice%40example.org&prompt=login"
    started = httpx.get(f"{tandem.base}/auth/{slug}/login{query}")
    sent = parse_qs(urlsplit(started.headers["location"]).query)
    assert sent["login_hint"] == ["alice@example.org"] and sent["prompt"] == ["login"]
    browser, callback = login(tandem, slug, "alice", query=query)  # the provider takes them
    assert browser.get(callback).status_code == 200


def test_a_user_of_a_disallowed_email_domain_is_refused(oidc_provider_factory, tandem: Tandem) -> None:
    provider, slug = configured(oidc_provider_factory, tandem)
    provider.add_account(Account(sub="mallory", email="mallory@elsewhere.example", name="Mallory"))
    browser, callback = login(tandem, slug, "mallory")
    refused = browser.get(callback)
    assert refused.status_code == 403, refused.text
    assert refused.json()["code"] == "email_domain_not_allowed"


def test_a_replayed_forged_or_foreign_browser_state_is_refused(oidc_provider_factory, tandem: Tandem) -> None:
    _, slug = configured(oidc_provider_factory, tandem)
    browser, callback = login(tandem, slug, "bob")

    # another browser (no login cookie) presenting the victim's callback gets nowhere
    stranger = httpx.get(callback)
    assert stranger.status_code == 400 and stranger.json()["code"] == "invalid_state"

    forged = callback.replace("state=", f"state={secrets.token_urlsafe(8)}")
    assert browser.get(forged).json()["code"] == "invalid_state"

    # the refusals did not spoil the rightful browser's login; it works once, and only once
    assert browser.get(callback).status_code == 200
    replay = browser.get(callback)
    assert replay.status_code == 400 and replay.json()["code"] == "invalid_state"


def test_tenant_a_provider_cannot_sign_in_to_tenant_b(oidc_provider_factory, tandem: Tandem) -> None:
    provider_a, slug_a = configured(oidc_provider_factory, tandem)
    _, slug_b = configured(oidc_provider_factory, tandem)
    provider_a.restart(redirect_uris=[tandem.callback(slug_a), tandem.callback(slug_b)])

    # mix-up: B's login is started, but the browser is answered by A's provider
    browser = httpx.Client(timeout=30)
    started_b = browser.get(f"{tandem.base}/auth/{slug_b}/login")
    state_b = parse_qs(urlsplit(started_b.headers["location"]).query)["state"][0]
    _, callback_a = login(tandem, slug_a, "alice", browser=browser)
    params_a = parse_qs(urlsplit(callback_a).query)
    mixed = browser.get(
        tandem.callback(slug_b), params={"code": params_a["code"][0], "state": state_b, "iss": provider_a.issuer}
    )
    assert mixed.status_code == 401 and mixed.json()["code"] == "issuer_mismatch"

    # and A's own answer delivered to B's callback does not match any attempt of B
    replanted = browser.get(tandem.callback(slug_b), params={k: v[0] for k, v in params_a.items()})
    assert replanted.status_code == 400 and replanted.json()["code"] == "invalid_state"


def test_a_provider_key_rotation_is_picked_up(oidc_provider_factory, tandem: Tandem) -> None:
    provider, slug = configured(oidc_provider_factory, tandem)
    browser, callback = login(tandem, slug, "alice")
    assert browser.get(callback).status_code == 200  # Tandem now caches the provider's keys

    provider.rotate_keys()  # new kid; the old key is gone from the provider's JWKS
    time.sleep(1.1)  # Tandem refetches a provider's keys at most once per second in this setup
    browser, callback = login(tandem, slug, "alice")
    done = browser.get(callback)
    assert done.status_code == 200, done.text


def test_a_front_end_gets_a_one_time_code_bound_to_its_pkce(oidc_provider_factory, tandem: Tandem) -> None:
    frontend = "https://app.example.org/signed-in"
    _, slug = configured(oidc_provider_factory, tandem, frontend_url=frontend)
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    browser, callback = login(tandem, slug, "bob", query=f"?code_challenge={challenge}&code_challenge_method=S256")

    landed = browser.get(callback)
    assert landed.status_code == 302 and landed.headers["location"].startswith(frontend + "?code=")
    assert "access_token" not in landed.headers["location"]  # no token travels in a URL
    code = parse_qs(urlsplit(landed.headers["location"]).query)["code"][0]

    token_url = f"{tandem.base}/oauth/token"
    without = httpx.post(token_url, data={"grant_type": "authorization_code", "code": code})
    assert without.status_code == 400 and without.json()["error"] == "invalid_grant"
    exchanged = httpx.post(
        token_url, data={"grant_type": "authorization_code", "code": code, "code_verifier": verifier}
    )
    assert exchanged.status_code == 200, exchanged.text
    me = httpx.get(f"{tandem.base}/v1/me", headers={"Authorization": f"Bearer {exchanged.json()['access_token']}"})
    assert me.status_code == 200 and me.json()["role"] == "member"  # bob is in no mapped group


def test_one_new_user_signing_in_twice_at_once_becomes_one_user(oidc_provider_factory, tandem: Tandem) -> None:
    provider, slug = configured(oidc_provider_factory, tandem)
    provider.add_account(Account(sub="carla", email="carla@example.org", name="Carla", groups=("staff",)))
    logins = [login(tandem, slug, "carla") for _ in range(4)]  # four browsers, one person
    with ThreadPoolExecutor(max_workers=4) as pool:
        done = list(pool.map(lambda login: login[0].get(login[1]), logins))
    assert [r.status_code for r in done] == [200] * 4, [r.text for r in done]
    users = {
        httpx.get(f"{tandem.base}/v1/me", headers={"Authorization": f"Bearer {r.json()['access_token']}"}).json()[
            "user_id"
        ]
        for r in done
    }
    assert len(users) == 1


def test_an_email_never_hands_over_an_account_bound_to_another_subject(oidc_provider_factory, tandem: Tandem) -> None:
    provider, slug = configured(oidc_provider_factory, tandem)
    browser, callback = login(tandem, slug, "alice")
    assert browser.get(callback).status_code == 200  # alice@example.org is now bound to subject "alice"

    # another account of the provider claiming the same address (verified or not) gets no access to it
    provider.add_account(Account(sub="mallory", email="alice@example.org", name="Mallory"))
    browser, callback = login(tandem, slug, "mallory")
    taken = browser.get(callback)
    assert taken.status_code == 409 and taken.json()["code"] == "email_in_use"

    # nor does a lookalike address that lowercases onto it (the Kelvin sign K)
    provider.add_account(Account(sub="kelvin", email="\u212alice@example.org", name="Kelvin"))
    browser, callback = login(tandem, slug, "kelvin")
    lookalike = browser.get(callback)
    assert lookalike.status_code == 403 and lookalike.json()["code"] == "email_not_supported"


def test_a_partners_mentor_is_never_taken_for_an_employees_profile(oidc_provider_factory, tandem: Tandem) -> None:
    _, slug = configured(oidc_provider_factory, tandem)
    org_id = tandem.org_ids[slug]
    partner = httpx.post(f"{tandem.base}/v1/partners", json={"name": f"P {slug}"}, headers=tandem.admin).json()
    assert (
        httpx.post(
            f"{tandem.base}/v1/organizations/{org_id}/partners/{partner['id']}", headers=tandem.admin
        ).status_code
        == 201
    )
    issued = httpx.post(
        f"{tandem.base}/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": partner["client_id"],
            "client_secret": partner["client_secret"],
        },
    ).json()
    planted = {"external_id": "p-1", "display_name": "Planted", "birth_year": 2000, "email": "bob@example.org"}
    synced = httpx.put(
        f"{tandem.base}/v1/partners/{partner['id']}/mentors",
        json={"items": [planted]},
        headers={"Authorization": f"Bearer {issued['access_token']}"},
    )
    assert synced.status_code == 200, synced.text

    browser, callback = login(tandem, slug, "bob")
    tokens = browser.get(callback).json()
    me = httpx.get(f"{tandem.base}/v1/me", headers={"Authorization": f"Bearer {tokens['access_token']}"}).json()
    assert me["person"] is None  # bob creates his own profile; the partner's record stays the partner's


def test_a_front_end_login_without_its_own_pkce_challenge_is_refused(oidc_provider_factory, tandem: Tandem) -> None:
    _, slug = configured(oidc_provider_factory, tandem, frontend_url="https://app.example.org/signed-in")
    refused = httpx.get(f"{tandem.base}/auth/{slug}/login")
    assert refused.status_code == 400 and refused.json()["code"] == "code_challenge_required"
