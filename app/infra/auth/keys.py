"""The token signing key: generated once, kept in the data folder with owner-only rights,
never logged. Its public half is what /.well-known/jwks.json will publish."""

from __future__ import annotations

import json
import os
from pathlib import Path

from joserfc.jwk import ECKey, KeySet

ALGORITHM = "ES256"


def load_or_create_signing_key(path: Path) -> ECKey:
    if path.exists():
        return ECKey.import_key(json.loads(path.read_text()))
    path.parent.mkdir(parents=True, exist_ok=True)
    key = ECKey.generate_key("P-256", parameters={"use": "sig", "alg": ALGORITHM})
    key = ECKey.import_key({**key.as_dict(private=True), "kid": key.thumbprint()})
    # create with 0600 from the start: no moment where the private key is world-readable
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(key.as_dict(private=True), handle)
    return key


def public_key_set(key: ECKey) -> KeySet:
    return KeySet([ECKey.import_key(key.as_dict(private=False))])
