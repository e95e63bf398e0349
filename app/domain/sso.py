"""An organization's OIDC identity provider, as stored for its single sign-on."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit
from uuid import UUID

from app.domain.access import Role
from app.domain.clock import utcnow
from app.domain.errors import RuleViolation
from app.domain.values import clean_labels

_DOMAIN_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-.")


@dataclass(eq=False)
class SsoConfig:
    """``client_secret`` is held here in clear only in memory; the adapter encrypts it at rest.

    ``role_mapping`` maps values of the claim ``role_claim`` (e.g. groups) to Tandem roles;
    users matching none get ``default_role``.
    """

    org_id: UUID
    issuer: str
    client_id: str
    client_secret: str
    allowed_email_domains: tuple[str, ...] = ()
    role_claim: str = "groups"
    role_mapping: dict[str, Role] = field(default_factory=dict)
    default_role: Role = Role.MEMBER
    version: int = 1
    created_at: datetime = field(default_factory=utcnow)
    updated_at: datetime = field(default_factory=utcnow)

    def __post_init__(self) -> None:
        parts = urlsplit(self.issuer)
        if parts.scheme not in ("https", "http") or not parts.hostname or parts.query or parts.fragment:
            raise RuleViolation("issuer must be an http(s) URL without query", code="invalid_issuer", field="issuer")
        if not self.client_id.strip() or not self.client_secret:
            raise RuleViolation("client_id and client_secret are required", code="blank_value", field="client_id")
        # deduplicated after normalizing, so "@Acme.example" and "acme.example" are stored once
        domains = tuple(
            dict.fromkeys(
                d.lower().lstrip("@") for d in clean_labels(self.allowed_email_domains, "allowed_email_domains")
            )
        )
        for domain in domains:
            if "." not in domain or not set(domain) <= _DOMAIN_CHARS:
                raise RuleViolation(
                    f"not an email domain: {domain!r}", code="invalid_domain", field="allowed_email_domains"
                )
        self.allowed_email_domains = domains
        if Role.PLATFORM_ADMIN in self.role_mapping.values() or self.default_role is Role.PLATFORM_ADMIN:
            raise RuleViolation(
                "an organization's provider cannot grant platform_admin", code="invalid_role", field="role_mapping"
            )

    def allows_email(self, email: str) -> bool:
        return email.rsplit("@", 1)[-1].lower() in self.allowed_email_domains
