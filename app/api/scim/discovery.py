"""What the SCIM service says about itself (RFC 7644 §4): exactly what it supports.

PATCH yes; filter yes (eq on userName, externalId and emails, with and/or) up to MAX_PAGE
results; ETags yes (``meta.version``, If-Match); bulk, sort and changePassword no; Users and
Groups (whose membership maps to roles).
"""

from __future__ import annotations

from scim2_models import (
    AuthenticationScheme,
    Bulk,
    ChangePassword,
    ETag,
    Filter,
    Patch,
    ResourceType,
    ScimProvider,
    ServiceProviderConfig,
    Sort,
)

from app.api.scim.models import EnterpriseUser, Group, TandemUser, User, UserResource
from app.services.scim import MAX_PAGE

CONFIG = ServiceProviderConfig(
    patch=Patch(supported=True),
    bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
    filter=Filter(supported=True, max_results=MAX_PAGE),
    change_password=ChangePassword(supported=False),
    sort=Sort(supported=False),
    etag=ETag(supported=True),
    authentication_schemes=[
        AuthenticationScheme(
            type="oauthbearertoken",
            name="SCIM bearer token",
            description="A token an org admin creates with POST /v1/organizations/{org_id}/scim-tokens",
            spec_uri="https://www.rfc-editor.org/rfc/rfc6750",
            primary=True,
        )
    ],
)

USER_TYPE = ResourceType.from_resource(UserResource)
GROUP_TYPE = ResourceType.from_resource(Group)
PROVIDER = ScimProvider(
    models=[User, EnterpriseUser, TandemUser, Group], resource_types=[USER_TYPE, GROUP_TYPE], config=CONFIG
)
