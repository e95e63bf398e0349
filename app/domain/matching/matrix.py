"""The score of every mentee-mentor pair at once: ``score.py``'s definition, vectorized with numpy.

``encoding.py`` turns each component into a float32 product (an exact small-integer key) and a
table of values. Blocks of mentee rows are scored against all mentors with scratch arrays that
are allocated once and stay in the CPU caches; the weighted components are added in the order
``score.py`` adds them and then divided by the total weight, so both give the same numbers.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix  # type: ignore[import-untyped]

from app.domain.matching import encoding
from app.domain.matching.assignment import BLOCK_PAIRS
from app.domain.matching.candidates import Candidate
from app.domain.matching.place_encoding import format_place
from app.domain.matching.policy import Weights

FloatMatrix = NDArray[np.float64]
COMPONENTS = (encoding.topic_fit, encoding.shared_interests, encoding.contrast, format_place)


class ScoreBlocks:
    """The scores of every mentee with every mentor, a block of consecutive mentees at a time.

    Iterating yields ``(start, stop, scores)``: ``scores[k, j]`` is the score of mentee
    ``start + k`` with mentor j. ``scores`` is a scratch array, overwritten by the next block.
    """

    def __init__(self, mentees: Sequence[Candidate], mentors: Sequence[Candidate], weights: Weights) -> None:
        self.block_rows = max(1, min(len(mentees), BLOCK_PAIRS // max(len(mentors), 1)))
        self._count = len(mentees)
        self._total = weights.total
        self._parts: list[tuple[list[csr_matrix], FloatMatrix, encoding.Counts]] = []
        self._like_rows = self._like_columns = np.zeros(0, dtype=np.intp)
        self._like_weight = weights.mutual_like
        if mentees and mentors and self._total:
            for weight, build in zip(weights.as_tuple()[: len(COMPONENTS)], COMPONENTS, strict=True):
                if weight:  # a weight of 0 adds exactly 0.0 in score.py: leave the component out
                    lookup = build(mentees, mentors)
                    blocks = [
                        lookup.left[start : start + self.block_rows] for start in range(0, self._count, self.block_rows)
                    ]
                    self._parts.append((blocks, weight * lookup.table, lookup.right))
            if self._like_weight:
                self._like_rows, self._like_columns = encoding.mutual_likes(mentees, mentors)
        shape = (self.block_rows, len(mentors))
        self._index = np.empty(shape, dtype=np.intp)
        self._value = np.empty(shape)
        self._scores = np.empty(shape)

    def __iter__(self) -> Iterator[tuple[int, int, FloatMatrix]]:
        for block, start in enumerate(range(0, self._count, self.block_rows)):
            stop = min(start + self.block_rows, self._count)
            yield start, stop, self._block(block, start, stop)

    def _block(self, block: int, start: int, stop: int) -> FloatMatrix:
        rows = stop - start
        out, index, value = self._scores[:rows], self._index[:rows], self._value[:rows]
        if not self._parts:
            out.fill(0.0)
        for n, (left, table, right) in enumerate(self._parts):
            np.copyto(index, left[block] @ right, casting="unsafe")  # exact whole numbers
            np.take(table, index, out=value if n else out, mode="clip")  # keys are in range: the fast path
            if n:
                out += value
        if self._total:
            # mutual like is the last term and 0 for all but a few pairs: adding it there alone is exact
            first, last = np.searchsorted(self._like_rows, (start, stop))
            out[self._like_rows[first:last] - start, self._like_columns[first:last]] += self._like_weight
            out /= self._total
        return out


def score_matrix(mentees: Sequence[Candidate], mentors: Sequence[Candidate], weights: Weights) -> FloatMatrix:
    """``s[i, j]`` = ``score(mentees[i], mentors[j], weights).value``."""
    total = np.zeros((len(mentees), len(mentors)))
    if not mentees or not mentors or not weights.total:
        return total
    for start, stop, scores in ScoreBlocks(mentees, mentors, weights):
        total[start:stop] = scores
    return total
