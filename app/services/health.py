"""Stored health: rewritten in the transaction of every change that affects it, and swept as time passes.

A tandem's health (app/domain/health.py) depends on the tandem (its status, its fit check), its
sessions and their feedback, its goals and its program's rules. The unit of work calls
``refresh_touched`` on commit with every aggregate the transaction wrote, so no use case (nor a
new one) can change one of these and forget the health. ``sweep`` is the worker's periodic
task for the one input no transaction writes: the date.

``tandem.health_changed`` is recorded when a tandem's health moves from one value to another,
closing included (to null); a new tandem's first assessment is part of its proposal
(``tandem.proposed``), not a change. A change of reasons alone (a second concern at the same
level) is stored without an event.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from app.domain.clock import utcnow
from app.domain.events import DomainEvent, EventRecorder
from app.domain.goal import Goal
from app.domain.health import HealthAssessment, HealthInput
from app.domain.session import Session
from app.domain.tandem import Tandem
from app.services.ports import UnitOfWork

log = logging.getLogger(__name__)

SWEEP_BATCH = 200  # tandems per sweep transaction: short locks, steady progress


def tandems_of(written: Iterable[object]) -> tuple[dict[UUID, set[UUID]], dict[UUID, Tandem]]:
    """The tandems (by organization) whose health the written aggregates may move, and the
    tandem objects among them (their in-memory health is kept up to date for the answer)."""
    affected: dict[UUID, set[UUID]] = {}
    loaded: dict[UUID, Tandem] = {}
    for obj in written:
        if isinstance(obj, Tandem):
            affected.setdefault(obj.org_id, set()).add(obj.id)
            loaded[obj.id] = obj
        elif isinstance(obj, Session | Goal):
            affected.setdefault(obj.org_id, set()).add(obj.tandem_id)
    return affected, loaded


async def refresh_touched(uow: UnitOfWork, written: Sequence[object]) -> None:
    """Reassess the tandems the transaction's writes concern and store what changed (with its
    event, which the unit of work then stores with the transaction's others)."""
    affected, loaded = tandems_of(written)
    now = utcnow()
    for org_id, ids in affected.items():
        found = await uow.tandems.health_inputs(org_id, sorted(ids), lock=True)
        for item in found:
            change = await _apply(uow, item, now)
            tandem = loaded.get(item.tandem_id)
            if tandem is not None and change is not None:
                tandem.health = change.to
                if change.moved:
                    tandem.health_changed_at = now


@dataclass(frozen=True, slots=True)
class HealthChange:
    item: HealthInput
    to: HealthAssessment | None
    at: datetime

    @property
    def before(self) -> HealthAssessment | None:
        return self.item.stored

    @property
    def moved(self) -> bool:
        """The health itself changed (not only its reasons)."""
        return _level(self.before) != _level(self.to)

    def events(self) -> list[DomainEvent]:
        if not self.moved or self.before is None:
            return []
        data = {
            "tandem_id": str(self.item.tandem_id),
            "program_id": str(self.item.program_id),
            "from": _level(self.before),
            "to": _level(self.to),
            "reasons": [{"code": r.code.value, "message": r.message} for r in self.to.reasons] if self.to else [],
        }
        return [DomainEvent("tandem.health_changed", self.item.org_id, self.item.tandem_id, data, occurred_at=self.at)]


def _level(assessment: HealthAssessment | None) -> str | None:
    return assessment.health.value if assessment else None


async def _apply(uow: UnitOfWork, item: HealthInput, now: datetime) -> HealthChange | None:
    """Store the tandem's health as of ``now`` when it differs from the stored one."""
    fresh = item.assess(now)
    if fresh == item.stored:
        return None
    change = HealthChange(item, fresh, now)
    note = EventRecorder()
    for event in change.events():
        note.record(event)
    if not await uow.tandems.store_health(item, fresh, now if change.moved else None, note=note):
        return None  # another transaction stored a health meanwhile: it was assessed later than ours
    return change


@dataclass(frozen=True, slots=True)
class SweepReport:
    assessed: int = 0
    changed: int = 0  # health moved (events recorded)
    reworded: int = 0  # same health, other reasons


async def sweep(
    uow_factory: Callable[[], UnitOfWork], *, now: datetime | None = None, batch: int = SWEEP_BATCH
) -> SweepReport:
    """Reassess every open tandem for the passage of time, a batch per transaction.

    Rows are claimed with SKIP LOCKED and written by compare and set, and an unchanged health
    is not written at all: two sweeps at once (or a rerun) change each tandem, and record each
    event, once."""
    assessed = changed = reworded = 0
    after: UUID | None = None
    while True:
        at = now or utcnow()
        uow = uow_factory()
        async with uow:
            found = await uow.tandems.health_sweep_batch(after=after, limit=batch)
            for item in found:
                change = await _apply(uow, item, at)
                if change is not None:
                    changed += change.moved
                    reworded += not change.moved
            await uow.commit()
        assessed += len(found)
        if len(found) < batch:
            break
        after = found[-1].tandem_id
    if changed or reworded:
        log.info("health sweep: %d assessed, %d changed, %d reworded", assessed, changed, reworded)
    return SweepReport(assessed, changed, reworded)
