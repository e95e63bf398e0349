"""Whether a mentor and a mentee may form a tandem: the program's rules and the capacities.

Both manual pairing and (later) matching call these checks, so a rule lives in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from app.domain.enrollment import Enrollment, ParticipantRole
from app.domain.errors import Conflict, RuleViolation
from app.domain.generations import generation_gap
from app.domain.person import Person
from app.domain.program import Program
from app.domain.values import MeetingFormat


@dataclass(frozen=True, slots=True)
class Participant:
    enrollment: Enrollment
    person: Person


def check_two_enrollments(mentor_enrollment_id: UUID, mentee_enrollment_id: UUID) -> None:
    """A tandem joins two enrollments; one enrollment cannot be both sides."""
    if mentor_enrollment_id == mentee_enrollment_id:
        raise RuleViolation("mentor and mentee must be different enrollments", code="same_person")


def agreed_formats(
    mentor: Participant, mentee: Participant, chosen: tuple[MeetingFormat, ...] = ()
) -> tuple[MeetingFormat, ...]:
    """A new tandem's meeting formats: those chosen for it, else those both people prefer
    (in the mentee's order of preference); none in common leaves them for the pair to agree."""
    if chosen:
        return chosen
    return tuple(f for f in mentee.person.preferred_formats if f in mentor.person.preferred_formats)


def check_pair(program: Program, mentor: Participant, mentee: Participant) -> None:
    """Raise the first broken rule for pairing ``mentor`` with ``mentee`` in ``program``."""
    violation = pair_violation(program, mentor, mentee)
    if violation is not None:
        raise violation


def violated_rule(program: Program, mentor: Participant, mentee: Participant) -> str | None:
    """The code of the first rule that pairing ``mentor`` with ``mentee`` breaks, or None."""
    violation = pair_violation(program, mentor, mentee)
    return violation.code if violation is not None else None


def pair_violation(program: Program, mentor: Participant, mentee: Participant) -> RuleViolation | None:
    """The first broken rule (what ``check_pair`` raises), or None; pure, raises nothing."""
    try:
        program.ensure_pairable()
    except RuleViolation as closed:
        return closed
    for side, expected in ((mentor, ParticipantRole.MENTOR), (mentee, ParticipantRole.MENTEE)):
        violation = side_violation(program, side, expected)
        if violation is not None:
            return violation
    return rule_violation(program, mentor.person, mentee.person)


def side_violation(program: Program, side: Participant, expected: ParticipantRole) -> RuleViolation | None:
    """Whether one side may be paired at all as ``expected`` in ``program``, whoever the partner is."""
    enrollment = side.enrollment
    if enrollment.program_id != program.id or enrollment.person_id != side.person.id:
        return RuleViolation("the enrollment belongs to another program", code="enrollment_not_in_program")
    if enrollment.role is not expected:
        return RuleViolation(f"the {expected.value} side must be enrolled as {expected.value}", code="wrong_role")
    if not enrollment.is_active:
        return RuleViolation("a withdrawn enrollment cannot be paired", code="enrollment_withdrawn")
    if side.person.erased:
        return RuleViolation("an erased person cannot be paired", code="person_erased")
    return None


def rule_violation(program: Program, mentor: Person, mentee: Person) -> RuleViolation | None:
    """The program's rules for the two people: identity, digital native/immigrant, generation gap, department."""
    rules = program.rules
    if mentor.id == mentee.id:
        return RuleViolation("a person cannot mentor themselves", code="same_person")
    if rules.mentor_must_be_digital_native and not mentor.digital_native:
        return RuleViolation("mentors must be digital natives", code="mentor_not_digital_native")
    if rules.mentee_must_be_digital_immigrant and mentee.digital_native:
        return RuleViolation("mentees must be digital immigrants", code="mentee_not_digital_immigrant")
    gap = generation_gap(mentor.birth_year, mentee.birth_year)
    if gap < rules.min_generation_gap:
        return RuleViolation(
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
        return RuleViolation("mentor and mentee work in the same department", code="same_department")
    return None


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
