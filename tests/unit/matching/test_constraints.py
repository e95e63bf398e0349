"""Hard constraints of a run: the program's pairing rules, a shared language, no pass, no never-pair-again."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from app.domain.matching import Candidate, exclusions, feasibility, violation
from app.domain.pairing import violated_rule
from app.domain.program import ProgramStatus
from tests.unit.builders import a_person, a_program
from tests.unit.matching.instances import MENTEE, MENTOR, a_matching_program, candidate

PROGRAM = a_matching_program()


def mentee(program: Any = PROGRAM, **fields: Any) -> Candidate:
    return candidate(program, MENTEE, **fields)


def mentor(program: Any = PROGRAM, **fields: Any) -> Candidate:
    return candidate(program, MENTOR, **fields)


def agrees(program: Any, mentees: list[Candidate], mentors: list[Candidate], excluded: Any = frozenset()) -> None:
    """The all-pairs matrix says exactly what the pair-by-pair check says."""
    ok = feasibility(program, mentees, mentors, excluded)
    expected = [[violation(program, e, m, excluded) is None for m in mentors] for e in mentees]
    assert ok.tolist() == expected


def test_a_fitting_pair_breaks_no_constraint() -> None:
    a, b = mentee(), mentor()
    assert violation(PROGRAM, a, b) is None
    agrees(PROGRAM, [a], [b])


@pytest.mark.parametrize(
    ("mentee_fields", "mentor_fields", "code"),
    [
        ({}, {"birth_year": 1970}, "mentor_not_digital_native"),
        ({"birth_year": 1990}, {}, "mentee_not_digital_immigrant"),
        ({"department": "Sales"}, {"department": "sales"}, "same_department"),
    ],
)
def test_the_programs_pairing_rules_apply(mentee_fields: Any, mentor_fields: Any, code: str) -> None:
    a, b = mentee(**mentee_fields), mentor(**mentor_fields)
    assert violation(PROGRAM, a, b) == code == violated_rule(PROGRAM, b.participant, a.participant)
    agrees(PROGRAM, [a, mentee()], [b, mentor()])


def test_the_programs_own_generation_gap_applies() -> None:
    program = a_matching_program(min_generation_gap=2)
    one_apart = (mentee(program, birth_year=1975), mentor(program, birth_year=1985))
    assert violation(program, *one_apart) == "generation_gap_too_small"
    agrees(program, [one_apart[0], mentee(program, birth_year=1960)], [one_apart[1], mentor(program, birth_year=2000)])


def test_a_person_cannot_be_matched_with_themselves_while_their_peers_can() -> None:
    program = a_matching_program(mentor_must_be_digital_native=False, mentee_must_be_digital_immigrant=False)
    person = a_person(birth_year=1970, department="IT")
    twin = a_person(birth_year=1970, department="IT")  # same rule profile, another person
    as_mentee, as_mentor = mentee(program, person=person), mentor(program, person=person)
    other_mentor = mentor(program, person=twin)
    program_gap0 = a_matching_program(
        mentor_must_be_digital_native=False, mentee_must_be_digital_immigrant=False, min_generation_gap=0
    )
    assert violation(program, as_mentee, as_mentor) == "same_person"
    agrees(program, [as_mentee], [as_mentor, other_mentor])
    agrees(program_gap0, [as_mentee], [as_mentor, other_mentor])


def test_withdrawn_erased_and_foreign_enrollments_are_never_feasible() -> None:
    withdrawn, erased = mentee(), mentor()
    withdrawn.enrollment.withdraw()
    erased.person.erase()
    elsewhere = mentee(a_matching_program())
    assert violation(PROGRAM, withdrawn, mentor()) == "enrollment_withdrawn"
    assert violation(PROGRAM, mentee(), erased) == "person_erased"
    assert violation(PROGRAM, elsewhere, mentor()) == "enrollment_not_in_program"
    agrees(PROGRAM, [withdrawn, elsewhere, mentee()], [erased, mentor()])


def test_the_pair_needs_a_shared_language() -> None:
    a, b = mentee(languages=("de", "fr")), mentor(languages=("en",))
    assert violation(PROGRAM, a, b) == "no_shared_language"
    assert violation(PROGRAM, a, mentor(languages=("FR",))) is None
    agrees(PROGRAM, [a], [b, mentor(languages=("fr",))])


@pytest.mark.parametrize("side", ["mentee", "mentor"])
def test_a_pass_from_either_side_excludes_the_pair(side: str) -> None:
    a, b = mentee(), mentor()
    if side == "mentee":
        a = Candidate(a.enrollment, a.person, passes=frozenset({b.id}))
    else:
        b = Candidate(b.enrollment, b.person, passes=frozenset({a.id}))
    assert violation(PROGRAM, a, b) == "passed"
    agrees(PROGRAM, [a, mentee()], [b, mentor()])


@pytest.mark.parametrize("order", ["mentee first", "mentor first"])
def test_a_pair_dissolved_with_never_pair_again_stays_apart(order: str) -> None:
    a, b = mentee(), mentor()
    pair = (a.person.id, b.person.id) if order == "mentee first" else (b.person.id, a.person.id)
    excluded = exclusions([pair])
    assert violation(PROGRAM, a, b, excluded) == "pair_excluded"
    agrees(PROGRAM, [a, mentee()], [b, mentor()], excluded)


def test_nothing_is_feasible_while_the_program_cannot_pair() -> None:
    program = a_program(ProgramStatus.DRAFT)
    a, b = mentee(program), mentor(program)
    assert violation(program, a, b) == "pairing_closed"
    assert not feasibility(program, [a], [b]).any()


def test_empty_sides_give_an_empty_matrix() -> None:
    assert feasibility(PROGRAM, [], [mentor()]).shape == (0, 1)
    assert feasibility(PROGRAM, [mentee()], []).shape == (1, 0)
    assert np.asarray(feasibility(PROGRAM, [], [])).size == 0
