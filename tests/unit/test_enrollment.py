"""Enrollment: who may take part in a program, in which role, with which capacity."""

from __future__ import annotations

import pytest

from app.domain.enrollment import MAX_CAPACITY, MAX_TOPICS, EnrollmentStatus, ParticipantRole, enroll
from app.domain.errors import Conflict, RuleViolation
from app.domain.program import ProgramRules, ProgramStatus
from app.domain.values import Topic
from tests.unit.builders import OTHER_ORG_ID, a_mentee, a_mentor, a_pairing, a_person, a_program, an_enrollment

MENTOR, MENTEE = ParticipantRole.MENTOR, ParticipantRole.MENTEE


@pytest.mark.parametrize("status", [ProgramStatus.ENROLLING, ProgramStatus.MATCHING], ids=str)
def test_people_enroll_while_the_program_is_enrolling_or_matching(status: ProgramStatus) -> None:
    program = a_program(status)
    enrollment = enroll(program, a_mentee(), MENTEE, needs=(Topic("TikTok", 5),))
    assert (enrollment.program_id, enrollment.role, enrollment.status) == (program.id, MENTEE, EnrollmentStatus.ACTIVE)
    assert enrollment.needs == (Topic("TikTok", 5),)


@pytest.mark.parametrize(
    "status",
    [ProgramStatus.DRAFT, ProgramStatus.RUNNING, ProgramStatus.COMPLETED, ProgramStatus.CANCELLED],
    ids=str,
)
def test_nobody_enrolls_outside_enrolling_or_matching(status: ProgramStatus) -> None:
    with pytest.raises(RuleViolation) as caught:
        enroll(a_program(status), a_mentor(), MENTOR)
    assert caught.value.code == "enrollment_closed"


def test_an_enrollment_records_an_enrollment_created_event() -> None:
    program = a_program()
    enrollment = enroll(program, a_mentor(), MENTOR)
    events = enrollment.pull_events()
    assert [e.type for e in events] == ["enrollment.created"]
    assert events[0].data == {"program_id": str(program.id), "role": "mentor"}


def test_a_person_of_another_organization_cannot_enroll() -> None:
    with pytest.raises(RuleViolation) as caught:
        enroll(a_program(), a_mentor(org_id=OTHER_ORG_ID), MENTOR)
    assert caught.value.code == "wrong_organization"


def test_an_erased_person_cannot_enroll() -> None:
    person = a_mentor()
    person.erase()
    with pytest.raises(RuleViolation) as caught:
        enroll(a_program(), person, MENTOR)
    assert caught.value.code == "person_erased"


def test_a_mentor_must_be_a_digital_native() -> None:
    with pytest.raises(RuleViolation) as caught:
        enroll(a_program(), a_person(birth_year=1980), MENTOR)
    assert caught.value.code == "mentor_not_digital_native"


def test_a_mentor_born_in_1981_is_a_digital_native() -> None:
    assert enroll(a_program(), a_person(birth_year=1981), MENTOR).role is MENTOR


def test_a_program_may_switch_off_the_digital_native_rule_for_mentors() -> None:
    program = a_program(rules=ProgramRules(mentor_must_be_digital_native=False))
    assert enroll(program, a_person(birth_year=1960), MENTOR).role is MENTOR


def test_a_mentee_must_be_a_digital_immigrant() -> None:
    with pytest.raises(RuleViolation) as caught:
        enroll(a_program(), a_person(birth_year=1981), MENTEE)
    assert caught.value.code == "mentee_not_digital_immigrant"


def test_a_mentee_born_in_1980_is_a_digital_immigrant() -> None:
    assert enroll(a_program(), a_person(birth_year=1980), MENTEE).role is MENTEE


def test_a_program_may_switch_off_the_digital_immigrant_rule_for_mentees() -> None:
    program = a_program(rules=ProgramRules(mentee_must_be_digital_immigrant=False))
    assert enroll(program, a_person(birth_year=2000), MENTEE).role is MENTEE


def test_a_mentor_gets_the_programs_default_capacity() -> None:
    assert enroll(a_program(), a_mentor(), MENTOR).capacity == 1
    program = a_program(rules=ProgramRules(default_mentor_capacity=3))
    assert enroll(program, a_mentor(), MENTOR).capacity == 3


def test_a_mentee_gets_capacity_1_whatever_the_mentor_default() -> None:
    program = a_program(rules=ProgramRules(default_mentor_capacity=3))
    assert enroll(program, a_mentee(), MENTEE).capacity == 1


def test_an_explicit_mentor_capacity_wins_over_the_default() -> None:
    assert enroll(a_program(), a_mentor(), MENTOR, capacity=4).capacity == 4


