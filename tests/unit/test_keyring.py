"""The signing key ring: a rotated key is published before it signs, and pruning keeps every
key a still-valid token may name."""

from __future__ import annotations

import os
import time
from pathlib import Path

from app.infra.auth.keys import Keyring


def _age(ring: Keyring, seconds: float) -> None:
    """Pretend every key was created ``seconds`` earlier (file names carry the creation time)."""
    for entry in ring.entries():
        created = entry.created - seconds
        entry.path.rename(entry.path.with_name(f"{int(created):010d}-{entry.kid}.json"))
    ring._scanned_at = 0.0  # look again now


def test_a_fresh_ring_has_one_key_that_signs_at_once(tmp_path: Path) -> None:
    ring = Keyring.open(tmp_path / "signing", publish_ahead_seconds=300)
    [only] = ring.entries()
    assert ring.signing_key().kid == only.kid
    assert oct(os.stat(only.path).st_mode & 0o777) == "0o600"
    assert "d" not in ring.public_keys().as_dict()["keys"][0]


def test_a_rotated_key_is_published_first_and_signs_after_the_head_start(tmp_path: Path) -> None:
    ring = Keyring.open(tmp_path / "signing", publish_ahead_seconds=300)
    old = ring.signing_key().kid
    new = ring.rotate().kid
    assert {k["kid"] for k in ring.public_keys().as_dict()["keys"]} == {old, new}
    assert ring.signing_key().kid == old  # clients may not know the new key yet
    _age(ring, 301)
    assert ring.signing_key().kid == new


def test_another_process_sees_a_rotation(tmp_path: Path) -> None:
    folder = tmp_path / "signing"
    mine, theirs = Keyring.open(folder, publish_ahead_seconds=0), Keyring(folder, publish_ahead_seconds=0)
    assert theirs.signing_key().kid == mine.signing_key().kid
    rotated = mine.rotate()
    theirs._scanned_at = 0.0  # instead of waiting for the rescan interval
    time.sleep(0.01)
    assert theirs.knows(rotated.kid)


def test_prune_removes_only_keys_no_valid_token_can_name(tmp_path: Path) -> None:
    ring = Keyring.open(tmp_path / "signing", publish_ahead_seconds=60)
    first = ring.signing_key().kid
    ring.rotate()
    _age(ring, 61)  # the second key signs now; the first signed until a moment ago
    assert ring.prune(token_lifetime_seconds=900) == []
    _age(ring, 901)
    assert [k.kid for k in ring.prune(token_lifetime_seconds=900)] == [first]
    assert not ring.knows(first) and len(ring.entries()) == 1


def test_the_key_of_an_older_release_joins_the_ring(tmp_path: Path) -> None:
    legacy_ring = Keyring.open(tmp_path / "old", publish_ahead_seconds=0)
    legacy_file = tmp_path / "signing-key.json"
    legacy_file.write_text(legacy_ring.entries()[0].path.read_text())
    ring = Keyring.open(tmp_path / "signing", legacy_key=legacy_file)
    assert ring.signing_key().kid == legacy_ring.signing_key().kid
