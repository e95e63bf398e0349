"""Pairing checks: who may form a tandem with whom, capacities, exclusions (DESIGN.md §2)."""

from __future__ import annotations

from typing import Any

import pytest

from app.domain.enrollment import ParticipantRole
from app.domain.errors import Conflict, RuleViolation
from app.domain.pairing import (
    Participant,
    agreed_formats,
    check_capacity,
    check_not_excluded,
    check_pair,
    check_two_enrollments,
)
from app.domain.program import Program, ProgramRules, ProgramStatus
from app.domain.values import MeetingFormat
from tests.unit.builders import (
    OTHER_ORG_ID,
    a_mentee,
    a_mentor,
    a_pairing,
    a_participant,
    a_person,
    a_program,
    an_enrollment,
    an_id,
)

MENTOR, MENTEE = ParticipantRole.MENTOR, ParticipantRole.MENTEE
VIDEO, ON_SITE, PHONE, SHADOWING = (
    MeetingFormat.VIDEO_CALL,
    MeetingFormat.ON_SITE,
    MeetingFormat.PHONE,
    MeetingFormat.SHADOWING_DAY,
)


def program_with(**rule_changes: Any) -> Program:
    return a_program(ProgramStatus.MATCHING, rules=ProgramRules(**rule_changes))


def refusal(program: Program, mentor: Participant, mentee: Participant) -> RuleViolation:
    with pytest.raises(RuleViolation) as caught:
        check_pair(program, mentor, mentee)
    return caught.value


def test_a_digital_native_mentor_and_an_immigrant_mentee_of_other_departments_may_pair() -> None:
    check_pair(*a_pairing())


@pytest.mark.parametrize("status", [ProgramStatus.ENROLLING, ProgramStatus.MATCHING, ProgramStatus.RUNNING], ids=str)
def test_pairs_form_while_the_program_is_enrolling_matching_or_running(status: ProgramStatus) -> None:
    check_pair(*a_pairing(a_program(status)))


@pytest.mark.parametrize("status", [ProgramStatus.DRAFT, ProgramStatus.COMPLETED, ProgramStatus.CANCELLED], ids=str)
def test_no_pair_forms_in_a_draft_or_closed_program(status: ProgramStatus) -> None:
    assert refusal(*a_pairing(a_program(status))).code == "pairing_closed"


def test_the_mentor_side_must_be_enrolled_as_mentor() -> None:
    program, _, mentee = a_pairing()
    mentee_enrolled_mentor = a_participant(program, a_mentor(), MENTEE)
    assert refusal(program, mentee_enrolled_mentor, mentee).code == "wrong_role"


def test_the_mentee_side_must_be_enrolled_as_mentee() -> None:
    program, mentor, _ = a_pairing()
    mentor_enrolled_mentee = a_participant(program, a_mentee(), MENTOR)
    assert refusal(program, mentor, mentor_enrolled_mentee).code == "wrong_role"


def test_an_enrollment_of_another_program_cannot_be_paired() -> None:
    program, mentor, _ = a_pairing()
    elsewhere = a_participant(a_program(ProgramStatus.MATCHING), a_mentee(), MENTEE)
    assert refusal(program, mentor, elsewhere).code == "enrollment_not_in_program"


def test_an_enrollment_of_another_person_cannot_be_paired() -> None:
    program, mentor, mentee = a_pairing()
    impostor = Participant(mentee.enrollment, a_mentee())
    assert refusal(program, mentor, impostor).code == "enrollment_not_in_program"


@pytest.mark.parametrize("side", ["mentor", "mentee"])
def test_a_withdrawn_enrollment_cannot_be_paired(side: str) -> None:
    program, mentor, mentee = a_pairing()
    (mentor if side == "mentor" else mentee).enrollment.withdraw()
    assert refusal(program, mentor, mentee).code == "enrollment_withdrawn"


@pytest.mark.parametrize("side", ["mentor", "mentee"])
def test_an_erased_person_cannot_be_paired(side: str) -> None:
    program, mentor, mentee = a_pairing()
    (mentor if side == "mentor" else mentee).person.erase()
    assert refusal(program, mentor, mentee).code == "person_erased"


def test_a_person_cannot_mentor_themselves() -> None:
    program = program_with(mentor_must_be_digital_native=False, mentee_must_be_digital_immigrant=False)
    person = a_person(birth_year=1990)
    as_mentor = a_participant(program, person, MENTOR)
    as_mentee = a_participant(program, person, MENTEE)
    assert refusal(program, as_mentor, as_mentee).code == "same_person"


def test_a_mentor_must_be_a_digital_native_when_paired() -> None:
    program, _, mentee = a_pairing()
    old_mentor = a_participant(program, a_mentor(birth_year=1960), MENTOR)
    assert refusal(program, old_mentor, mentee).code == "mentor_not_digital_native"


def test_a_mentee_must_be_a_digital_immigrant_when_paired() -> None:
    program, mentor, _ = a_pairing()
    young_mentee = a_participant(program, a_mentee(birth_year=2005), MENTEE)
    assert refusal(program, mentor, young_mentee).code == "mentee_not_digital_immigrant"


def test_with_the_generation_rules_off_an_older_mentor_may_pair_with_a_younger_mentee() -> None:
    program = program_with(mentor_must_be_digital_native=False, mentee_must_be_digital_immigrant=False)
    # An older mentor for a younger mentee: a reversed but valid pair when the rules are off.
    check_pair(*a_pairing(program, mentor=a_mentor(birth_year=1960), mentee=a_mentee(birth_year=1999)))


