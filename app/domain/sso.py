"""An organization's OIDC identity provider, as stored for its single sign-on."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from app.domain.access import Role
from app.domain.clock import utcnow
from app.domain.errors import PermissionDenied, RuleViolation
from app.domain.values import clean_labels

_DOMAIN_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-.")
_RANK = {Role.MEMBER: 0, Role.PROGRAM_MANAGER: 1, Role.ORG_ADMIN: 2}


MAX_SUBJECT_LENGTH = 255  # OpenID Connect Core §2: "MUST NOT exceed 255 ASCII characters"
MAX_EMAIL_LENGTH = 320
MAX_NAME_LENGTH = 200


def _printable_name(value: Any) -> str | None:
    """A ``name`` claim as a profile may hold it: control characters dropped, blanks collapsed, capped."""
    if not isinstance(value, str):
        return None
    name = " ".join("".join(c if c.isprintable() else " " for c in value[: MAX_NAME_LENGTH * 4]).split())
    return name[:MAX_NAME_LENGTH] or None


# OpenID Connect Core §3.1.2.1; "none" is left out: a silent check has no browser to come back to
PROMPTS = ("login", "select_account", "consent")


@dataclass(frozen=True, slots=True)
class LoginHints:
    """What a front end may ask of the provider's login page: whose account (``login_hint``, e.g.
    the address the user typed) and whether to ask again (``prompt``, e.g. ``select_account`` to
    switch accounts)."""

    login_hint: str | None = None
    prompt: str | None = None

    def __post_init__(self) -> None:
        if self.prompt is not None and self.prompt not in PROMPTS:
            raise RuleViolation(f"prompt must be one of {', '.join(PROMPTS)}", code="invalid_prompt", field="prompt")
        if self.login_hint is not None and not (0 < len(self.login_hint) <= 254 and self.login_hint.isprintable()):
            raise RuleViolation(
                "login_hint must be 1 to 254 printable characters", code="invalid_login_hint", field="login_hint"
            )

    def parameters(self) -> dict[str, str]:
        """The authorization request parameters these hints add."""
        return {name: value for name, value in (("login_hint", self.login_hint), ("prompt", self.prompt)) if value}


NO_HINTS = LoginHints()


@dataclass(frozen=True, slots=True)
class ProviderLogout:
    """A provider's verified word that someone's session there has ended (a logout token of
    OpenID Connect Back-Channel Logout 1.0): the person logged out, or was signed out by an admin."""

    subject: str


@dataclass(frozen=True, slots=True)
class ProviderIdentity:
    """What a verified id token (and the provider's user info) says about the person logging in."""

    subject: str
    email: str | None
    email_verified: bool | None
    name: str | None
    claims: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_claims(cls, claims: Mapping[str, Any]) -> ProviderIdentity:
        """The identity verified claims describe. A signature proves who sent the claims, not that
        they are sane: a subject or an email we could not store refuses the login; optional
        claims of the wrong type count as absent; the name keeps its printable characters."""
        subject, email, verified = claims.get("sub"), claims.get("email"), claims.get("email_verified")
        if not (isinstance(subject, str) and 0 < len(subject) <= MAX_SUBJECT_LENGTH and subject.isprintable()):
            raise PermissionDenied("the identity provider sent an unusable subject (sub)", code="invalid_claims")
        if isinstance(email, str) and not (len(email) <= MAX_EMAIL_LENGTH and email.isprintable()):
            raise PermissionDenied("the identity provider sent an unusable email", code="invalid_claims")
        return cls(
            subject=subject,
            email=email if isinstance(email, str) else None,
            email_verified=verified if isinstance(verified, bool) else None,
            name=_printable_name(claims.get("name")),
            claims=claims,
        )

    @property
    def birth_year(self) -> int | None:
        """From the standard ``birthdate`` claim (``YYYY`` or ``YYYY-MM-DD``), when the provider shares it."""
        value = self.claims.get("birthdate")
        head = value[:4] if isinstance(value, str) else ""
        return int(head) if head.isdigit() and head != "0000" else None


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
    frontend_url: str | None = None  # where a login lands with a one-time code; None: tokens as JSON
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
        if self.frontend_url is not None:
            front = urlsplit(self.frontend_url)
            if front.scheme not in ("https", "http") or not front.hostname or front.fragment:
                raise RuleViolation(
                    "frontend_url must be an http(s) URL without fragment", code="invalid_url", field="frontend_url"
                )
        granted = {*self.role_mapping.values(), self.default_role}
        if granted & {Role.PLATFORM_ADMIN, Role.PARTNER}:
            raise RuleViolation(
                "an organization's provider grants organization roles only (not platform_admin or partner)",
                code="invalid_role",
                field="role_mapping",
            )

    def allows_email(self, email: str) -> bool:
        return email.rsplit("@", 1)[-1].lower() in self.allowed_email_domains

    def role_for(self, claims: Mapping[str, Any]) -> Role:
        """The strongest role any value of the role claim maps to; ``default_role`` when none does."""
        value = claims.get(self.role_claim)
        values = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        mapped = [self.role_mapping[v] for v in values if isinstance(v, str) and v in self.role_mapping]
        return max(mapped, key=_RANK.__getitem__) if mapped else self.default_role
