"""Signing-key rotation against a running `tandem serve`: no token stops working, no restart."""

from __future__ import annotations

import json
import subprocess
import time
from base64 import urlsafe_b64decode
from pathlib import Path

import httpx
import pytest

from tests.e2e.server import TANDEM, environment, serving
from tests.e2e.server import token as operator_token

pytestmark = pytest.mark.db


def _kid(token: str) -> str:
    header = token.split(".", 1)[0]
    return str(json.loads(urlsafe_b64decode(header + "=" * (-len(header) % 4)))["kid"])


def _tandem(env: dict[str, str], *args: str) -> str:
    return subprocess.run([TANDEM, *args], env=env, capture_output=True, text=True, timeout=60, check=True).stdout


def test_a_rotated_key_is_published_then_signs_while_old_tokens_stay_valid(tmp_path: Path, database_url: str) -> None:
    # the head start must exceed the server's rescan interval (5 s), as 300 s does in production
    env = environment(tmp_path, database_url) | {"TANDEM_KEY_PUBLISH_AHEAD_SECONDS": "8"}
    with serving(env) as base:
        old_token = operator_token(env, "--role", "platform_admin")
        old_kid = _kid(old_token)
        assert "rotate" not in _tandem(env, "keys", "list") and old_kid in _tandem(env, "keys", "list")

        new_kid = _tandem(env, "keys", "rotate").split()[3].rstrip(";")
        rotated_at = time.monotonic()
        assert _kid(operator_token(env, "--role", "platform_admin")) == old_kid  # not signing yet
        deadline = rotated_at + 15  # the server rescans its key folder every few seconds
        while new_kid not in {k["kid"] for k in httpx.get(f"{base}/.well-known/jwks.json").json()["keys"]}:
            assert time.monotonic() < deadline, "the running server never published the new key"
            time.sleep(0.5)

        time.sleep(max(0.0, rotated_at + 8.5 - time.monotonic()))
        new_token = operator_token(env, "--role", "platform_admin")
        assert _kid(new_token) == new_kid
        for token in (old_token, new_token):  # both verify: clients holding either keep working
            assert httpx.get(f"{base}/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200

        # pruning keeps the old key while a token signed by it may still be valid
        assert "removed 0" in _tandem(env, "keys", "prune")
