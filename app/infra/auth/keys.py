"""Token signing keys: a key ring in the data folder, rotated without downtime.

Each key is one file ``keys/signing/<created>-<kid>.json`` (owner-only rights, never logged).
Rotation (``tandem keys rotate``) adds a key; the JWKS publishes every key at once, but a new
key only starts signing ``publish_ahead`` later, once every instance and every client cache
has had time to see it. ``tandem keys prune`` removes keys that stopped signing longer ago
than any token lives. Running processes notice changes to the folder by themselves.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from joserfc.jwk import ECKey, KeySet

ALGORITHM = "ES256"
RESCAN_SECONDS = 5.0  # how stale a process's view of the key folder may be


@dataclass(frozen=True, slots=True)
class RingKey:
    key: ECKey
    created: float  # unix seconds
    path: Path

    @property
    def kid(self) -> str:
        return str(self.key.kid)


def generate_key() -> ECKey:
    key = ECKey.generate_key("P-256", parameters={"use": "sig", "alg": ALGORITHM})
    return ECKey.import_key({**key.as_dict(private=True), "kid": key.thumbprint()})


def _write_private(path: Path, key: ECKey) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # created with 0600 from the start: no moment where the private key is world-readable
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(key.as_dict(private=True), handle)


class Keyring:
    """The signing keys of this deployment. Thread-safe; re-reads its folder at most every few seconds."""

    def __init__(self, folder: Path, *, publish_ahead_seconds: float = 300.0) -> None:
        self.folder = folder
        self.publish_ahead = publish_ahead_seconds
        self._lock = threading.Lock()
        self._keys: list[RingKey] = []
        self._public = KeySet([])  # built once per change of the folder: every request verifies with it
        self._scanned_at = 0.0
        self._folder_mtime = -1.0

    @classmethod
    def open(cls, folder: Path, *, publish_ahead_seconds: float = 300.0, legacy_key: Path | None = None) -> Keyring:
        """Open the ring. A fresh deployment gets its first key, which signs at once; the single
        key of an older release joins the ring, so the tokens it signed stay valid."""
        ring = cls(folder, publish_ahead_seconds=publish_ahead_seconds)
        if not ring.entries():
            if legacy_key is not None and legacy_key.exists():
                first = ECKey.import_key(json.loads(legacy_key.read_text()))
            else:
                first = generate_key()
            # another process may open the fresh ring at the same moment with the same (legacy) key
            with contextlib.suppress(FileExistsError):
                ring.add(first, created=time.time() - publish_ahead_seconds)
        return ring

    def add(self, key: ECKey, *, created: float | None = None) -> RingKey:
        created = time.time() if created is None else created
        path = self.folder / f"{int(created):010d}-{key.kid}.json"
        _write_private(path, key)
        os.utime(path, (created, created))
        self._scanned_at = 0.0  # this process sees its own change at once
        return RingKey(key, created, path)

    def entries(self) -> list[RingKey]:
        """All keys, oldest first."""
        with self._lock:
            now = time.monotonic()
            if now - self._scanned_at >= RESCAN_SECONDS:
                self._scanned_at = now
                mtime = self.folder.stat().st_mtime if self.folder.exists() else -1.0
                if mtime != self._folder_mtime or not self._keys:
                    self._folder_mtime = mtime
                    self._keys = self._read()
                    self._public = KeySet([ECKey.import_key(k.key.as_dict(private=False)) for k in self._keys])
            return list(self._keys)

    def _read(self) -> list[RingKey]:
        found = []
        for path in sorted(self.folder.glob("*.json")) if self.folder.exists() else []:
            created = float(path.name.split("-", 1)[0])
            found.append(RingKey(ECKey.import_key(json.loads(path.read_text())), created, path))
        return found

    def signing_key(self) -> ECKey:
        """The newest key that has been published long enough; the oldest one if none has."""
        keys = self.entries()
        ready = [k for k in keys if time.time() - k.created >= self.publish_ahead]
        return (ready[-1] if ready else keys[0]).key

    def public_keys(self) -> KeySet:
        self.entries()  # rescans when due
        return self._public

    def knows(self, kid: str) -> bool:
        return any(k.kid == kid for k in self.entries())

    def rotate(self) -> RingKey:
        return self.add(generate_key())

    def prune(self, *, token_lifetime_seconds: float) -> list[RingKey]:
        """Remove keys that no valid token can still name: superseded longer than a token lives."""
        keys, signer = self.entries(), self.signing_key()
        signer_index = next(i for i, k in enumerate(keys) if k.kid == signer.kid)
        successor_since = {keys[i].kid: keys[i + 1].created + self.publish_ahead for i in range(len(keys) - 1)}
        removed = [k for k in keys[:signer_index] if time.time() - successor_since[k.kid] > token_lifetime_seconds]
        for k in removed:
            k.path.unlink(missing_ok=True)
        self._scanned_at = 0.0
        return removed
