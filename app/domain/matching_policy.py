"""A program's matching policy: the weight of each score component and the objective.

It lives outside ``app.domain.matching`` so that ``app.domain.program`` can hold a program's
policy without importing the matching engine (which itself imports programs).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import TYPE_CHECKING

from app.domain.errors import RuleViolation

if TYPE_CHECKING:
    from app.domain.program import ProgramRules

MAX_WEIGHT = 10.0
COMPONENTS = ("topic_fit", "shared_interests", "contrast", "format_place", "mutual_like")


class Objective(StrEnum):
    MAX_TOTAL_SCORE = "max_total_score"
    MAX_PARTICIPATION = "max_participation"  # the most tandems first, then the best total score


@dataclass(frozen=True, slots=True)
class Weights:
    """How much each score component counts, 0 (ignored) to 10; the score divides by their sum."""

    topic_fit: float = 5.0
    shared_interests: float = 2.0
    contrast: float = 3.0
    format_place: float = 3.0
    mutual_like: float = 2.0

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise RuleViolation(f"weight {f.name} must be a number", code="invalid_policy", field=f.name)
            if not (math.isfinite(value) and 0 <= value <= MAX_WEIGHT):
                raise RuleViolation(
                    f"weight {f.name} must be between 0 and {MAX_WEIGHT:g}", code="invalid_policy", field=f.name
                )
            object.__setattr__(self, f.name, float(value))

    @property
    def total(self) -> float:
        return sum(self.as_tuple())

    def as_tuple(self) -> tuple[float, float, float, float, float]:
        return (self.topic_fit, self.shared_interests, self.contrast, self.format_place, self.mutual_like)


@dataclass(frozen=True, slots=True)
class MatchingPolicy:
    weights: Weights = field(default_factory=Weights)
    objective: Objective = Objective.MAX_TOTAL_SCORE
    self_matching: bool = False
    proposal_expiry_days: int = 14

    def __post_init__(self) -> None:
        if not isinstance(self.weights, Weights):
            raise RuleViolation("weights must be Weights", code="invalid_policy", field="weights")
        object.__setattr__(self, "objective", parse_objective(self.objective))
        if not isinstance(self.self_matching, bool):
            raise RuleViolation("self_matching must be true or false", code="invalid_policy", field="self_matching")
        days = self.proposal_expiry_days
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 90:
            raise RuleViolation(
                "proposal_expiry_days must be between 1 and 90", code="invalid_policy", field="proposal_expiry_days"
            )

    @classmethod
    def for_rules(
        cls,
        rules: ProgramRules,
        *,
        weights: Weights | None = None,
        objective: Objective | str = Objective.MAX_TOTAL_SCORE,
    ) -> MatchingPolicy:
        """The policy of a program: its own self-matching switch and proposal expiry."""
        return cls(
            weights=weights or Weights(),
            objective=parse_objective(objective),
            self_matching=rules.self_matching,
            proposal_expiry_days=rules.proposal_expiry_days,
        )


def parse_objective(value: Objective | str) -> Objective:
    try:
        return Objective(value)
    except ValueError as exc:
        allowed = ", ".join(o.value for o in Objective)
        raise RuleViolation(f"objective must be one of {allowed}", code="invalid_policy", field="objective") from exc
