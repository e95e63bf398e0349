"""The dependency both adapters use to check webhook URLs (SSRF guard, https outside development)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from starlette.requests import HTTPConnection

from app.api.composition import Settings, webhook_url_check
from app.services.ports import WebhookUrlCheck


async def get_webhook_urls(request: HTTPConnection) -> WebhookUrlCheck:
    settings: Settings = request.app.state.settings
    return webhook_url_check(settings)


WebhookUrls = Annotated[WebhookUrlCheck, Depends(get_webhook_urls)]
