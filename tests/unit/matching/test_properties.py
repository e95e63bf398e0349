"""Properties of a matching run on random instances (DESIGN.md §2 "Matching").

No proposal breaks a hard constraint, capacities hold, pinned pairs survive, every participant
is accounted for with a true reason, and the result is exactly optimal: equal to an exhaustive
search up to 7 x 7 and to an independent solver on 300 x 300.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from scipy.optimize import linear_sum_assignment  # type: ignore[import-untyped]
from scipy.sparse import csr_matrix  # type: ignore[import-untyped]
from scipy.sparse.csgraph import min_weight_full_bipartite_matching  # type: ignore[import-untyped]

from app.domain.matching import MatchingResult, Objective, Reason, feasibility, match, score, score_matrix, violation
from app.domain.matching.assignment import assign
from app.domain.matching.constraints import exclusions
from tests.unit.matching.instances import MENTEE, Instance, brute_force, instances, structured

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def run(instance: Instance) -> MatchingResult:
    return match(
        instance.program,
        instance.mentees,
        instance.mentors,
        instance.policy,
        pinned=instance.pinned,
        excluded=instance.excluded,
    )


@SETTINGS
@given(instances())
def test_a_run_keeps_every_hard_constraint_capacity_and_pin_and_accounts_for_everyone(instance: Instance) -> None:
    result = run(instance)
    excluded = exclusions(instance.excluded)
    # no proposal breaks a hard constraint
    for proposal in result.proposals:
        assert violation(instance.program, proposal.mentee, proposal.mentor, excluded) is None
    # capacities hold
    per_mentee = Counter(p.mentee.id for p in result.proposals)
    per_mentor = Counter(p.mentor.id for p in result.proposals)
    assert all(per_mentee[m.id] <= min(1, m.free_capacity) for m in instance.mentees)
    assert all(per_mentor[m.id] <= m.free_capacity for m in instance.mentors)
    # pinned pairs survive, marked as pinned
    assert {(p.mentee.id, p.mentor.id) for p in result.proposals if p.pinned} == set(instance.pinned)
    # everyone is either proposed or unmatched, once
    proposed = set(per_mentee) | set(per_mentor)
    unmatched = [u.candidate.id for u in result.unmatched]
    assert len(unmatched) == len(set(unmatched))
    assert set(unmatched) == {c.id for c in (*instance.mentees, *instance.mentors)} - proposed
    _check_reasons(instance, result)


def _check_reasons(instance: Instance, result: MatchingResult) -> None:
    """Each unmatched mentee's reason, recomputed pair by pair."""
    excluded = exclusions(instance.excluded)
    room = {m.id: m.free_capacity for m in instance.mentors}
    for _, mentor_id in instance.pinned:
        room[mentor_id] -= 1
    used = Counter(p.mentor.id for p in result.proposals)
    for unmatched in result.unmatched:
        mentee = unmatched.candidate
        if mentee.role is not MENTEE or mentee.free_capacity == 0:
            continue
        feasible = [m for m in instance.mentors if violation(instance.program, mentee, m, excluded) is None]
        if not feasible:
            assert unmatched.reason is Reason.NO_FEASIBLE_PARTNER
        elif not any(room[m.id] for m in feasible):
            assert unmatched.reason is Reason.CAPACITY_EXHAUSTED
        else:
            assert unmatched.reason is Reason.LOST_TO_BETTER
            if instance.policy.objective is Objective.MAX_PARTICIPATION:  # else the run would have taken them
                assert all(used[m.id] >= m.free_capacity for m in feasible)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_the_result_is_as_good_as_an_exhaustive_search(instance: Instance) -> None:
    result = run(instance)
    count, total = brute_force(instance)
    if instance.policy.objective is Objective.MAX_PARTICIPATION:
        assert len(result.proposals) == count
    assert result.total_score == pytest.approx(total, abs=1e-9)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(pins=False))
