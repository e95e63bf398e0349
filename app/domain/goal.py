"""Goal: one topic on the mentee's learning journey."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from uuid import UUID, uuid4

from app.domain.clock import utcnow
from app.domain.errors import RuleViolation
from app.domain.organization import validate_name
from app.domain.states import ensure_transition
from app.domain.tandem import Tandem

ERASED_GOAL_TITLE = "Erased goal"


class GoalStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    ACHIEVED = "achieved"
    DROPPED = "dropped"


_ALLOWED = {
    GoalStatus.OPEN: frozenset({GoalStatus.IN_PROGRESS, GoalStatus.ACHIEVED, GoalStatus.DROPPED}),
    GoalStatus.IN_PROGRESS: frozenset({GoalStatus.ACHIEVED, GoalStatus.DROPPED}),
    GoalStatus.DROPPED: frozenset({GoalStatus.OPEN}),
}


@dataclass(eq=False)
class Goal:
    org_id: UUID
    tandem_id: UUID
    title: str
    description: str = ""
    status: GoalStatus = GoalStatus.OPEN
    id: UUID = field(default_factory=uuid4)
    version: int = 1
    created_at: datetime = field(default_factory=utcnow)
    updated_at: datetime = field(default_factory=utcnow)

    def __post_init__(self) -> None:
        self.title = validate_name(self.title, "title")

    @classmethod
    def for_tandem(cls, tandem: Tandem, *, title: str, description: str = "") -> Goal:
        """A new goal on the learning journey of an open tandem; an ended journey takes none."""
        if not tandem.is_open:
            raise RuleViolation("goals belong to open tandems", code="tandem_closed")
        return cls(org_id=tandem.org_id, tandem_id=tandem.id, title=title, description=description)

    def revise(self, *, title: str | None = None, description: str | None = None) -> None:
        self.title = validate_name(title, "title") if title is not None else self.title
        self.description = description if description is not None else self.description
        self.updated_at = utcnow()

    def erase_free_text(self) -> None:
        """GDPR erasure of a participant: the goal's words go, its status (a statistic) stays."""
        if (self.title, self.description) != (ERASED_GOAL_TITLE, ""):
            self.title, self.description = ERASED_GOAL_TITLE, ""
            self.updated_at = utcnow()

    def move_to(self, status: GoalStatus) -> None:
        """open → in_progress → achieved; open or in progress → dropped; a dropped goal may reopen."""
        if status is self.status:
            return
        self.status = ensure_transition("goal", self.status, status, _ALLOWED)
        self.updated_at = utcnow()
