"""The exact assignment: the best set of (mentee, mentor) pairs under capacities.

Mentors are expanded into capacity slots (identical columns) and the rectangular assignment
problem is solved with scipy's ``linear_sum_assignment`` (shortest augmenting paths, exact).

Infeasible pairs get the value 0. With every feasible value >= 0, an optimal full assignment
of the smaller side, minus its infeasible pairs, is an optimal partial assignment: any partial
one extends to a full one without losing value. For ``max_participation`` each feasible pair
is worth a bonus larger than any total score can be, so the count of pairs comes first and the
total score breaks the ties (a lexicographic objective in one solve).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment  # type: ignore[import-untyped]

from app.domain.matching.policy import Objective

FloatMatrix = NDArray[np.float64]
BoolMatrix = NDArray[np.bool_]
Indices = NDArray[np.intp]
BLOCK_PAIRS = 1 << 17  # values per block of rows: the scratch arrays fit the CPU caches
ScoreRows = Iterable[tuple[int, int, FloatMatrix]]  # (start, stop, scores of those rows x all columns)


@dataclass(frozen=True, slots=True)
class Slots:
    """The problem the solver sees: the rows and columns that can take part, and the capacity slots.

    Rows and columns without any usable partner are dropped; a column gets no more slots than it
    has usable rows. ``blocked`` (rows x columns, of the kept ones) marks the pairs worth 0.
    """

    rows: Indices
    columns: Indices
    slot_column: Indices  # per slot, its position in ``columns``
    blocked: BoolMatrix
    bonus: float  # added to every value (max_participation), else 0

    @classmethod
    def plan(cls, feasible: BoolMatrix, capacities: NDArray[np.int64], objective: Objective) -> Slots:
        usable = feasible & (np.asarray(capacities) > 0)[None, :]
        rows = np.flatnonzero(usable.any(axis=1))
        columns = np.flatnonzero(usable.any(axis=0))
        if rows.size < usable.shape[0] or columns.size < usable.shape[1]:
            usable = usable[np.ix_(rows, columns)]
        slots = np.minimum(np.asarray(capacities)[columns], np.count_nonzero(usable, axis=0))
        slot_column = np.repeat(np.arange(columns.size), slots)
        bonus = 0.0
        if objective is Objective.MAX_PARTICIPATION:
            bonus = float(min(rows.size, slot_column.size) + 1)  # more than any difference of total scores
        return cls(rows, columns, slot_column, np.logical_not(usable, out=usable), bonus)  # usable is a copy

    def solve(self, scores: ScoreRows) -> list[tuple[int, int]]:
        """Optimal (row, column) pairs, in the caller's indices, from the scores of the kept rows x columns.

        ``scores`` must lie in [0, 1] and come in consecutive blocks of rows. Only one matrix of
        this size is ever held: the solver's, a negated value per (row, slot).
        """
        if not self.rows.size:
            return []
        cost = np.empty((self.rows.size, self.slot_column.size))
        for start, stop, values in scores:
            if self.bonus:
                values += self.bonus
            np.copyto(values, 0.0, where=self.blocked[start:stop])
            np.negative(values, out=values)  # minimize the negated values
            np.take(values, self.slot_column, axis=1, out=cost[start:stop], mode="clip")  # in range: the fast path
        row_ind, col_ind = linear_sum_assignment(cost)  # works on this very array, no copy
        del cost
        row_ind, col_ind = np.asarray(row_ind, dtype=np.intp), np.asarray(col_ind, dtype=np.intp)
        chosen = self.slot_column[col_ind]
        keep = ~self.blocked[row_ind, chosen]
        pairs = zip(self.rows[row_ind[keep]].tolist(), self.columns[chosen[keep]].tolist(), strict=True)
        return list(pairs)


def assign(
    scores: FloatMatrix, feasible: BoolMatrix, capacities: NDArray[np.int64], objective: Objective
) -> list[tuple[int, int]]:
    """Optimal (row, column) pairs: each row once at most, column j at most ``capacities[j]`` times.

    ``scores`` must lie in [0, 1]; only ``feasible`` pairs are returned.
    """
    slots = Slots.plan(feasible, capacities, objective)
    step = max(1, BLOCK_PAIRS // max(slots.columns.size, 1))
    blocks = (
        (start, min(start + step, slots.rows.size), scores[slots.rows[start : start + step]][:, slots.columns])
        for start in range(0, slots.rows.size, step)
    )
    return slots.solve(blocks)
