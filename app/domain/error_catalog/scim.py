"""Codes of SCIM provisioning's /v1 side: the organization's SCIM tokens.

Under ``/scim/v2`` errors are SCIM error documents (RFC 7644 §3.12) with a ``scimType``, not
problem documents: those are the SCIM adapter's, not this catalog's.
"""

from __future__ import annotations

from app.domain.error_catalog.entry import ErrorCode, Feature
from app.domain.errors import NotFound

SCIM = Feature(
    "scim",
    "SCIM 2.0 provisioning from the organization's identity provider: its bearer tokens.",
    (
        ErrorCode(
            "scim_token_not_found",
            NotFound,
            "SCIM token not found",
            "No such SCIM token of this organization (it may have been revoked).",
        ),
    ),
)
