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

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment  # type: ignore[import-untyped]

from app.domain.matching.policy import Objective

FloatMatrix = NDArray[np.float64]
BoolMatrix = NDArray[np.bool_]


def assign(
    scores: FloatMatrix, feasible: BoolMatrix, capacities: NDArray[np.int64], objective: Objective
) -> list[tuple[int, int]]:
    """Optimal (row, column) pairs: each row once at most, column j at most ``capacities[j]`` times.

    ``scores`` must lie in [0, 1]; only ``feasible`` pairs are returned. Rows and columns
    without any feasible partner are dropped before solving, and a column gets no more slots
    than it has feasible rows.
    """
    usable = feasible & (np.asarray(capacities) > 0)[None, :]
    rows = np.flatnonzero(usable.any(axis=1))
    cols = np.flatnonzero(usable.any(axis=0))
    if not rows.size:
        return []
    if rows.size < usable.shape[0] or cols.size < usable.shape[1]:
        usable = usable[np.ix_(rows, cols)]
    slots = np.minimum(np.asarray(capacities)[cols], usable.sum(axis=0))
    slot_column = np.repeat(np.arange(cols.size), slots)
    if slot_column.size > cols.size:
        usable = usable[:, slot_column]
    cost = scores[np.ix_(rows, cols[slot_column])]  # the one copy: a value per (row, slot)
    if objective is Objective.MAX_PARTICIPATION:
        cost += float(min(rows.size, slot_column.size) + 1)  # more than any difference of total scores
    cost[~usable] = 0.0
    np.negative(cost, out=cost)  # minimize the negated values: scipy then works on this array, no copy
    row_ind, col_ind = linear_sum_assignment(cost)
    del cost
    row_ind, col_ind = np.asarray(row_ind, dtype=np.intp), np.asarray(col_ind, dtype=np.intp)
    keep = usable[row_ind, col_ind]
    chosen = slot_column[col_ind[keep]]
    return [(int(rows[r]), int(cols[c])) for r, c in zip(row_ind[keep].tolist(), chosen.tolist(), strict=True)]
