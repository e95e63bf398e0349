"""The audit trail's use cases: an organization's admins read it; use cases serving personal
data add to it; the retention prune is its only way out.

State changes reach the trail without any use case's help: the unit of work's commit writes an
entry per domain event (``ports.UnitOfWork``). Reads write nothing else, so the reads of
personal data that must leave a trace (an export, a report) call ``record`` and commit.
"""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from app.domain.access import Caller, Role
from app.domain.audit import AuditEntry, AuditFilter
from app.domain.clock import utcnow
from app.domain.errors import PermissionDenied
from app.services import authz
from app.services.pagination import Page, PageRequest
from app.services.ports import UnitOfWork


async def list_audit_events(
    uow: UnitOfWork, caller: Caller, where: AuditFilter, request: PageRequest
) -> Page[AuditEntry]:
    """The caller's organization's trail, oldest first (org admins; anyone else 403)."""
    org_id = authz.tenant_of(caller)
    if caller.role is not Role.ORG_ADMIN:
        raise PermissionDenied("only the organization's admins may read its audit trail", code="org_admin_required")
    async with uow:
        return await uow.audit.page(org_id, where, request)


async def record(uow: UnitOfWork, caller: Caller, action: str, target_type: str, target_id: UUID) -> None:
    """Inside the caller's ``async with uow``: an access to personal data, committed with it."""
    await uow.audit.add([AuditEntry.by(caller, action, target_type, target_id)])


async def prune(uow: UnitOfWork, *, retention: timedelta) -> int:
    """Entries older than ``retention`` go (the number gone): the trail's only deletion."""
    async with uow:
        gone = await uow.audit.prune(utcnow() - retention)
        await uow.commit()
    return gone