def test_partners_of_the_same_generation_are_refused_by_default() -> None:
    program = program_with(mentee_must_be_digital_immigrant=False)
    same_generation = a_pairing(program, mentor=a_mentor(birth_year=1998), mentee=a_mentee(birth_year=2005))
    assert refusal(*same_generation).code == "generation_gap_too_small"


def test_the_minimum_generation_gap_is_the_programs_own() -> None:
    program = program_with(min_generation_gap=2)
    one_apart = a_pairing(program, mentor=a_mentor(birth_year=1985), mentee=a_mentee(birth_year=1970))
    assert refusal(*one_apart).code == "generation_gap_too_small"
    check_pair(*a_pairing(program, mentor=a_mentor(birth_year=1998), mentee=a_mentee(birth_year=1970)))


def test_a_gap_of_zero_allows_the_same_generation() -> None:
    program = program_with(min_generation_gap=0, mentee_must_be_digital_immigrant=False)
    check_pair(*a_pairing(program, mentor=a_mentor(birth_year=1998), mentee=a_mentee(birth_year=2005)))


def test_partners_from_one_department_are_refused() -> None:
    pairing = a_pairing(mentor=a_mentor(department="Marketing"), mentee=a_mentee(department="Marketing"))
    assert refusal(*pairing).code == "same_department"


def test_the_department_comparison_ignores_case() -> None:
    pairing = a_pairing(mentor=a_mentor(department="MARKETING"), mentee=a_mentee(department="marketing"))
    assert refusal(*pairing).code == "same_department"


def test_the_same_department_rule_can_be_switched_off() -> None:
    program = program_with(forbid_same_department=False)
    check_pair(*a_pairing(program, mentor=a_mentor(department="IT"), mentee=a_mentee(department="it")))


def test_a_department_of_the_same_name_in_another_organization_is_not_the_same_department() -> None:
    external_mentor = a_mentor(org_id=OTHER_ORG_ID, department="Marketing")
    check_pair(*a_pairing(mentor=external_mentor, mentee=a_mentee(department="Marketing")))


def test_an_unknown_department_never_counts_as_the_same() -> None:
    check_pair(*a_pairing(mentor=a_mentor(department=None), mentee=a_mentee(department=None)))


def test_a_mentee_cannot_have_two_open_tandems() -> None:
    mentor = an_enrollment(a_program(), a_mentor(), MENTOR, capacity=3)
    with pytest.raises(Conflict) as caught:
        check_capacity(mentor, mentor_open_tandems=0, mentee_open_tandems=1)
    assert caught.value.code == "mentee_already_paired"


def test_a_mentor_with_capacity_1_takes_one_tandem() -> None:
    mentor = an_enrollment(a_program(), a_mentor(), MENTOR, capacity=1)
    check_capacity(mentor, mentor_open_tandems=0, mentee_open_tandems=0)
    with pytest.raises(Conflict) as caught:
        check_capacity(mentor, mentor_open_tandems=1, mentee_open_tandems=0)
    assert caught.value.code == "mentor_capacity_exceeded"


def test_a_mentor_with_capacity_3_takes_three_tandems_and_no_fourth() -> None:
    mentor = an_enrollment(a_program(), a_mentor(), MENTOR, capacity=3)
    check_capacity(mentor, mentor_open_tandems=2, mentee_open_tandems=0)
    with pytest.raises(Conflict) as caught:
        check_capacity(mentor, mentor_open_tandems=3, mentee_open_tandems=0)
    assert caught.value.code == "mentor_capacity_exceeded"


def test_a_pair_dissolved_with_never_pair_again_is_excluded() -> None:
    check_not_excluded(False)
    with pytest.raises(Conflict) as caught:
        check_not_excluded(True)
    assert caught.value.code == "pair_excluded"


def test_one_enrollment_cannot_be_both_sides_of_a_tandem() -> None:
    enrollment_id = an_id()
    check_two_enrollments(enrollment_id, an_id())
    with pytest.raises(RuleViolation) as caught:
        check_two_enrollments(enrollment_id, enrollment_id)
    assert caught.value.code == "same_person"


def test_a_new_tandem_meets_in_the_formats_both_prefer_in_the_mentees_order() -> None:
    _, mentor, mentee = a_pairing(
        mentor=a_mentor(preferred_formats=(VIDEO, ON_SITE, PHONE)),
        mentee=a_mentee(preferred_formats=(PHONE, SHADOWING, VIDEO)),
    )
    assert agreed_formats(mentor, mentee) == (PHONE, VIDEO)


def test_formats_chosen_for_a_tandem_win_over_the_preferences() -> None:
    _, mentor, mentee = a_pairing(
        mentor=a_mentor(preferred_formats=(VIDEO,)), mentee=a_mentee(preferred_formats=(VIDEO,))
    )
    assert agreed_formats(mentor, mentee, (ON_SITE,)) == (ON_SITE,)


def test_without_a_common_preference_a_new_tandem_has_no_formats_yet() -> None:
    _, mentor, mentee = a_pairing(
        mentor=a_mentor(preferred_formats=(VIDEO,)), mentee=a_mentee(preferred_formats=(ON_SITE,))
    )
    assert agreed_formats(mentor, mentee) == ()
