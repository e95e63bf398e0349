"""A run: global optimality, the two objectives, capacities, pinned pairs and the reasons for no match."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from app.domain.errors import Conflict, RuleViolation
from app.domain.matching import Candidate, MatchingPolicy, Objective, Reason, Weights, build_candidates, match
from app.domain.matching.assignment import assign
from app.domain.preference import Choice, express
from app.domain.program import ProgramStatus
from app.domain.values import Topic
from tests.unit.builders import a_program
from tests.unit.matching.instances import MENTEE, MENTOR, a_matching_program, candidate

PROGRAM = a_matching_program()
TOPICS_ONLY = Weights(topic_fit=1, shared_interests=0, contrast=0, format_place=0, mutual_like=0)
BEST_TOTAL = MatchingPolicy(weights=TOPICS_ONLY)
MOST_TANDEMS = MatchingPolicy(weights=TOPICS_ONLY, objective=Objective.MAX_PARTICIPATION)


def mentee(*needs: tuple[str, int], **fields: Any) -> Candidate:
    return candidate(PROGRAM, MENTEE, needs=tuple(Topic(n, p) for n, p in needs), **fields)


def mentor(*offers: str, **fields: Any) -> Candidate:
    return candidate(PROGRAM, MENTOR, offers=tuple(Topic(n) for n in offers), **fields)


def pairs_of(result: Any) -> set[tuple[Candidate, Candidate]]:
    return {(p.mentee, p.mentor) for p in result.proposals}


def reasons_of(result: Any) -> dict[Candidate, Reason]:
    return {u.candidate: u.reason for u in result.unmatched}


def test_the_run_finds_the_global_optimum_where_greedy_fails() -> None:
    ada = mentee(("AI", 1), ("Cooking", 4))  # Xavier 1.0, Yara 0.8
    bo = mentee(("AI", 5), ("Golf", 1))  # Xavier 5/6, Yara 0.0
    xavier, yara = mentor("AI", "Cooking"), mentor("Cooking")
    result = match(PROGRAM, [ada, bo], [xavier, yara], BEST_TOTAL)
    # taking the best single pair first (Ada-Xavier) would total 1.0
    assert pairs_of(result) == {(ada, yara), (bo, xavier)}
    assert result.total_score == pytest.approx(0.8 + 5 / 6)
    assert result.unmatched == ()


def test_max_total_score_may_leave_someone_out_that_max_participation_pairs() -> None:
    ada = mentee(("AI", 1), ("Chess", 5), languages=("fr",))  # 1/6 with Xavier, no language with Yara
    bo = mentee(("AI", 1))  # 1.0 with Xavier, 0.0 with Yara
    xavier, yara = mentor("AI", languages=("en", "fr")), mentor("Golf")
    best_total = match(PROGRAM, [ada, bo], [xavier, yara], BEST_TOTAL)
    assert pairs_of(best_total) == {(bo, xavier)}
    assert reasons_of(best_total) == {ada: Reason.LOST_TO_BETTER, yara: Reason.LOST_TO_BETTER}
    most = match(PROGRAM, [ada, bo], [xavier, yara], MOST_TANDEMS)
    assert pairs_of(most) == {(ada, xavier), (bo, yara)}
    assert most.total_score == pytest.approx(1 / 6)


def test_a_mentor_takes_as_many_mentees_as_the_capacity_allows() -> None:
    mentees = [mentee(("AI", 3)) for _ in range(4)]
    busy = mentor("AI", capacity=3)
    result = match(PROGRAM, mentees, [busy], MOST_TANDEMS)
    assert len(result.proposals) == 3 and {p.mentor for p in result.proposals} == {busy}
    assert [u.reason for u in result.unmatched] == [Reason.LOST_TO_BETTER]


def test_open_tandems_use_up_capacity() -> None:
    a, b = mentee(("AI", 3)), mentee(("AI", 3), open_tandems=1)
    half_full = mentor("AI", capacity=2, open_tandems=1)
    full = mentor("AI", open_tandems=1)
    result = match(PROGRAM, [a, b], [half_full, full], BEST_TOTAL)
    assert pairs_of(result) == {(a, half_full)}
    assert reasons_of(result) == {b: Reason.CAPACITY_EXHAUSTED, full: Reason.CAPACITY_EXHAUSTED}


def test_pinned_pairs_are_kept_and_the_rest_is_optimized_around_them() -> None:
    ada, bo = mentee(("AI", 1)), mentee(("AI", 1))
    xavier, yara = mentor("AI"), mentor("Golf")
    result = match(PROGRAM, [ada, bo], [xavier, yara], BEST_TOTAL, pinned=[(ada.id, yara.id)])
    assert pairs_of(result) == {(ada, yara), (bo, xavier)}
    assert [p.pinned for p in result.proposals] == [True, False]


def test_a_pin_uses_the_mentors_capacity_and_others_learn_why() -> None:
    ada, bo = mentee(("AI", 1)), mentee(("AI", 1), languages=("fr",))
    xavier = mentor("AI", languages=("en", "fr"))
    result = match(PROGRAM, [ada, bo], [xavier], BEST_TOTAL, pinned=[(ada.id, xavier.id)])
    assert pairs_of(result) == {(ada, xavier)}
    assert reasons_of(result) == {bo: Reason.CAPACITY_EXHAUSTED}


def test_a_pin_that_breaks_a_hard_constraint_is_refused() -> None:
    ada, xavier = mentee(department="IT"), mentor(department="IT")
    with pytest.raises(RuleViolation) as caught:
        match(PROGRAM, [ada], [xavier], BEST_TOTAL, pinned=[(ada.id, xavier.id)])
    assert caught.value.code == "same_department"


def test_pins_beyond_capacity_or_twice_for_one_mentee_or_of_strangers_are_refused() -> None:
    ada, bo, xavier, yara = mentee(), mentee(), mentor(), mentor()
    with pytest.raises(Conflict) as caught:
        match(PROGRAM, [ada, bo], [xavier], BEST_TOTAL, pinned=[(ada.id, xavier.id), (bo.id, xavier.id)])
    assert caught.value.code == "mentor_capacity_exceeded"
    with pytest.raises(Conflict) as caught:
        match(PROGRAM, [ada], [xavier, yara], BEST_TOTAL, pinned=[(ada.id, xavier.id), (ada.id, yara.id)])
    assert caught.value.code == "mentee_already_paired"
    with pytest.raises(RuleViolation) as refused:
        match(PROGRAM, [ada], [xavier], BEST_TOTAL, pinned=[(xavier.id, ada.id)])
    assert refused.value.code == "pinned_unknown"


def test_who_has_no_feasible_partner_is_told_so() -> None:
    ada, xavier = mentee(languages=("fr",)), mentor(languages=("de",))
    result = match(PROGRAM, [ada], [xavier], BEST_TOTAL)
    assert result.proposals == ()
    assert reasons_of(result) == {ada: Reason.NO_FEASIBLE_PARTNER, xavier: Reason.NO_FEASIBLE_PARTNER}


def test_every_proposal_explains_itself() -> None:
    result = match(PROGRAM, [mentee(("AI", 2), ("Chess", 2))], [mentor("AI")], MatchingPolicy())
    (proposal,) = result.proposals
    assert proposal.score.components.topic_fit == 0.5
    assert "topic fit 0.50 x5: offers AI (priority 2); not Chess (priority 2)" in proposal.score.explanation


def test_a_run_needs_a_program_that_can_pair() -> None:
    with pytest.raises(RuleViolation) as caught:
        match(a_program(ProgramStatus.COMPLETED), [], [], BEST_TOTAL)
    assert caught.value.code == "pairing_closed"


def test_an_empty_run_proposes_nothing() -> None:
    assert match(PROGRAM, [], [mentor()], BEST_TOTAL).proposals == ()
    assert match(PROGRAM, [mentee()], [], BEST_TOTAL).unmatched[0].reason is Reason.NO_FEASIBLE_PARTNER


def test_candidates_are_built_from_active_enrollments_with_likes_and_passes() -> None:
    a, b, c = mentee(), mentor(), mentor()
    gone = mentee()
    gone.enrollment.withdraw()
    people = {x.person.id: x.person for x in (a, b, c, gone)}
    preferences = [express(a.enrollment, b.enrollment, Choice.LIKE), express(b.enrollment, a.enrollment, Choice.LIKE)]
    preferences.append(express(c.enrollment, a.enrollment, Choice.PASS))
    enrollments = [x.enrollment for x in (a, b, c, gone)]
    mentees, mentors = build_candidates(enrollments, people, preferences, {c.id: 1})
    assert [m.id for m in mentees] == [a.id] and [m.id for m in mentors] == [b.id, c.id]
    assert mentees[0].likes_back(mentors[0]) and mentors[1].passed_either_way(mentees[0])
    assert mentors[1].free_capacity == 0


def test_the_assignment_core_handles_ties_infeasible_rows_and_zero_capacity() -> None:
    values = np.array([[0.5, 0.5, 0.0], [0.5, 0.5, 0.9], [0.2, 0.0, 0.0]])
    ok = np.array([[True, True, False], [True, True, True], [False, False, False]])
    pairs = assign(values, ok, np.array([1, 1, 0]), Objective.MAX_TOTAL_SCORE)
    assert sorted(pairs) == [(0, 0), (1, 1)] or sorted(pairs) == [(0, 1), (1, 0)]
    assert assign(values, ok, np.array([0, 0, 0]), Objective.MAX_PARTICIPATION) == []
