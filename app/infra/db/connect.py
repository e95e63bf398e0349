"""Which database to use: DATABASE_URL when set, else the embedded server."""

from __future__ import annotations

from app.infra.db.embedded import start_embedded
from app.infra.settings import Settings


def database_url(settings: Settings) -> str:
    return settings.database_url or start_embedded(settings.data_dir)
