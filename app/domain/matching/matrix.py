"""The score of every mentee-mentor pair at once: ``score.py``'s definition, vectorized with numpy.

Counts (topics met, interests shared, quarter-hours in common) are exact small integers in
floating point, and every division happens in the same order as in ``score.py``, so both give
the same numbers; the tests check it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np
from numpy.typing import NDArray

from app.domain.matching.candidates import ALL_FORMATS, IN_PERSON, QUARTERS_PER_WEEK, Candidate
from app.domain.matching.policy import Weights
from app.domain.matching.score import CONTRAST_FULL_GAP, FULL_OVERLAP_QUARTERS

FloatMatrix = NDArray[np.float64]
Component = Callable[[Sequence[Candidate], Sequence[Candidate]], FloatMatrix]
_BIT = {f: 1 << k for k, f in enumerate(sorted(ALL_FORMATS))}
_IN_PERSON_BITS = sum(_BIT[f] for f in IN_PERSON)
_ANYWHERE_BITS = sum(_BIT[f] for f in ALL_FORMATS - IN_PERSON)
_BACKGROUND: tuple[Callable[[Candidate], str | None], ...] = (
    lambda c: c.department,
    lambda c: c.city,
    lambda c: c.origin,
)


def score_matrix(mentees: Sequence[Candidate], mentors: Sequence[Candidate], weights: Weights) -> FloatMatrix:
    """``s[i, j]`` = ``score(mentees[i], mentors[j], weights).value``."""
    total = np.zeros((len(mentees), len(mentors)))
    if not mentees or not mentors or not weights.total:
        return total
    components: tuple[Component, ...] = (topic_fit, shared_interests, contrast, format_place, mutual_like)
    for weight, component in zip(weights.as_tuple(), components, strict=True):
        if weight:
            part = component(mentees, mentors)
            part *= weight
            total += part
            del part
    total /= weights.total
    return total


def _one_hot(
    sides: Iterable[Sequence[Candidate]], keys: Callable[[Candidate], Iterable[str]]
) -> list[NDArray[np.float32]]:
    """One 0/1 row per candidate over the shared vocabulary of ``keys``."""
    sides = list(sides)
    vocabulary: dict[str, int] = {}
    for side in sides:
        for candidate in side:
            for key in keys(candidate):
                vocabulary.setdefault(key, len(vocabulary))
    out = []
    for side in sides:
        matrix = np.zeros((len(side), max(len(vocabulary), 1)), dtype=np.float32)
        for k, candidate in enumerate(side):
            matrix[k, [vocabulary[key] for key in keys(candidate)]] = 1.0
        out.append(matrix)
    return out


def topic_fit(mentees: Sequence[Candidate], mentors: Sequence[Candidate]) -> FloatMatrix:
    vocabulary = {key: k for k, key in enumerate(dict.fromkeys(key for c in mentees for key in c.needs))}
    priorities = np.zeros((len(mentees), max(len(vocabulary), 1)), dtype=np.float32)
    for k, mentee in enumerate(mentees):
        for key, (_, priority) in mentee.needs.items():
            priorities[k, vocabulary[key]] = priority
    offers = np.zeros((len(mentors), priorities.shape[1]), dtype=np.float32)
    for k, mentor in enumerate(mentors):
        offers[k, [vocabulary[key] for key in mentor.offers if key in vocabulary]] = 1.0
    met = _counts(priorities, offers)  # sums of small integers: exact
    wanted = priorities.sum(axis=1, dtype=np.float64)[:, None]
    np.divide(met, wanted, out=met, where=wanted > 0)
    return met


def _counts(left: NDArray[np.float32], right: NDArray[np.float32]) -> FloatMatrix:
    """``left @ right.T`` for small non-negative integers (exact in float32 below 2**24), as float64."""
    out: FloatMatrix = (left @ right.T).astype(np.float64)
    return out


def shared_interests(mentees: Sequence[Candidate], mentors: Sequence[Candidate]) -> FloatMatrix:
    mine, theirs = _one_hot((mentees, mentors), lambda c: c.interests.keys())
    common = _counts(mine, theirs)
    union = np.add.outer(mine.sum(axis=1, dtype=np.float64), theirs.sum(axis=1, dtype=np.float64))
    union -= common
    union[union == 0] = 1.0  # no interests on either side: nothing in common either
    common /= union
    return common


def _codes(sides: Sequence[Sequence[Candidate]], value: Callable[[Candidate], str | None]) -> list[NDArray[np.int64]]:
    """Small integer codes per candidate; unknown (None) is -1."""
    vocabulary: dict[str, int] = {}
    out = []
    for side in sides:
        codes = [vocabulary.setdefault(v, len(vocabulary)) if (v := value(c)) is not None else -1 for c in side]
        out.append(np.array(codes, dtype=np.int64))
    return out


def _differ(a: NDArray[np.int64], b: NDArray[np.int64]) -> NDArray[np.bool_]:
    known = (a >= 0)[:, None] & (b >= 0)[None, :]
    differs: NDArray[np.bool_] = (a[:, None] != b[None, :]) & known
    return differs


def contrast(mentees: Sequence[Candidate], mentors: Sequence[Candidate]) -> FloatMatrix:
    ranks = [np.array([c.person.generation.rank for c in side], dtype=np.int8) for side in (mentees, mentors)]
    gap = np.abs(ranks[0][:, None] - ranks[1][None, :])
    halves = np.array([min(g, CONTRAST_FULL_GAP) / CONTRAST_FULL_GAP / 2 for g in range(int(gap.max(initial=0)) + 1)])
    out: FloatMatrix = halves[gap]
    del gap
    differences = np.zeros(out.shape, dtype=np.int8)
    for attribute in _BACKGROUND:
        a, b = _codes((mentees, mentors), attribute)
        differences += _differ(a, b)
    out += np.array([k / 6 for k in range(len(_BACKGROUND) + 1)])[differences]
    return out


def format_place(mentees: Sequence[Candidate], mentors: Sequence[Candidate]) -> FloatMatrix:
    bits = [np.array([sum(_BIT[f] for f in c.formats) for c in side], dtype=np.int8) for side in (mentees, mentors)]
    common = bits[0][:, None] & bits[1][None, :]
    cities = _codes((mentees, mentors), lambda c: c.city)
    same_city = (cities[0][:, None] == cities[1][None, :]) & (cities[0] >= 0)[:, None]
    workable = ((common & _ANYWHERE_BITS) != 0) | (((common & _IN_PERSON_BITS) != 0) & same_city)
    del common, same_city
    time_fit = np.ones(workable.shape)
    rows = [i for i, c in enumerate(mentees) if c.quarters]
    cols = [j for j, c in enumerate(mentors) if c.quarters]
    if rows and cols:
        weeks = [np.zeros((len(index), QUARTERS_PER_WEEK), dtype=np.float32) for index in (rows, cols)]
        for week, index, side in zip(weeks, (rows, cols), (mentees, mentors), strict=True):
            for k, i in enumerate(index):
                week[k, list(side[i].quarters)] = 1.0
        used = weeks[0].any(axis=0) & weeks[1].any(axis=0)
        overlap = (weeks[0][:, used] @ weeks[1][:, used].T).astype(np.float64)
        time_fit[np.ix_(rows, cols)] = np.minimum(overlap / FULL_OVERLAP_QUARTERS, 1.0)
    out: FloatMatrix = workable + time_fit
    out /= 2
    return out


def mutual_like(mentees: Sequence[Candidate], mentors: Sequence[Candidate]) -> FloatMatrix:
    out = np.zeros((len(mentees), len(mentors)))
    col_of = {c.id: j for j, c in enumerate(mentors)}
    for i, mentee in enumerate(mentees):
        for liked in mentee.likes:
            j = col_of.get(liked)
            if j is not None and mentee.likes_back(mentors[j]):
                out[i, j] = 1.0
    return out
