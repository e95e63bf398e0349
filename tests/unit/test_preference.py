"""Preferences: a like or pass is about the other side of the same program; a pass excludes the pair."""

from __future__ import annotations

import pytest

from app.domain.enrollment import EnrollmentStatus, ParticipantRole
from app.domain.errors import Conflict, RuleViolation
from app.domain.pairing import check_not_passed
from app.domain.preference import Choice, express
from tests.unit.builders import a_mentee, a_mentor, a_program, an_enrollment

MENTOR, MENTEE = ParticipantRole.MENTOR, ParticipantRole.MENTEE


def test_a_mentee_likes_a_mentor_of_the_same_program() -> None:
    program = a_program()
    mentee = an_enrollment(program, a_mentee(), MENTEE)
    mentor = an_enrollment(program, a_mentor(), MENTOR)
    preference = express(mentee, mentor, Choice.LIKE)
    assert preference.author_enrollment_id == mentee.id and preference.candidate_enrollment_id == mentor.id
    assert preference.program_id == program.id and preference.org_id == program.org_id
    assert preference.choice is Choice.LIKE


def test_a_choice_given_as_text_becomes_a_choice() -> None:
    program = a_program()
    preference = express(
        an_enrollment(program, a_mentor(), MENTOR),
        an_enrollment(program, a_mentee(), MENTEE),
        "pass",  # type: ignore[arg-type]
    )
    assert preference.choice is Choice.PASS


def test_a_preference_about_someone_of_the_same_side_is_refused() -> None:
    program = a_program()
    one, other = an_enrollment(program, a_mentor(), MENTOR), an_enrollment(program, a_mentor(), MENTOR)
    with pytest.raises(RuleViolation) as caught:
        express(one, other, Choice.LIKE)
    assert caught.value.code == "wrong_role"


def test_a_preference_about_someone_of_another_program_is_refused() -> None:
    mentee = an_enrollment(a_program(), a_mentee(), MENTEE)
    mentor = an_enrollment(a_program(), a_mentor(), MENTOR)
    with pytest.raises(RuleViolation) as caught:
        express(mentee, mentor, Choice.LIKE)
    assert caught.value.code == "enrollment_not_in_program"


@pytest.mark.parametrize("withdrawn", ["author", "candidate"])
def test_a_withdrawn_enrollment_neither_likes_nor_is_liked(withdrawn: str) -> None:
    program = a_program()
    gone = {"status": EnrollmentStatus.WITHDRAWN}
    mentee = an_enrollment(program, a_mentee(), MENTEE, **(gone if withdrawn == "author" else {}))
    mentor = an_enrollment(program, a_mentor(), MENTOR, **(gone if withdrawn == "candidate" else {}))
    with pytest.raises(RuleViolation) as caught:
        express(mentee, mentor, Choice.PASS)
    assert caught.value.code == "enrollment_withdrawn"


def test_a_pass_on_either_side_is_a_conflict_for_pairing() -> None:
    with pytest.raises(Conflict) as caught:
        check_not_passed(True)
    assert caught.value.code == "passed"
    check_not_passed(False)
