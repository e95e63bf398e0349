"""The committed GraphQL SDL (openapi/schema.graphql): write it, or compare it in a test."""

from __future__ import annotations

import sys
from pathlib import Path

from app.api.graphql.schema import schema

SDL = Path(__file__).resolve().parents[3] / "openapi" / "schema.graphql"


def render() -> str:
    return schema.as_str() + "\n"


def main() -> int:
    SDL.write_text(render())
    print(f"wrote {SDL}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
