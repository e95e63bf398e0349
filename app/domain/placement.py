"""What a partner network learns of its mentors' placements in the organizations that grant it.

A Person of an organization that stands for a partner's pool mentor carries a ``PoolMentorRef``
while the organization grants the partner. Enrollments and tandems of that Person (on the mentor
side) then record, beside the organization's own events, one addressed to the partner: its
mentor's ``external_id``, the program, the stage, and the tandem's id — never anything about the
mentee or the organization's other people.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

from app.domain.events import DomainEvent

MATCHED_EVENT = "partner_mentor.matched"
PLACEMENT_CHANGED_EVENT = "partner_mentor.placement_changed"
# the events that move a pool mentor in the partner's ``updated_since`` listing
PLACEMENT_EVENTS = frozenset({MATCHED_EVENT, PLACEMENT_CHANGED_EVENT})


@dataclass(frozen=True, slots=True)
class PoolMentorRef:
    """The pool mentor (``mentor_id``, the pool row) that a Person of a granting organization is."""

    partner_id: UUID
    mentor_id: UUID
    external_id: str


class PlacementStage(StrEnum):
    """Where one placement of a pool mentor got: an enrollment, or a tandem on the mentor side."""

    ENROLLED = "enrolled"
    WITHDRAWN = "withdrawn"  # left the program
    PROPOSED = "proposed"
    DECLINED = "declined"
    EXPIRED = "expired"
    MATCHED = "matched"  # both sides accepted: the tandem is active
    COMPLETED = "completed"
    DISSOLVED = "dissolved"


def placement_event(
    mentor: PoolMentorRef,
    stage: PlacementStage,
    *,
    org_id: UUID,
    program_id: UUID,
    tandem_id: UUID | None = None,
) -> DomainEvent:
    """``partner_mentor.matched`` when a tandem of the mentor became active, else
    ``partner_mentor.placement_changed``; addressed to the partner, about its pool mentor."""
    data = {"external_id": mentor.external_id, "program_id": str(program_id), "stage": stage.value}
    if tandem_id is not None:
        data["tandem_id"] = str(tandem_id)
    kind = MATCHED_EVENT if stage is PlacementStage.MATCHED else PLACEMENT_CHANGED_EVENT
    return DomainEvent(kind, org_id, mentor.mentor_id, data, partner_id=mentor.partner_id)
