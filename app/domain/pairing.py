"""Whether a mentor and a mentee may form a tandem: the program's rules and the capacities.

Both manual pairing and (later) matching call these checks, so a rule lives in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.enrollment import Enrollment, ParticipantRole
from app.domain.errors import Conflict, RuleViolation
from app.domain.generations import generation_gap
from app.domain.person import Person
from app.domain.program import Program


@dataclass(frozen=True, slots=True)
class Participant:
    enrollment: Enrollment
    person: Person


def check_pair(program: Program, mentor: Participant, mentee: Participant) -> None:
    """Raise the first broken rule for pairing ``mentor`` with ``mentee`` in ``program``."""
    program.ensure_pairable()
    for side, expected in ((mentor, ParticipantRole.MENTOR), (mentee, ParticipantRole.MENTEE)):
        enrollment = side.enrollment
        if enrollment.program_id != program.id or enrollment.person_id != side.person.id:
            raise RuleViolation("the enrollment belongs to another program", code="enrollment_not_in_program")
        if enrollment.role is not expected:
            raise RuleViolation(f"the {expected.value} side must be enrolled as {expected.value}", code="wrong_role")
        if not enrollment.is_active:
            raise RuleViolation("a withdrawn enrollment cannot be paired", code="enrollment_withdrawn")
        if side.person.erased:
            raise RuleViolation("an erased person cannot be paired", code="person_erased")
    _check_rules(program, mentor.person, mentee.person)


def _check_rules(program: Program, mentor: Person, mentee: Person) -> None:
    rules = program.rules
    if mentor.id == mentee.id:
        raise RuleViolation("a person cannot mentor themselves", code="same_person")
    if rules.mentor_must_be_digital_native and not mentor.digital_native:
        raise RuleViolation("mentors must be digital natives", code="mentor_not_digital_native")
    if rules.mentee_must_be_digital_immigrant and mentee.digital_native:
        raise RuleViolation("mentees must be digital immigrants", code="mentee_not_digital_immigrant")
    gap = generation_gap(mentor.birth_year, mentee.birth_year)
    if gap < rules.min_generation_gap:
        raise RuleViolation(
            f"the pair is {gap} generation(s) apart; the program asks for {rules.min_generation_gap}",
            code="generation_gap_too_small",
        )
    if (
        rules.forbid_same_department
        and mentor.org_id == mentee.org_id
        and mentor.department
        and mentee.department
        and mentor.department.casefold() == mentee.department.casefold()
    ):
        raise RuleViolation("mentor and mentee work in the same department", code="same_department")


def check_capacity(mentor: Enrollment, mentor_open_tandems: int, mentee_open_tandems: int) -> None:
    """Open (proposed, active, paused) tandems may not exceed the capacities."""
    if mentee_open_tandems >= 1:
        raise Conflict("the mentee already has an open tandem in this program", code="mentee_already_paired")
    if mentor_open_tandems >= mentor.capacity:
        raise Conflict(
            f"the mentor's capacity of {mentor.capacity} tandem(s) is used up", code="mentor_capacity_exceeded"
        )


def check_not_excluded(excluded: bool) -> None:
    if excluded:
        raise Conflict("this pair was dissolved with never_pair_again", code="pair_excluded")


def check_not_passed(passed: bool) -> None:
    """A pass on either side is a hard exclusion, whoever proposes the pair."""
    if passed:
        raise Conflict("one side passed on the other; this pair is excluded", code="passed")
