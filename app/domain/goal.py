"""Goal: one topic on the mentee's learning journey."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from uuid import UUID, uuid4

from app.domain.clock import utcnow
from app.domain.errors import RuleViolation
from app.domain.events import DomainEvent, EventRecorder
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
class Goal(EventRecorder):
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
        EventRecorder.__init__(self)
        self.title = validate_name(self.title, "title")

    @classmethod
    def for_tandem(cls, tandem: Tandem, *, title: str, description: str = "") -> Goal:
        """A new goal on the learning journey of an open tandem; an ended journey takes none."""
        if not tandem.is_open:
            raise RuleViolation("goals belong to open tandems", code="tandem_closed")
        goal = cls(org_id=tandem.org_id, tandem_id=tandem.id, title=title, description=description)
        goal.record(DomainEvent("goal.created", goal.org_id, goal.id, {"tandem_id": str(tandem.id)}))
        return goal

    def revise(self, *, title: str | None = None, description: str | None = None) -> None:
        """New words for the goal; ``goal.updated`` names the fields that changed (their words are
        the tandem's own, so a receiver reads them from the goal, where access is checked)."""
        before = {"title": self.title, "description": self.description}
        self.title = validate_name(title, "title") if title is not None else self.title
        self.description = description if description is not None else self.description
        self.updated_at = utcnow()
        changed = [name for name, value in before.items() if getattr(self, name) != value]
        if changed:
            data = {"tandem_id": str(self.tandem_id), "changed": changed}
            self.record(DomainEvent("goal.updated", self.org_id, self.id, data))

    def erase_free_text(self) -> None:
        """GDPR erasure of a participant: the goal's words go, its status (a statistic) stays."""
        if (self.title, self.description) != (ERASED_GOAL_TITLE, ""):
            self.title, self.description = ERASED_GOAL_TITLE, ""
            self.updated_at = utcnow()

    def move_to(self, status: GoalStatus) -> None:
        """open → in_progress → achieved; open or in progress → dropped; a dropped goal may reopen."""
        if status is self.status:
            return
        previous = self.status
        self.status = ensure_transition("goal", self.status, status, _ALLOWED)
        self.updated_at = utcnow()
        self.record(
            DomainEvent(
                "goal.status_changed",
                self.org_id,
                self.id,
                {"tandem_id": str(self.tandem_id), "from": previous.value, "to": status.value},
            )
        )

    def cover(self) -> bool:
        """A held session worked on this goal: an open goal is now in progress; one further
        along (or dropped) stays as it is. True when the status moved."""
        if self.status is not GoalStatus.OPEN:
            return False
        self.move_to(GoalStatus.IN_PROGRESS)
        return True


def ensure_goals_of_tandem(tandem_id: UUID, covered: Iterable[UUID], goals: Iterable[Goal]) -> None:
    """The goals a session or its feedback says it covered must be on this tandem's journey."""
    own = {g.id for g in goals if g.tandem_id == tandem_id}
    strangers = [str(goal_id) for goal_id in dict.fromkeys(covered) if goal_id not in own]
    if strangers:
        raise RuleViolation(
            f"not goals of this tandem: {', '.join(strangers)}", code="goal_not_in_tandem", field="goals_covered"
        )
