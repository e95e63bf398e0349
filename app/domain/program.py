"""Program: a company's cohort, with its period, rules and state machine."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID, uuid4

from app.domain.clock import utcnow
from app.domain.errors import RuleViolation
from app.domain.events import DomainEvent, EventRecorder
from app.domain.matching_policy import MatchingPolicy, Objective, Weights
from app.domain.organization import validate_name
from app.domain.states import ensure_transition


class ProgramStatus(StrEnum):
    DRAFT = "draft"
    ENROLLING = "enrolling"
    MATCHING = "matching"
    RUNNING = "running"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


_FLOW = [ProgramStatus.DRAFT, ProgramStatus.ENROLLING, ProgramStatus.MATCHING, ProgramStatus.RUNNING]
_ALLOWED = {
    status: frozenset({_FLOW[i + 1] if i + 1 < len(_FLOW) else ProgramStatus.COMPLETED, ProgramStatus.CANCELLED})
    for i, status in enumerate(_FLOW)
}
ENROLLABLE = frozenset({ProgramStatus.ENROLLING, ProgramStatus.MATCHING})
PAIRABLE = frozenset({ProgramStatus.ENROLLING, ProgramStatus.MATCHING, ProgramStatus.RUNNING})
MATCHABLE = frozenset({ProgramStatus.MATCHING, ProgramStatus.RUNNING})


@dataclass(frozen=True, slots=True)
class PeriodBounds:
    """Allowed program length in months; configurable per deployment."""

    min_months: int = 6
    max_months: int = 12


@dataclass(frozen=True, slots=True)
class ProgramRules:
    """Pairing and health rules, with the defaults that practice recommends."""

    mentor_must_be_digital_native: bool = True
    mentee_must_be_digital_immigrant: bool = True
    min_generation_gap: int = 1
    forbid_same_department: bool = True
    default_mentor_capacity: int = 1
    proposal_expiry_days: int = 14
    needs_check_in_after_days: int = 21
    at_risk_after_days: int = 45
    low_rating: int = 2
    missed_sessions_at_risk: int = 2
    # goals that stay open after this many held sessions call for a check-in
    goals_stalled_after_sessions: int = 3
    self_matching: bool = False  # a mutual like proposes the tandem at once

    def __post_init__(self) -> None:
        _at_least("min_generation_gap", self.min_generation_gap, 0, 5)
        _at_least("default_mentor_capacity", self.default_mentor_capacity, 1, 20)
        _at_least("proposal_expiry_days", self.proposal_expiry_days, 1, 90)
        _at_least("needs_check_in_after_days", self.needs_check_in_after_days, 1, 365)
        _at_least("at_risk_after_days", self.at_risk_after_days, self.needs_check_in_after_days, 365)
        _at_least("low_rating", self.low_rating, 1, 5)
        _at_least("missed_sessions_at_risk", self.missed_sessions_at_risk, 1, 50)
        _at_least("goals_stalled_after_sessions", self.goals_stalled_after_sessions, 1, 50)


def _at_least(name: str, value: int, low: int, high: int) -> None:
    if not low <= value <= high:
        raise RuleViolation(f"rules.{name} must be between {low} and {high}", code="invalid_rule", field=name)


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def validate_period(starts_on: date, ends_on: date, bounds: PeriodBounds) -> None:
    if ends_on <= starts_on:
        raise RuleViolation("ends_on must be after starts_on", code="invalid_period", field="ends_on")
    if not add_months(starts_on, bounds.min_months) <= ends_on <= add_months(starts_on, bounds.max_months):
        raise RuleViolation(
            f"a program runs {bounds.min_months} to {bounds.max_months} months",
            code="invalid_period",
            field="ends_on",
        )


@dataclass(eq=False)
class Program(EventRecorder):
    org_id: UUID
    title: str
    starts_on: date
    ends_on: date
    description: str = ""
    rules: ProgramRules = field(default_factory=ProgramRules)
    status: ProgramStatus = ProgramStatus.DRAFT
    id: UUID = field(default_factory=uuid4)
    version: int = 1
    created_at: datetime = field(default_factory=utcnow)
    updated_at: datetime = field(default_factory=utcnow)
    # the matching policy's own part; self_matching and proposal_expiry_days live in the rules
    weights: Weights = field(default_factory=Weights)
    objective: Objective = Objective.MAX_TOTAL_SCORE

    def __post_init__(self) -> None:
        EventRecorder.__init__(self)
        self.title = validate_name(self.title, "title")
        if self.ends_on <= self.starts_on:
            raise RuleViolation("ends_on must be after starts_on", code="invalid_period", field="ends_on")

    @classmethod
    def plan(cls, *, bounds: PeriodBounds, **fields: Any) -> Program:
        """A new draft program; its period must fit the deployment's bounds."""
        program = cls(**fields)
        validate_period(program.starts_on, program.ends_on, bounds)
        return program

    @property
    def is_closed(self) -> bool:
        return self.status in (ProgramStatus.COMPLETED, ProgramStatus.CANCELLED)

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on

    def revised(
        self,
        *,
        title: str | None = None,
        description: str | None = None,
        starts_on: date | None = None,
        ends_on: date | None = None,
        rules: ProgramRules | None = None,
        bounds: PeriodBounds | None = None,
    ) -> Program:
        """This program with the changes (None keeps a value), validated as a whole; ``self`` stays.

        A closed program cannot be edited; a changed period must fit ``bounds`` again. The caller
        can weigh the revised program (its rules against open tandems) before saving it.
        """
        if self.is_closed:
            raise RuleViolation(f"a {self.status.value} program cannot be edited", code="program_closed")
        new_start, new_end = starts_on or self.starts_on, ends_on or self.ends_on
        if (new_start, new_end) != (self.starts_on, self.ends_on):
            validate_period(new_start, new_end, bounds or PeriodBounds())
        return replace(  # runs __post_init__: the title is cleaned, the period ordered
            self,
            title=title if title is not None else self.title,
            description=description if description is not None else self.description,
            starts_on=new_start,
            ends_on=new_end,
            rules=rules or self.rules,
            updated_at=utcnow(),
        )

    def ensure_matching(self) -> None:
        """Matching runs need the program in matching (its enrollments are settled by then) or
        running: a rematch of the participants left free, or freed by a failed fit check."""
        if self.status not in MATCHABLE:
            raise RuleViolation(
                f"a matching run needs the program in matching or running, not {self.status.value}",
                code="program_not_matching",
            )

    @property
    def matching_policy(self) -> MatchingPolicy:
        """Weights and objective, with the rules' self-matching switch and proposal expiry."""
        return MatchingPolicy.for_rules(self.rules, weights=self.weights, objective=self.objective)

    def set_matching_policy(self, policy: MatchingPolicy) -> None:
        """Replace the whole policy of a program that is not closed."""
        if self.is_closed:
            raise RuleViolation(f"a {self.status.value} program cannot be edited", code="program_closed")
        self.weights, self.objective = policy.weights, policy.objective
        self.rules = replace(
            self.rules, self_matching=policy.self_matching, proposal_expiry_days=policy.proposal_expiry_days
        )
        self.updated_at = utcnow()

    def open_enrollment(self) -> None:
        self._move(ProgramStatus.ENROLLING)

    def start_matching(self) -> None:
        self._move(ProgramStatus.MATCHING)

    def launch(self) -> None:
        self._move(ProgramStatus.RUNNING)

    def complete(self) -> None:
        self._move(ProgramStatus.COMPLETED)

    def cancel(self) -> None:
        self._move(ProgramStatus.CANCELLED)

    def ensure_enrollable(self) -> None:
        if self.status not in ENROLLABLE:
            raise RuleViolation(
                f"enrollment is closed while the program is {self.status.value}", code="enrollment_closed"
            )

    def ensure_pairable(self) -> None:
        if self.status not in PAIRABLE:
            raise RuleViolation(
                f"tandems cannot be formed while the program is {self.status.value}", code="pairing_closed"
            )

    def ensure_running(self) -> None:
        if self.status is not ProgramStatus.RUNNING:
            raise RuleViolation("sessions happen only while the program is running", code="program_not_running")

    def _move(self, target: ProgramStatus) -> None:
        previous = self.status
        self.status = ensure_transition("program", self.status, target, _ALLOWED)
        self.updated_at = utcnow()
        self.record(
            DomainEvent("program.status_changed", self.org_id, self.id, {"from": previous.value, "to": target.value})
        )
