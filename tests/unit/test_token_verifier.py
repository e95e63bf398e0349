"""The access-token verifier remembers tokens it verified, but never past their expiry, never
beyond its bounds, and never once the key that signed them has left the ring."""

from __future__ import annotations

import time
from pathlib import Path
from uuid import uuid4

import pytest

from app.domain.access import Caller, Role
from app.infra.auth.keys import Keyring
from app.infra.auth.tokens import InvalidToken, TokenIssuer, TokenVerifier
from tests.unit.test_keyring import _age as age

ISSUER, AUDIENCE = "http://tandem.test", "tandem"
MANAGER = Caller(user_id=uuid4(), role=Role.PROGRAM_MANAGER, org_id=uuid4())


def _ring(tmp_path: Path) -> Keyring:
    return Keyring.open(tmp_path / "signing", publish_ahead_seconds=0)


def test_a_token_verified_once_is_recognised_again_without_its_signature_being_checked(tmp_path: Path) -> None:
    ring = _ring(tmp_path)
    verifier = TokenVerifier(ring, ISSUER, AUDIENCE)
    token = TokenIssuer(ring, ISSUER, AUDIENCE, 300).issue(MANAGER)
    assert verifier.verify(token) == MANAGER
    tampered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    with pytest.raises(InvalidToken):
        verifier.verify(tampered)  # remembering is by the whole token: another signature is checked
    assert verifier.verify(token) == MANAGER
    assert list(verifier._verified) == [token]


def test_a_remembered_token_is_refused_once_it_expired(tmp_path: Path) -> None:
    ring = _ring(tmp_path)
    verifier = TokenVerifier(ring, ISSUER, AUDIENCE, leeway_seconds=0)
    token = TokenIssuer(ring, ISSUER, AUDIENCE, 1).issue(MANAGER)
    assert verifier.verify(token) == MANAGER
    time.sleep(1.1)
    with pytest.raises(InvalidToken):
        verifier.verify(token)


def test_a_remembered_token_is_refused_once_its_key_left_the_ring(tmp_path: Path) -> None:
    ring = Keyring.open(tmp_path / "signing", publish_ahead_seconds=60)
    verifier = TokenVerifier(ring, ISSUER, AUDIENCE)
    token = TokenIssuer(ring, ISSUER, AUDIENCE, 300).issue(MANAGER)
    assert verifier.verify(token) == MANAGER
    first = ring.signing_key().kid
    ring.rotate()
    age(ring, 61 + 901)  # the new key signs, and the old one is older than any token may live
    assert [k.kid for k in ring.prune(token_lifetime_seconds=900)] == [first]
    with pytest.raises(InvalidToken):
        verifier.verify(token)


def test_the_memory_is_bounded(tmp_path: Path) -> None:
    ring = _ring(tmp_path)
    verifier = TokenVerifier(ring, ISSUER, AUDIENCE, remember_at_most=3)
    issuer = TokenIssuer(ring, ISSUER, AUDIENCE, 300)
    tokens = [issuer.issue(MANAGER) for _ in range(5)]
    for token in tokens:
        verifier.verify(token)
    assert list(verifier._verified) == tokens[2:]
