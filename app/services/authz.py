"""Authorization, decided in the use cases so that every driving adapter gets the same answer.

Another tenant's object is reported as not found (its existence is not revealed); a known
object the caller's role may not touch is a permission error.
"""

from __future__ import annotations

from typing import Protocol, TypeVar
from uuid import UUID

from app.domain.access import Caller, Role, Scope
from app.domain.errors import NotFound, PermissionDenied, VersionMismatch
from app.domain.tandem import Side, Tandem

T = TypeVar("T")


class Versioned(Protocol):
    version: int


def tenant_of(caller: Caller) -> UUID:
    """The organization the caller acts in. Platform admins act on organizations, not inside them."""
    if caller.org_id is None:
        raise PermissionDenied("this needs a token of an organization", code="organization_token_required")
    return caller.org_id


def scope_of(caller: Caller, what: str) -> UUID:
    """For lookups by id: a caller without a tenant finds nothing (404), it is not refused (403)."""
    if caller.org_id is None:
        raise NotFound(f"{what} not found", code=f"{what}_not_found")
    return caller.org_id


def check_version(obj: Versioned, expected: int | None) -> None:
    """Honour If-Match: the caller edits the version they saw, or nothing."""
    if expected is not None and expected != obj.version:
        raise VersionMismatch(f"the object is at version {obj.version}, not {expected}", code="version_mismatch")


def require_platform_admin(caller: Caller) -> None:
    if not caller.is_platform_admin:
        raise PermissionDenied("only platform admins may do this", code="platform_admin_required")


def require_org_admin(caller: Caller, org_id: UUID) -> None:
    if caller.is_platform_admin:
        return
    if caller.org_id != org_id:
        raise NotFound("organization not found", code="organization_not_found")
    if caller.role is not Role.ORG_ADMIN:
        raise PermissionDenied("only the organization's admins may do this", code="org_admin_required")


def require_manager(caller: Caller) -> UUID:
    """For commands on an object, call it after loading the object in the caller's tenant, so
    that another tenant's object is a 404 before the role is looked at."""
    org_id = tenant_of(caller)
    if not caller.manages_org:
        raise PermissionDenied("only program managers and org admins may do this", code="manager_required")
    return org_id


def found(obj: T | None, what: str) -> T:
    if obj is None:
        raise NotFound(f"{what} not found", code=f"{what}_not_found")
    return obj


def require_self_or_manager(caller: Caller, person_id: UUID) -> None:
    if caller.manages_org or caller.person_id == person_id:
        return
    raise PermissionDenied("members may only act on their own profile", code="not_your_profile")


def participant_side(caller: Caller, tandem: Tandem) -> Side | None:
    """The caller's side in the tandem; managers see every tandem, members only their own."""
    side = tandem.side_of(caller.person_id)
    if side is None and not caller.manages_org:
        raise PermissionDenied("members may only see their own tandems", code="not_your_tandem")
    return side


def require_side(caller: Caller, tandem: Tandem) -> Side:
    """Acts only a participant can take: accepting their side, the fit check, feedback."""
    side = tandem.side_of(caller.person_id)
    if side is None:
        raise PermissionDenied("only the tandem's mentor or mentee may do this", code="participant_required")
    return side


def require_partner(caller: Caller, partner_id: UUID, scope: Scope) -> None:
    """A partner's own resources: its token reaches its own partner only, with the scope needed.

    Another partner's id is not found (its existence is not revealed); a token without the
    scope is refused with ``insufficient_scope`` (RFC 6750), so the client knows what to request.
    """
    if caller.role is not Role.PARTNER:
        raise PermissionDenied("this needs a partner's client-credentials token", code="partner_token_required")
    if caller.partner_id != partner_id:
        raise NotFound("partner not found", code="partner_not_found")
    if not caller.has_scope(scope):
        raise PermissionDenied(f"the token lacks the scope {scope.value}", code="insufficient_scope")
