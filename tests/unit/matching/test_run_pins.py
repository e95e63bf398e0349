"""A matching run's pinned pairs must name a mentor and a mentee of the run's program."""

from __future__ import annotations

from uuid import UUID

import pytest

from app.domain.enrollment import Enrollment, ParticipantRole
from app.domain.errors import RuleViolation
from app.domain.matching.run import MatchingRun, PinnedPair
from app.domain.program import ProgramStatus
from tests.unit.builders import a_mentee, a_mentor, a_program, an_enrollment

PROGRAM = a_program(ProgramStatus.MATCHING)
OTHER_PROGRAM = a_program(ProgramStatus.MATCHING)
MENTOR = an_enrollment(PROGRAM, a_mentor(), ParticipantRole.MENTOR)
MENTEE = an_enrollment(PROGRAM, a_mentee(), ParticipantRole.MENTEE)


def run_pinning(mentor: Enrollment, mentee: Enrollment) -> MatchingRun:
    return MatchingRun(org_id=PROGRAM.org_id, program_id=PROGRAM.id, pinned=(PinnedPair(mentor.id, mentee.id),))


def by_id(*enrollments: Enrollment) -> dict[UUID, Enrollment]:
    return {e.id: e for e in enrollments}


def test_a_mentor_and_a_mentee_of_the_program_may_be_pinned() -> None:
    run_pinning(MENTOR, MENTEE).check_pinned(by_id(MENTOR, MENTEE))
    MatchingRun(org_id=PROGRAM.org_id, program_id=PROGRAM.id).check_pinned({})


@pytest.mark.parametrize(
    ("mentor", "mentee", "known"),
    [
        (MENTEE, MENTOR, (MENTOR, MENTEE)),  # sides swapped
        (MENTOR, MENTEE, (MENTOR,)),  # the mentee is not found
        (MENTOR, an_enrollment(OTHER_PROGRAM, a_mentee(), ParticipantRole.MENTEE), None),  # another program
    ],
    ids=["swapped", "unknown", "other-program"],
)
def test_a_pin_of_a_stranger_or_the_wrong_side_is_refused(
    mentor: Enrollment, mentee: Enrollment, known: tuple[Enrollment, ...] | None
) -> None:
    with pytest.raises(RuleViolation) as caught:
        run_pinning(mentor, mentee).check_pinned(by_id(*(known or (mentor, mentee))))
    assert (caught.value.code, caught.value.field) == ("pinned_unknown", "pinned")
