"""Users: the login identities behind callers. A member user is bound to one Person."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID, uuid4

from app.domain.access import Caller, Role
from app.domain.clock import utcnow
from app.domain.provisioning import ProvisionedAccount

ERASED_EMAIL_DOMAIN = "erased.invalid"  # RFC 2606: never delivered anywhere


@dataclass(eq=False)
class User:
    email: str
    role: Role
    org_id: UUID | None = None
    person_id: UUID | None = None
    sso_subject: str | None = None  # the provider's ``sub``: who this is, whatever the email
    sso_issuer: str | None = None  # the provider that said so (its issuer URL), for ``sso_subject``
    display_name: str | None = None  # the provider's ``name`` claim at the last sign-in
    last_login_at: datetime | None = None
    # the organization's identity provider's record of this account (SCIM), while it provisions it
    provisioned: ProvisionedAccount | None = None
    deactivated_at: datetime | None = None  # the provider deactivated the account: no sign-in
    id: UUID = field(default_factory=uuid4)
    version: int = 1
    created_at: datetime = field(default_factory=utcnow)
    updated_at: datetime = field(default_factory=utcnow)

    @property
    def active(self) -> bool:
        return self.deactivated_at is None

    def deactivate(self) -> bool:
        """No more sign-ins (the caller ends the open sessions). True when this changed anything."""
        if self.deactivated_at is not None:
            return False
        self.deactivated_at = self.updated_at = utcnow()
        return True

    def reactivate(self) -> bool:
        if self.deactivated_at is None:
            return False
        self.deactivated_at = None
        self.updated_at = utcnow()
        return True

    def may_sign_in_as(self, subject: str, email_verified: bool) -> bool:
        """Whether the provider's ``subject`` may sign in to this account, found by its email.

        The subject is who someone is; an email address only what the provider says about them.
        So an account already bound to a subject is that subject's alone, and an unbound one (an
        operator made it) is taken only with an address the provider verified.
        """
        if self.sso_subject is not None:
            return self.sso_subject == subject
        return email_verified

    def erase(self) -> None:
        """GDPR erasure of the bound person: the account keeps its id (history names it as actor)
        and role, loses every identifying field, and is no longer bound to the person. Without a
        subject and with an address nobody owns, no sign-in finds it again."""
        self.email = f"erased-{self.id}@{ERASED_EMAIL_DOMAIN}"
        self.sso_subject = self.sso_issuer = self.display_name = None
        self.person_id = None
        self.provisioned = None
        self.updated_at = utcnow()

    def as_caller(self, signin_id: UUID | None = None) -> Caller:
        return Caller(
            user_id=self.id, role=self.role, org_id=self.org_id, person_id=self.person_id, signin_id=signin_id
        )
