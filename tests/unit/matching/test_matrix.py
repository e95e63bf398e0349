"""The vectorized scores: each encoded component, and the blocks of rows, equal ``score.py`` bit for bit."""

from __future__ import annotations

from datetime import time
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from app.domain.availability import WeeklyWindow
from app.domain.matching import Candidate, Weights, assignment, encoding, match, matrix, score, score_matrix
from app.domain.matching.place_encoding import format_place
from app.domain.matching.score import contrast, shared_interests, topic_fit
from app.domain.matching.score import format_place as scalar_format_place
from app.domain.values import MeetingFormat, Topic
from tests.unit.matching.instances import (
    MENTEE,
    MENTOR,
    Instance,
    a_matching_program,
    candidate,
    instances,
    structured,
)

PROGRAM = a_matching_program()
ENCODED = [
    (encoding.topic_fit, topic_fit),
    (encoding.shared_interests, shared_interests),
    (encoding.contrast, contrast),
    (format_place, scalar_format_place),
]


def component_values(build: Any, mentees: list[Candidate], mentors: list[Candidate]) -> np.ndarray:
    lookup = build(mentees, mentors)
    keys = (lookup.left @ lookup.right).astype(np.intp)
    values: np.ndarray = lookup.table[keys]
    return values


def assert_components_agree(mentees: list[Candidate], mentors: list[Candidate]) -> None:
    for build, reference in ENCODED:
        values = component_values(build, mentees, mentors)
        expected = [[reference(e, m)[0] for m in mentors] for e in mentees]
        assert values.tolist() == expected, reference.__name__


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(pins=False))
def test_every_encoded_component_equals_the_pair_by_pair_one(instance: Instance) -> None:
    if instance.mentees and instance.mentors:
        assert_components_agree(instance.mentees, instance.mentors)


def person(role: Any, **fields: Any) -> Candidate:
    return candidate(PROGRAM, role, **fields)


def test_edge_profiles_encode_exactly() -> None:
    """No needs, no interests, unknown backgrounds, no availability, availability that meets nobody's."""
    monday_early = (WeeklyWindow(0, time(6), time(7)),)
    friday_late = (WeeklyWindow(4, time(20), time(22)),)
    mentees = [
        person(MENTEE, needs=(), interests=(), department=None, city=None, availability=()),
        person(MENTEE, needs=(Topic("AI", 5), Topic("Chess", 1)), interests=("Jazz",), availability=monday_early),
        person(MENTEE, preferred_formats=(MeetingFormat.ON_SITE,), city="Berlin", availability=friday_late),
    ]
    mentors = [
        person(MENTOR, offers=(Topic("ai"),), interests=("jazz", "golf"), city="berlin", availability=friday_late),
        person(MENTOR, offers=(), interests=(), department=None, city=None, availability=()),
    ]
    assert_components_agree(mentees, mentors)
    # a mentee with availability that meets none of the mentor's has no time in common (not "unrestricted")
    assert component_values(format_place, mentees[1:2], mentors[:1]).tolist() == [[0.5]]


def with_mutual_likes(instance: Instance, pairs: list[tuple[int, int]]) -> Instance:
    liked: dict[Any, set[Any]] = {c.id: set() for c in (*instance.mentees, *instance.mentors)}
    for i, j in pairs:
        liked[instance.mentees[i].id].add(instance.mentors[j].id)
        liked[instance.mentors[j].id].add(instance.mentees[i].id)
    instance.mentees, instance.mentors = (
        [Candidate(c.enrollment, c.person, likes=frozenset(liked[c.id])) for c in side]
        for side in (instance.mentees, instance.mentors)
    )
    return instance


def test_scores_in_blocks_of_any_height_equal_the_reference_exactly(monkeypatch: pytest.MonkeyPatch) -> None:
    instance = with_mutual_likes(structured(40, 30, seed=3), [(0, 0), (4, 29), (5, 3), (39, 7), (20, 20)])
    weights = Weights(topic_fit=3, shared_interests=1.5, contrast=2, format_place=1, mutual_like=4)
    whole = score_matrix(instance.mentees, instance.mentors, weights)
    monkeypatch.setattr(matrix, "BLOCK_PAIRS", 95)  # 3 rows per block, and a last block of 1
    assert np.array_equal(score_matrix(instance.mentees, instance.mentors, weights), whole)
    expected = [[score(e, m, weights).value for m in instance.mentors] for e in instance.mentees]
    assert whole.tolist() == expected


def test_a_run_in_small_blocks_proposes_exactly_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    instance = with_mutual_likes(structured(60, 45, seed=8), [(k, (7 * k) % 45) for k in range(0, 60, 5)])
    before = match(instance.program, instance.mentees, instance.mentors, instance.policy)
    monkeypatch.setattr(matrix, "BLOCK_PAIRS", 320)  # 7 rows (or more, when mentors drop out) per block
    monkeypatch.setattr(assignment, "BLOCK_PAIRS", 320)
    after = match(instance.program, instance.mentees, instance.mentors, instance.policy)
    assert [(p.mentee, p.mentor, p.score) for p in after.proposals] == [
        (p.mentee, p.mentor, p.score) for p in before.proposals
    ]
    assert after.unmatched == before.unmatched


def test_without_any_weight_every_score_is_zero() -> None:
    instance = structured(5, 4, seed=1)
    zero = Weights(topic_fit=0, shared_interests=0, contrast=0, format_place=0, mutual_like=0)
    assert not score_matrix(instance.mentees, instance.mentors, zero).any()
    only_likes = Weights(topic_fit=0, shared_interests=0, contrast=0, format_place=0, mutual_like=1)
    assert not score_matrix(instance.mentees, instance.mentors, only_likes).any()  # nobody liked anybody