def test_the_matrices_agree_with_the_pair_by_pair_definitions(instance: Instance) -> None:
    excluded = exclusions(instance.excluded)
    ok = feasibility(instance.program, instance.mentees, instance.mentors, excluded)
    values = score_matrix(instance.mentees, instance.mentors, instance.policy.weights)
    for i, mentee in enumerate(instance.mentees):
        for j, mentor in enumerate(instance.mentors):
            assert ok[i, j] == (violation(instance.program, mentee, mentor, excluded) is None)
            assert values[i, j] == score(mentee, mentor, instance.policy.weights).value  # exactly


def _independent_optimum(values: np.ndarray, ok: np.ndarray, capacities: list[int]) -> float:
    """Max-weight matching as a sparse min-cost full matching: slots for capacities, one dummy per mentee."""
    n = values.shape[0]
    slot_of = [j for j, c in enumerate(capacities) for _ in range(c)]
    ceiling = float(values.max()) + 1.0  # costs stay >= 1, so no edge has weight zero
    rows, cols, costs = [], [], []
    for i in range(n):
        for s, j in enumerate(slot_of):
            if ok[i, j]:
                rows.append(i), cols.append(s), costs.append(ceiling - values[i, j])
        rows.append(i), cols.append(len(slot_of) + i), costs.append(ceiling)  # stays unmatched
    graph = csr_matrix((costs, (rows, cols)), shape=(n, len(slot_of) + n))
    row_ind, col_ind = min_weight_full_bipartite_matching(graph)
    chosen = [(i, slot_of[s]) for i, s in zip(row_ind, col_ind, strict=True) if s < len(slot_of)]
    return float(sum(values[i, j] for i, j in chosen))


@pytest.mark.parametrize("objective", list(Objective), ids=str)
def test_a_300_by_300_run_equals_an_independent_solvers_optimum(objective: Objective) -> None:
    instance = structured(300, 300, seed=5)
    ok = feasibility(instance.program, instance.mentees, instance.mentors)
    values = score_matrix(instance.mentees, instance.mentors, instance.policy.weights)
    capacities = [m.free_capacity for m in instance.mentors]
    assert 0.3 < ok.mean() < 0.95  # constrained, yet far from empty
    pairs = assign(values, ok, np.array(capacities, dtype=np.int64), objective)
    ours = float(sum(values[i, j] for i, j in pairs))
    if objective is Objective.MAX_PARTICIPATION:
        bonus = float(min(ok.shape) * 3 + 1)
        independent = _independent_optimum(np.where(ok, values + bonus, 0.0), ok, capacities)
        assert len(pairs) == round(independent // bonus)
        assert ours == pytest.approx(independent - len(pairs) * bonus, abs=1e-6)
    else:
        assert ours == pytest.approx(_independent_optimum(values, ok, capacities), abs=1e-9)


def test_slot_expansion_equals_plain_assignment_when_every_capacity_is_one() -> None:
    rng = np.random.default_rng(3)
    values = rng.integers(0, 5, size=(60, 80)) / 4  # many ties, as structured scores have
    pairs = assign(values, np.ones(values.shape, dtype=bool), np.ones(80, dtype=np.int64), Objective.MAX_TOTAL_SCORE)
    rows, cols = linear_sum_assignment(values, maximize=True)
    assert sum(values[i, j] for i, j in pairs) == pytest.approx(values[rows, cols].sum())


def test_a_full_run_on_300_by_300_matches_the_assignment_and_explains_itself() -> None:
    instance = structured(300, 300, seed=11)
    result = run(instance)
    assert len(result.proposals) > 250
    for proposal in result.proposals[:20]:
        assert proposal.score.explanation.startswith(f"score {proposal.score.value:.2f}")
    ok = feasibility(instance.program, instance.mentees, instance.mentors)
    values = score_matrix(instance.mentees, instance.mentors, instance.policy.weights)
    capacities = [m.free_capacity for m in instance.mentors]
    assert result.total_score == pytest.approx(_independent_optimum(values, ok, capacities), abs=1e-9)
