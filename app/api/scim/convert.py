"""Between the SCIM User resource and the use cases' provisioned accounts."""

from __future__ import annotations

from typing import Any

from scim2_models import Context, Meta, ResponseParameters

from app.api.scim.models import EnterpriseUser, TandemUser, User, UserEmail, UserName, UserResource
from app.domain.provisioning import ProvisionedAccount, ProvisionedEmail
from app.services.scim import ProvisionedUser

USERS = "/Users"


def etag_of(version: int) -> str:
    return f'W/"{version}"'


def account_of(user: User[Any]) -> tuple[ProvisionedAccount, bool]:
    """The record a provider sent and whether it has the user active (absent: active, RFC 7643 §4.1.1)."""
    enterprise = user[EnterpriseUser]
    tandem = user[TandemUser]
    account = ProvisionedAccount(
        user_name=user.user_name or "",
        external_id=user.external_id,
        given_name=user.name.given_name if user.name else None,
        family_name=user.name.family_name if user.name else None,
        display_name=user.display_name,
        emails=tuple(
            ProvisionedEmail(e.value, e.type.value if e.type is not None else None, bool(e.primary))
            for e in user.emails or ()
            if e.value
        ),
        department=enterprise.department if enterprise else None,
        birth_year=tandem.birth_year if tandem else None,
        languages=tandem.languages if tandem else None,
        city=tandem.city if tandem else None,
        timezone=tandem.timezone if tandem else None,
        active=user.active,
    )
    return account, account.is_active


def resource_of(provisioned: ProvisionedUser, base_url: str) -> User[Any]:
    account, user = provisioned.account, provisioned.user
    name = UserName(given_name=account.given_name, family_name=account.family_name)
    resource = UserResource(
        id=str(user.id),
        external_id=account.external_id,
        user_name=account.user_name,
        name=name if (name.given_name or name.family_name) else None,
        display_name=account.display_name,
        emails=[UserEmail(value=e.value, type=e.type, primary=e.primary) for e in account.emails] or None,
        active=account.active,
        meta=Meta(
            resource_type="User",
            created=user.created_at,
            last_modified=user.updated_at,
            location=f"{base_url}{USERS}/{user.id}",
            version=etag_of(user.version),
        ),
    )
    if account.department is not None:
        resource[EnterpriseUser] = EnterpriseUser(department=account.department)
    if any(v is not None for v in (account.birth_year, account.languages, account.city, account.timezone)):
        resource[TandemUser] = TandemUser(
            birth_year=account.birth_year,
            languages=account.languages,
            city=account.city,
            timezone=account.timezone,
        )
    return resource


def dump(resource: User[Any], parameters: ResponseParameters[Any] | None = None) -> dict[str, Any]:
    return resource.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE, response_parameters=parameters)
