"""The committed OpenAPI document (openapi/openapi.json): build it, write it, compare it."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from app.api.app import create_app
from app.api.composition import Settings

DOCUMENT = Path(__file__).resolve().parents[2] / "openapi" / "openapi.json"


def build_document() -> dict[str, Any]:
    """The document as the app serves it; no database is touched."""
    with tempfile.TemporaryDirectory() as data_dir:
        app = create_app(Settings(data_dir=Path(data_dir)), database_url="postgresql+asyncpg://unused/none")
        return app.openapi()


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> int:
    DOCUMENT.parent.mkdir(exist_ok=True)
    DOCUMENT.write_text(render(build_document()))
    print(f"wrote {DOCUMENT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
