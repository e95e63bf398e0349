"""PATCH operations on attributes Tandem does not keep are dropped before the rest apply.

Entra ID and Okta patch every attribute their mapping holds (title, phoneNumbers, addresses,
…); refusing the whole request for one of them would stop the provider's updates of the ones
Tandem does keep. An operation on an unknown path, or an unknown key of a path-less value,
goes; anything else invalid (a bad value of a kept attribute) still fails the whole request.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from scim2_models import Context, PatchOp

from app.api.scim.models import UserResource

UNKNOWN = ("is not an attribute of the schema", "is not declared by the resource schema")
MESSAGE = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


def _unknown(operation: dict[str, Any]) -> bool:
    try:
        PatchOp[UserResource].model_validate(
            {"schemas": [MESSAGE], "Operations": [operation]}, scim_ctx=Context.RESOURCE_PATCH_REQUEST
        )
    except ValidationError as error:
        return any(any(marker in e.get("msg", "") for marker in UNKNOWN) for e in error.errors())
    return False


def known_operations(body: Any) -> Any:
    """The request with only the operations (and value keys) on attributes Tandem keeps."""
    if not isinstance(body, dict) or not isinstance(body.get("Operations"), list):
        return body
    kept = []
    for operation in body["Operations"][:100]:
        if not isinstance(operation, dict):
            kept.append(operation)  # refused by the validation that follows
        elif operation.get("path") is None and isinstance(operation.get("value"), dict):
            value = {k: v for k, v in operation["value"].items() if not _unknown({**operation, "value": {k: v}})}
            if value:
                kept.append({**operation, "value": value})
        elif not _unknown(operation):
            kept.append(operation)
    return {**body, "Operations": kept}
