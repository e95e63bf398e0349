"""Both sides of a run as small matrices, so that all pairs' components are products and lookups.

Each component in ``score.py`` depends on a pair only through small whole numbers: priority
points met, interests shared, generation gap and background differences, a workable format and
the quarter-hours in common. Each such key is a bilinear form ``left[i] @ right[:, j]`` of small
integers, which a float32 product computes exactly (keys stay far below 2**24); a table indexed
by the key holds the component's value, filled by the very functions ``score.py`` uses. So the
vectorized components equal the pair-by-pair ones bit for bit.

What is not bilinear (a share of the mentee's total, a union of sets) goes into a one-hot
"code" column of the mentee that meets, on the right, the key's part for that code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix  # type: ignore[import-untyped]

from app.domain.generations import Generation
from app.domain.matching.candidates import Candidate
from app.domain.matching.score import CONTRAST_FULL_GAP, contrast_value, jaccard, topic_share

Counts = NDArray[np.float32]
Codes = NDArray[np.intp]
BACKGROUND: tuple[Callable[[Candidate], str | None], ...] = (
    lambda c: c.department,
    lambda c: c.city,
    lambda c: c.origin,
)


@dataclass(frozen=True, slots=True)
class Lookup:
    """A component of pair (i, j) is ``table[left[i] @ right[:, j]]``.

    ``left`` is sparse (a mentee has a few topics, interests, quarter-hours), so a block of
    keys costs a few additions per pair; ``right`` is dense and C-ordered, a column per mentor.
    """

    left: csr_matrix
    right: Counts
    table: NDArray[np.float64]


def sparse_rows(
    counts: Sequence[int], columns: Iterable[int], values: Iterable[float], code: Sequence[int], width: int
) -> csr_matrix:
    """Row k: the next ``counts[k]`` of ``columns`` with their ``values``, then a 1 at column ``code[k]``.

    Taking flat iterables keeps per-candidate lists (and their garbage) out of the way.
    """
    ends = np.cumsum(np.asarray(counts, dtype=np.intp) + 1)
    indptr = np.concatenate(([0], ends))
    listed = np.ones(int(ends[-1]) if len(ends) else 0, dtype=np.bool_)
    listed[ends - 1] = False
    indices = np.empty(listed.size, dtype=np.int32)
    data = np.ones(listed.size, dtype=np.float32)
    indices[listed] = np.fromiter(columns, dtype=np.int32, count=int(listed.sum()))
    data[listed] = np.fromiter(values, dtype=np.float32, count=int(listed.sum()))
    indices[ends - 1] = code
    return csr_matrix((data, indices, indptr), shape=(len(counts), width))


def dense_columns(counts: Sequence[int], rows: Iterable[int], height: int) -> Counts:
    """Column k holds 1 at the next ``counts[k]`` of ``rows``; C-ordered, as the products read it."""
    out = np.zeros((height, len(counts)), dtype=np.float32)
    columns = np.repeat(np.arange(len(counts)), counts)
    out[np.fromiter(rows, dtype=np.intp, count=columns.size), columns] = 1.0
    return out


def codes(values: Iterable[str | None], vocabulary: dict[str, int]) -> Codes:
    """The position of each value in ``vocabulary`` (extended as needed); unknown (None) is -1."""
    return np.array([-1 if v is None else vocabulary.setdefault(v, len(vocabulary)) for v in values], dtype=np.intp)


def topic_fit(mentees: Sequence[Candidate], mentors: Sequence[Candidate]) -> Lookup:
    """Key: priority points met, plus the offset of the mentee's total in a table of all totals."""
    vocabulary: dict[str, int] = {}
    columns = [vocabulary.setdefault(key, len(vocabulary)) for c in mentees for key in c.needs]
    wanted = [sum(p for _, p in c.needs.values()) for c in mentees]
    totals = sorted(set(wanted))
    position = {total: k for k, total in enumerate(totals)}
    offsets = np.cumsum([0] + [total + 1 for total in totals[:-1]])
    table = [topic_share(met, total) for total in totals for met in range(total + 1)]
    width = len(vocabulary)  # then a code per total
    points = (p for c in mentees for _, p in c.needs.values())
    code = [width + position[total] for total in wanted]
    left = sparse_rows([len(c.needs) for c in mentees], columns, points, code, width + len(totals))
    offered = [[vocabulary[k] for k in c.offers if k in vocabulary] for c in mentors]
    right = dense_columns([len(o) for o in offered], (k for o in offered for k in o), width + len(totals))
    right[width:] = offsets[:, None]
    return Lookup(left, right, np.array(table))


