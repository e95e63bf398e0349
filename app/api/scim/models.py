"""The SCIM resources Tandem serves, built on scim2-models: only the attributes it keeps, so
that ``/Schemas`` describes exactly what a provider can write and read back."""

from __future__ import annotations

from typing import Annotated

from pydantic import ConfigDict, Field
from scim2_models import (
    URN,
    AnyExtension,
    CaseExact,
    ComplexAttribute,
    Email,
    Extension,
    Mutability,
    Reference,
    Required,
    Resource,
    Uniqueness,
)

# Providers send what their mappings hold (Entra ID: title, phoneNumbers, addresses, name.formatted,
# preferredLanguage, …): what Tandem does not keep is ignored (RFC 7644 §3.3 lets a service
# provider do so), not refused, so a default mapping provisions without edits
IGNORE_UNKNOWN = ConfigDict(extra="ignore")

TANDEM_USER_SCHEMA = "urn:ietf:params:scim:schemas:extension:tandem:2.0:User"
ENTERPRISE_USER_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


class UserName(ComplexAttribute):
    model_config = IGNORE_UNKNOWN

    given_name: str | None = None
    """Given name of the User, or first name in most Western languages."""

    family_name: str | None = None
    """Family name of the User, or last name in most Western languages."""


class UserEmail(ComplexAttribute):
    model_config = IGNORE_UNKNOWN

    value: str | None = None
    """An email address; the primary one (else a work one) is the address the person signs in with."""

    type: Email.Type | None = None
    """A label indicating the attribute's function, e.g. 'work' or 'home'."""

    primary: bool | None = None
    """Whether this is the preferred address; true at most once."""


class EnterpriseUser(Extension):
    """The enterprise extension's department, the one attribute of it Tandem keeps (RFC 7643 §4.3)."""

    __schema__ = URN(ENTERPRISE_USER_SCHEMA)
    model_config = IGNORE_UNKNOWN

    department: str | None = None
    """Identifies the name of a department."""


class TandemUser(Extension):
    """Tandem's own attributes a company's provider may send: they feed the person's profile."""

    __schema__ = URN(TANDEM_USER_SCHEMA)
    model_config = IGNORE_UNKNOWN

    birth_year: int | None = None
    """Year of birth (1900..this year); Tandem creates the person's profile once it knows it."""

    languages: str | None = None
    """Languages the person speaks, comma-separated, e.g. 'en, de' (one directory attribute maps to it)."""

    city: str | None = None
    """The city the person works in."""

    timezone: str | None = None
    """An IANA time zone, e.g. 'Europe/Berlin'."""


class User(Resource[AnyExtension]):
    """A Tandem user account of the organization (RFC 7643 §4.1, the attributes Tandem keeps)."""

    __schema__ = URN("urn:ietf:params:scim:schemas:core:2.0:User")
    model_config = IGNORE_UNKNOWN

    user_name: Annotated[str | None, Uniqueness.server, Required.true] = None
    """Unique identifier for the User: the work address (Entra ID's userPrincipalName)."""

    name: UserName | None = None
    """The components of the user's real name."""

    display_name: str | None = None
    """The name of the User, suitable for display to end-users."""

    emails: list[UserEmail] | None = None
    """Email addresses for the user."""

    active: bool | None = None
    """Whether the user may sign in; false deactivates the person in Tandem."""


# the resource as served: the core attributes with both extensions
UserResource = User[EnterpriseUser | TandemUser]


class GroupMember(ComplexAttribute):
    """A member: a user of the organization, by its id (groups of groups are not kept)."""

    model_config = IGNORE_UNKNOWN

    value: Annotated[str | None, Mutability.immutable, CaseExact.true] = None
    """The id of the member, a User of this service."""

    ref: Annotated[Reference[User] | None, Mutability.immutable] = Field(  # type: ignore[type-arg]
        None, serialization_alias="$ref", validation_alias="$ref"
    )
    """The URI of the member's User resource."""

    type: Annotated[str | None, Mutability.immutable] = Field(None, examples=["User"])
    """The type of the member: 'User'."""


class Group(Resource[AnyExtension]):
    """A group of the organization's identity provider; its displayName maps to a Tandem role."""

    __schema__ = URN("urn:ietf:params:scim:schemas:core:2.0:Group")
    model_config = IGNORE_UNKNOWN

    display_name: Annotated[str | None, Required.true] = None
    """The group's name, as the organization's role mapping names it."""

    members: list[GroupMember] | None = None
    """The users in the group."""
