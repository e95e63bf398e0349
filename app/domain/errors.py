"""Domain errors. They know nothing of HTTP: the API edge maps each kind to a status.

Every error carries a stable machine-readable ``code`` that clients may branch on.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error a rule of the domain raises."""

    code = "domain_error"

    def __init__(self, detail: str, *, code: str | None = None, field: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        if code is not None:
            self.code = code
        self.field = field


class NotFound(DomainError):
    """The object does not exist for this caller (another tenant's object included)."""

    code = "not_found"


class PermissionDenied(DomainError):
    """The caller is known but their role may not do this."""

    code = "permission_denied"


class RuleViolation(DomainError):
    """The input is well-formed but breaks a rule (period bounds, birth year, ...)."""

    code = "rule_violation"


class InvalidTransition(DomainError):
    """The aggregate's state machine does not allow this step from its current state."""

    code = "invalid_transition"


class Conflict(DomainError):
    """The command clashes with the current state of other objects (capacity, duplicates)."""

    code = "conflict"


class VersionMismatch(DomainError):
    """The caller's expected version (If-Match) is not the stored one."""

    code = "version_mismatch"


class Unauthenticated(DomainError):
    """Credentials (a client secret, a refresh token, a login) were wrong, expired or revoked."""

    code = "unauthenticated"


class BadRequest(DomainError):
    """The request is malformed for a protocol step (an OAuth grant, a login callback)."""

    code = "bad_request"


class ProviderUnavailable(DomainError):
    """An organization's identity provider did not answer, or answered nonsense."""

    code = "provider_unavailable"


class ServiceUnavailable(DomainError):
    """A part of Tandem itself (the job queue) cannot take the work right now; retry later."""

    code = "service_unavailable"
