"""SCIM test helpers: an organization with a SCIM token, and SCIM answers checked as such."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from app.domain.access import Caller, Role
from app.domain.organization import Organization
from app.services import scim_tokens
from tests.factories import UowFactory, new_org

SCIM = "application/scim+json"
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
TANDEM = "urn:ietf:params:scim:schemas:extension:tandem:2.0:User"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"


async def scim_org(uow: UowFactory) -> tuple[Organization, Caller, dict[str, str]]:
    """An organization, its program manager, and the headers of a SCIM token of it."""
    org, manager = await new_org(uow)
    admin = Caller(uuid.uuid4(), Role.ORG_ADMIN, org_id=org.id)
    issued = await scim_tokens.create_scim_token(uow(), admin, org.id, name="idp")
    return org, manager, {"Authorization": f"Bearer {issued.secret}", "Content-Type": SCIM}


def scim_ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == SCIM
    body: dict[str, Any] = response.json()
    return body


def scim_error(response: httpx.Response, status: int, scim_type: str | None = None) -> dict[str, Any]:
    """A SCIM Error message (RFC 7644 §3.12), never a problem document."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == SCIM, response.headers
    body: dict[str, Any] = response.json()
    assert body["schemas"] == [ERROR] and body["status"] == str(status), body
    assert body.get("scimType") == scim_type, body
    return body


def patch(*operations: dict[str, Any]) -> dict[str, Any]:
    return {"schemas": [PATCH_OP], "Operations": list(operations)}