@pytest.mark.parametrize("capacity", [0, 2])
def test_a_mentee_capacity_must_be_1(capacity: int) -> None:
    with pytest.raises(RuleViolation) as caught:
        enroll(a_program(), a_mentee(), MENTEE, capacity=capacity)
    assert caught.value.code == "invalid_capacity"
    assert caught.value.field == "capacity"


@pytest.mark.parametrize("capacity", [0, -1, MAX_CAPACITY + 1])
def test_a_mentor_capacity_outside_1_to_20_is_refused(capacity: int) -> None:
    with pytest.raises(RuleViolation) as caught:
        enroll(a_program(), a_mentor(), MENTOR, capacity=capacity)
    assert caught.value.code == "invalid_capacity"


@pytest.mark.parametrize("capacity", [1, MAX_CAPACITY])
def test_a_mentor_capacity_of_1_to_20_is_accepted(capacity: int) -> None:
    assert enroll(a_program(), a_mentor(), MENTOR, capacity=capacity).capacity == capacity


def test_an_enrollment_holds_at_most_30_topics() -> None:
    topics = tuple(Topic(f"topic {n}") for n in range(MAX_TOPICS + 1))
    with pytest.raises(RuleViolation) as caught:
        enroll(a_program(), a_mentor(), MENTOR, offers=topics)
    assert caught.value.code == "too_many_items"
    assert len(enroll(a_program(), a_mentor(), MENTOR, offers=topics[:MAX_TOPICS]).offers) == MAX_TOPICS


def test_key_questions_are_trimmed_and_deduplicated() -> None:
    enrollment = enroll(
        a_program(), a_mentee(), MENTEE, key_questions=(" How does TikTok work? ", "how does tiktok work?")
    )
    assert enrollment.key_questions == ("How does TikTok work?",)


def test_an_enrollment_can_be_updated() -> None:
    enrollment = enroll(a_program(), a_mentor(), MENTOR)
    enrollment.update(offers=(Topic("Gaming"),), capacity=2, key_questions=("Why?",))
    assert (enrollment.offers, enrollment.capacity, enrollment.key_questions) == ((Topic("Gaming"),), 2, ("Why?",))


def test_a_bad_update_leaves_the_enrollment_untouched() -> None:
    enrollment = enroll(a_program(), a_mentor(), MENTOR, offers=(Topic("TikTok"),))
    with pytest.raises(RuleViolation) as caught:
        enrollment.update(offers=(Topic("Gaming"),), key_questions=("Why?",), capacity=MAX_CAPACITY + 1)
    assert caught.value.code == "invalid_capacity"
    assert (enrollment.offers, enrollment.key_questions, enrollment.capacity) == ((Topic("TikTok"),), (), 1)


def test_a_mentee_cannot_raise_their_capacity_by_an_update() -> None:
    enrollment = enroll(a_program(), a_mentee(), MENTEE)
    with pytest.raises(RuleViolation) as caught:
        enrollment.update(capacity=2)
    assert caught.value.code == "invalid_capacity"
    assert enrollment.capacity == 1


def test_a_withdrawal_ends_the_enrollment_and_records_an_event_once() -> None:
    program = a_program()
    enrollment = an_enrollment(program, a_mentor(), MENTOR)
    enrollment.withdraw()
    enrollment.withdraw()
    assert enrollment.status is EnrollmentStatus.WITHDRAWN
    assert not enrollment.is_active
    events = enrollment.pull_events()
    assert [e.type for e in events] == ["enrollment.withdrawn"]
    assert events[0].data == {"program_id": str(program.id)}


def test_a_withdrawn_enrollment_cannot_be_edited() -> None:
    enrollment = an_enrollment(a_program(), a_mentor(), MENTOR)
    enrollment.withdraw()
    with pytest.raises(RuleViolation) as caught:
        enrollment.update(capacity=2)
    assert caught.value.code == "enrollment_withdrawn"
    assert enrollment.capacity == 1


# Capacity and leaving, against the open tandems


def test_a_capacity_may_shrink_down_to_the_open_tandems_but_not_below() -> None:
    _, mentor, _ = a_pairing()
    mentor.enrollment.ensure_capacity_covers(2, open_tandems=2)
    with pytest.raises(Conflict) as caught:
        mentor.enrollment.ensure_capacity_covers(1, open_tandems=2)
    assert (caught.value.code, caught.value.field) == ("capacity_below_open_tandems", "capacity")


def test_an_enrollment_with_an_open_tandem_cannot_leave() -> None:
    _, _, mentee = a_pairing()
    mentee.enrollment.ensure_free_to_leave(open_tandems=0)
    with pytest.raises(Conflict) as caught:
        mentee.enrollment.ensure_free_to_leave(open_tandems=1)
    assert caught.value.code == "enrollment_has_open_tandem"
