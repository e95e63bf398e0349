"""Program: period bounds, rules, and the state machine (DESIGN.md §2, Program)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from itertools import product
from typing import Any

import pytest

from app.domain.errors import InvalidTransition, RuleViolation
from app.domain.program import PeriodBounds, Program, ProgramRules, ProgramStatus, add_months
from tests.unit.builders import ORG_ID, a_program, event_types

S = ProgramStatus
START = date(2030, 1, 15)

# The machine as DESIGN.md states it, written out independently of the implementation.
EDGES = {
    (S.DRAFT, S.ENROLLING),
    (S.ENROLLING, S.MATCHING),
    (S.MATCHING, S.RUNNING),
    (S.RUNNING, S.COMPLETED),
    (S.DRAFT, S.CANCELLED),
    (S.ENROLLING, S.CANCELLED),
    (S.MATCHING, S.CANCELLED),
    (S.RUNNING, S.CANCELLED),
}
# No command leads back to draft, so every target but draft has one.
STEP: dict[ProgramStatus, Callable[[Program], None]] = {
    S.ENROLLING: Program.open_enrollment,
    S.MATCHING: Program.start_matching,
    S.RUNNING: Program.launch,
    S.COMPLETED: Program.complete,
    S.CANCELLED: Program.cancel,
}
FORBIDDEN = [(a, b) for a, b in product(S, repeat=2) if b in STEP and (a, b) not in EDGES]


def plan(ends_on: date, bounds: PeriodBounds | None = None, starts_on: date = START) -> Program:
    return Program.plan(
        bounds=bounds or PeriodBounds(), org_id=ORG_ID, title="Cohort", starts_on=starts_on, ends_on=ends_on
    )


# Period


@pytest.mark.parametrize("ends_on", [date(2030, 7, 15), date(2030, 10, 1), date(2031, 1, 15)], ids=str)
def test_a_program_of_6_to_12_months_can_be_planned(ends_on: date) -> None:
    program = plan(ends_on)
    assert program.status is S.DRAFT
    assert program.ends_on == ends_on


@pytest.mark.parametrize("ends_on", [date(2030, 7, 14), date(2031, 1, 16)], ids=["a_day_short", "a_day_too_long"])
def test_a_program_shorter_than_6_or_longer_than_12_months_is_refused(ends_on: date) -> None:
    with pytest.raises(RuleViolation) as caught:
        plan(ends_on)
    assert caught.value.code == "invalid_period"
    assert caught.value.field == "ends_on"


def test_the_period_bounds_are_configurable_per_deployment() -> None:
    bounds = PeriodBounds(min_months=3, max_months=4)
    assert plan(date(2030, 4, 15), bounds).ends_on == date(2030, 4, 15)
    with pytest.raises(RuleViolation) as caught:
        plan(date(2030, 7, 15), bounds)
    assert caught.value.code == "invalid_period"


@pytest.mark.parametrize("ends_on", [START, date(2029, 6, 1)], ids=["same_day", "before"])
def test_a_program_cannot_end_before_it_starts(ends_on: date) -> None:
    with pytest.raises(RuleViolation) as caught:
        a_program(starts_on=START, ends_on=ends_on)
    assert caught.value.code == "invalid_period"
    with pytest.raises(RuleViolation) as caught:
        plan(ends_on)
    assert caught.value.code == "invalid_period"


def test_month_arithmetic_clamps_to_the_end_of_shorter_months() -> None:
    assert add_months(date(2030, 8, 31), 6) == date(2031, 2, 28)
    assert add_months(date(2030, 1, 31), 1) == date(2030, 2, 28)
    assert add_months(date(2030, 12, 15), 12) == date(2031, 12, 15)


def test_a_program_needs_a_title() -> None:
    with pytest.raises(RuleViolation) as caught:
        a_program(title="  ")
    assert caught.value.code == "blank_value"


def test_a_program_covers_the_days_of_its_period_inclusive() -> None:
    program = a_program(starts_on=date(2030, 1, 1), ends_on=date(2030, 10, 1))
    assert program.covers(date(2030, 1, 1))
    assert program.covers(date(2030, 10, 1))
    assert not program.covers(date(2029, 12, 31))
    assert not program.covers(date(2030, 10, 2))


# State machine


def test_a_program_runs_through_draft_enrolling_matching_running_completed() -> None:
    program = a_program(S.DRAFT)
    seen = []
    for step in (program.open_enrollment, program.start_matching, program.launch, program.complete):
        step()
        seen.append(program.status)
    assert seen == [S.ENROLLING, S.MATCHING, S.RUNNING, S.COMPLETED]
    assert program.is_closed


@pytest.mark.parametrize("status", [S.DRAFT, S.ENROLLING, S.MATCHING, S.RUNNING])
def test_a_program_can_be_cancelled_from_every_state_before_completed(status: ProgramStatus) -> None:
    program = a_program(status)
    program.cancel()
    assert program.status is S.CANCELLED
    assert program.is_closed


@pytest.mark.parametrize(("current", "target"), sorted(EDGES), ids=lambda s: s.value)
def test_every_allowed_step_records_a_status_changed_event(current: ProgramStatus, target: ProgramStatus) -> None:
    program = a_program(current)
    STEP[target](program)
    events = program.pull_events()
    assert program.status is target
    assert [e.type for e in events] == ["program.status_changed"]
    assert events[0].data == {"from": current.value, "to": target.value}
    assert (events[0].org_id, events[0].subject_id) == (program.org_id, program.id)


@pytest.mark.parametrize(("current", "target"), FORBIDDEN, ids=lambda s: s.value)
def test_a_forbidden_program_transition_is_refused(current: ProgramStatus, target: ProgramStatus) -> None:
    program = a_program(current)
    with pytest.raises(InvalidTransition) as caught:
        STEP[target](program)
    assert caught.value.code == "program_invalid_transition"
    assert program.status is current
    assert program.pull_events() == []


def test_the_forbidden_transitions_include_skipping_steps_and_leaving_closed_states() -> None:
    assert (S.DRAFT, S.RUNNING) in FORBIDDEN
    assert (S.COMPLETED, S.CANCELLED) in FORBIDDEN
    assert (S.CANCELLED, S.ENROLLING) in FORBIDDEN
    assert (S.RUNNING, S.MATCHING) in FORBIDDEN


# Revision


def test_a_revision_is_a_new_program_with_the_changes_and_the_original_stays() -> None:
    program = a_program(S.MATCHING, starts_on=date(2030, 1, 1), ends_on=date(2030, 10, 1))
    new_rules = ProgramRules(default_mentor_capacity=2)
    revised = program.revised(title=" Cohort B ", description="Second wave", ends_on=date(2030, 12, 1), rules=new_rules)
    assert (revised.id, revised.version, revised.status) == (program.id, program.version, program.status)
    assert (revised.title, revised.description, revised.ends_on, revised.rules) == (
        "Cohort B",
        "Second wave",
        date(2030, 12, 1),
        new_rules,
    )
    assert (program.title, program.ends_on, program.rules) == (
        "Reverse mentoring 2030",
        date(2030, 10, 1),
        ProgramRules(),
    )


def test_a_revision_keeps_what_it_does_not_name() -> None:
    program = a_program(S.DRAFT, starts_on=date(2030, 1, 1), ends_on=date(2030, 10, 1))
    revised = program.revised(description="only this")
    assert (revised.title, revised.starts_on, revised.ends_on, revised.rules) == (
        program.title,
        program.starts_on,
        program.ends_on,
        program.rules,
    )
    assert revised.description == "only this"


@pytest.mark.parametrize("status", [S.COMPLETED, S.CANCELLED])
def test_a_closed_program_cannot_be_revised(status: ProgramStatus) -> None:
    program = a_program(status)
    with pytest.raises(RuleViolation) as caught:
        program.revised(title="Too late")
    assert caught.value.code == "program_closed"


def test_a_revised_period_must_fit_the_bounds() -> None:
    program = a_program(S.DRAFT, starts_on=date(2030, 1, 1), ends_on=date(2030, 10, 1))
    with pytest.raises(RuleViolation) as caught:
        program.revised(title="New title", ends_on=date(2030, 3, 1))
    assert caught.value.code == "invalid_period"
    assert (program.title, program.ends_on) == ("Reverse mentoring 2030", date(2030, 10, 1))


def test_a_revised_period_is_checked_against_the_bounds_given() -> None:
    program = a_program(S.DRAFT, starts_on=date(2030, 1, 1), ends_on=date(2030, 10, 1))
    revised = program.revised(ends_on=date(2030, 3, 1), bounds=PeriodBounds(min_months=2, max_months=3))
    assert revised.ends_on == date(2030, 3, 1)


def test_a_revision_cannot_end_the_program_before_it_starts() -> None:
    program = a_program(S.DRAFT, starts_on=date(2030, 1, 1), ends_on=date(2030, 10, 1))
    with pytest.raises(RuleViolation) as caught:
        program.revised(starts_on=date(2030, 11, 1))
    assert caught.value.code == "invalid_period"


def test_a_revision_cannot_blank_the_title() -> None:
    program = a_program()
    with pytest.raises(RuleViolation) as caught:
        program.revised(title=" ", description="changed")
    assert caught.value.code == "blank_value"
    assert (program.title, program.description) == ("Reverse mentoring 2030", "")


def test_matching_runs_in_matching_and_as_a_rematch_while_running() -> None:
    a_program(S.MATCHING).ensure_matching()
    a_program(S.RUNNING).ensure_matching()
    for status in set(ProgramStatus) - {S.MATCHING, S.RUNNING}:
        with pytest.raises(RuleViolation) as caught:
            a_program(status).ensure_matching()
        assert caught.value.code == "program_not_matching"


# Guards by status


@pytest.mark.parametrize("status", list(S), ids=str)
def test_enrollment_is_open_only_while_enrolling_or_matching(status: ProgramStatus) -> None:
    program = a_program(status)
    if status in (S.ENROLLING, S.MATCHING):
        program.ensure_enrollable()
    else:
        with pytest.raises(RuleViolation) as caught:
            program.ensure_enrollable()
        assert caught.value.code == "enrollment_closed"


@pytest.mark.parametrize("status", list(S), ids=str)
def test_tandems_can_be_formed_only_while_enrolling_matching_or_running(status: ProgramStatus) -> None:
    program = a_program(status)
    if status in (S.ENROLLING, S.MATCHING, S.RUNNING):
        program.ensure_pairable()
    else:
        with pytest.raises(RuleViolation) as caught:
            program.ensure_pairable()
        assert caught.value.code == "pairing_closed"


@pytest.mark.parametrize("status", list(S), ids=str)
def test_sessions_happen_only_while_the_program_is_running(status: ProgramStatus) -> None:
    program = a_program(status)
    if status is S.RUNNING:
        program.ensure_running()
    else:
        with pytest.raises(RuleViolation) as caught:
            program.ensure_running()
        assert caught.value.code == "program_not_running"


# Rules


def rule(name: str, value: int) -> dict[str, Any]:
    return {name: value}


def test_the_rules_default_to_what_practice_recommends() -> None:
    default = ProgramRules()
    assert default.mentor_must_be_digital_native
    assert default.mentee_must_be_digital_immigrant
    assert default.min_generation_gap == 1
    assert default.forbid_same_department
    assert default.default_mentor_capacity == 1
    assert default.proposal_expiry_days == 14
    assert (default.needs_check_in_after_days, default.at_risk_after_days) == (21, 45)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("min_generation_gap", -1),
        ("min_generation_gap", 6),
        ("default_mentor_capacity", 0),
        ("default_mentor_capacity", 21),
        ("proposal_expiry_days", 0),
        ("proposal_expiry_days", 91),
        ("needs_check_in_after_days", 0),
        ("needs_check_in_after_days", 366),
        ("at_risk_after_days", 20),
        ("at_risk_after_days", 366),
        ("low_rating", 0),
        ("low_rating", 6),
        ("missed_sessions_at_risk", 0),
        ("missed_sessions_at_risk", 51),
    ],
)
def test_a_rule_outside_its_range_is_refused(name: str, value: int) -> None:
    with pytest.raises(RuleViolation) as caught:
        ProgramRules(**rule(name, value))
    assert caught.value.code == "invalid_rule"
    assert caught.value.field == name


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("min_generation_gap", 0),
        ("min_generation_gap", 5),
        ("default_mentor_capacity", 20),
        ("proposal_expiry_days", 1),
        ("proposal_expiry_days", 90),
        ("at_risk_after_days", 21),
        ("low_rating", 5),
        ("missed_sessions_at_risk", 50),
    ],
)
def test_a_rule_at_the_edge_of_its_range_is_accepted(name: str, value: int) -> None:
    assert getattr(ProgramRules(**rule(name, value)), name) == value


def test_the_at_risk_threshold_may_not_come_before_the_check_in_threshold() -> None:
    with pytest.raises(RuleViolation) as caught:
        ProgramRules(needs_check_in_after_days=30, at_risk_after_days=29)
    assert caught.value.code == "invalid_rule"
    assert ProgramRules(needs_check_in_after_days=30, at_risk_after_days=30).at_risk_after_days == 30


def test_a_new_program_records_no_events_until_it_moves() -> None:
    program = a_program(S.DRAFT)
    assert event_types(program) == []
    program.open_enrollment()
    assert event_types(program) == ["program.status_changed"]