def shared_interests(mentees: Sequence[Candidate], mentors: Sequence[Candidate]) -> Lookup:
    """Key: ``span x common + |A| + |B|``, from which the union is ``|A| + |B| - common``."""
    vocabulary: dict[str, int] = {}
    mine = [vocabulary.setdefault(key, len(vocabulary)) for c in mentees for key in c.interests]
    theirs = [vocabulary.setdefault(key, len(vocabulary)) for c in mentors for key in c.interests]
    sizes = [[len(c.interests) for c in side] for side in (mentees, mentors)]
    most_mine, most_theirs = max(sizes[0]), max(sizes[1])
    span, width = most_mine + most_theirs + 1, len(vocabulary)  # then a code per |A|
    left = sparse_rows(sizes[0], mine, [span] * len(mine), [width + a for a in sizes[0]], width + most_mine + 1)
    right = dense_columns(sizes[1], theirs, width + most_mine + 1)
    right[width:] = np.arange(most_mine + 1)[:, None] + np.array(sizes[1], dtype=np.float32)[None, :]
    table = [
        jaccard(common, both - common) if both >= 2 * common else 0.0
        for common in range(min(most_mine, most_theirs) + 1)
        for both in range(span)
    ]
    return Lookup(left, right, np.array(table))


def contrast(mentees: Sequence[Candidate], mentors: Sequence[Candidate]) -> Lookup:
    """Key: ``steps x gap + differences``; a difference is a background known on both sides, not equal.

    The capped gap is bilinear through a one-hot generation rank on the left and, on the right,
    each rank's gap to the mentor's. Differences are known-on-both minus equal-on-both: per
    background a "known" column and a column per value, the mentor's values counting -1.
    """
    ranks, steps = len(Generation), len(BACKGROUND) + 1
    blocks: list[tuple[Codes, Codes, int]] = []
    for attribute in BACKGROUND:
        vocabulary: dict[str, int] = {}
        mine, theirs = (codes(map(attribute, side), vocabulary) for side in (mentees, mentors))
        blocks.append((mine, theirs, len(vocabulary)))
    width = ranks + sum(1 + size for _, _, size in blocks)
    left = np.zeros((len(mentees), width), dtype=np.float32)
    right = np.zeros((width, len(mentors)), dtype=np.float32)
    left[np.arange(len(mentees)), [c.person.generation.rank for c in mentees]] = 1.0
    gaps = np.abs(np.arange(ranks)[:, None] - np.array([c.person.generation.rank for c in mentors])[None, :])
    right[:ranks] = steps * np.minimum(gaps, CONTRAST_FULL_GAP)
    known = ranks  # each block: the "known" column, then a column per value
    for mine, theirs, size in blocks:
        rows, columns = np.flatnonzero(mine >= 0), np.flatnonzero(theirs >= 0)
        left[rows, known], left[rows, known + 1 + mine[rows]] = 1.0, 1.0
        right[known, columns], right[known + 1 + theirs[columns], columns] = 1.0, -1.0
        known += 1 + size
    table = [contrast_value(gap, d) for gap in range(CONTRAST_FULL_GAP + 1) for d in range(steps)]
    return Lookup(csr_matrix(left), right, np.array(table))


def mutual_likes(mentees: Sequence[Candidate], mentors: Sequence[Candidate]) -> tuple[Codes, Codes]:
    """(rows, columns) of the pairs that liked each other, by row: likes are few, so pair by pair."""
    column_of = {c.id: j for j, c in enumerate(mentors)}
    pairs = [
        (i, j)
        for i, mentee in enumerate(mentees)
        for liked in mentee.likes
        if (j := column_of.get(liked)) is not None and mentee.likes_back(mentors[j])
    ]
    rows, columns = ([p[k] for p in pairs] for k in (0, 1))
    return np.array(rows, dtype=np.intp), np.array(columns, dtype=np.intp)
