"""The format & place component as a product and a lookup (see ``encoding.py``).

Key: the quarter-hours in common, plus ``span`` when a format is workable. Quarters that the
same people hold are one column weighted by their number (a few dozen columns instead of
hundreds, the same counts). The rest depends on the mentee's formats, city and whether they
gave availability at all: a one-hot of that code on the left meets, on the right, ``span`` for
a workable format plus ``FULL_OVERLAP_QUARTERS`` for each side without availability (full time
fit, as ``score.py`` gives it).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from app.domain.matching.candidates import ALL_FORMATS, IN_PERSON, Candidate
from app.domain.matching.encoding import Lookup, codes, dense_columns, sparse_rows
from app.domain.matching.score import FULL_OVERLAP_QUARTERS, format_place_value
from app.domain.values import MeetingFormat

_BIT = {f: 1 << k for k, f in enumerate(sorted(ALL_FORMATS))}
_IN_PERSON_BITS = sum(_BIT[f] for f in IN_PERSON)
_ANYWHERE_BITS = sum(_BIT[f] for f in ALL_FORMATS - IN_PERSON)


def format_place(mentees: Sequence[Candidate], mentors: Sequence[Candidate]) -> Lookup:
    atoms, sizes = quarter_atoms([c.quarters for c in mentees], [c.quarters for c in mentors])
    held = {quarters: sum(sizes[a] for a in columns) for quarters, columns in atoms.items()}
    full, width = FULL_OVERLAP_QUARTERS, len(sizes)  # then a column per code
    span = max(min(max(held[c.quarters] for c in side) for side in (mentees, mentors)), 2 * full) + 1
    table = [format_place_value(workable, overlap) for workable in (False, True) for overlap in range(span)]
    bits_of: dict[frozenset[MeetingFormat], int] = {}
    mentee_bits, mentor_bits = ([_bits(bits_of, c.formats) for c in side] for side in (mentees, mentors))
    cities: dict[str, int] = {}
    mentee_city, mentor_city = (codes((c.city for c in side), cities) for side in (mentees, mentors))
    distinct: dict[tuple[int, int, bool], int] = {}
    keys = zip(mentee_bits, mentee_city.tolist(), (not c.quarters for c in mentees), strict=True)
    code = [width + distinct.setdefault(key, len(distinct)) for key in keys]
    code_bits, code_city, code_open = (np.array(column) for column in zip(*distinct, strict=True))
    common = code_bits.astype(np.uint8)[:, None] & np.array(mentor_bits, dtype=np.uint8)[None, :]
    same_city = (code_city[:, None] == mentor_city[None, :]) & (code_city >= 0)[:, None]
    workable = ((common & _ANYWHERE_BITS) != 0) | (((common & _IN_PERSON_BITS) != 0) & same_city)
    weights = {quarters: [sizes[a] for a in columns] for quarters, columns in atoms.items()}
    left = sparse_rows(
        [len(atoms[c.quarters]) for c in mentees],
        (a for c in mentees for a in atoms[c.quarters]),
        (w for c in mentees for w in weights[c.quarters]),
        code,
        width + len(distinct),
    )
    right = dense_columns(
        [len(atoms[c.quarters]) for c in mentors], (a for c in mentors for a in atoms[c.quarters]), left.shape[1]
    )
    codes_part = right[width:]
    codes_part[:] = workable
    codes_part *= span
    codes_part += full * code_open[:, None]
    codes_part += full * np.array([not c.quarters for c in mentors], dtype=np.float32)[None, :]
    return Lookup(left, right, np.array(table))


def _bits(memo: dict[frozenset[MeetingFormat], int], formats: frozenset[MeetingFormat]) -> int:
    if formats not in memo:
        memo[formats] = sum(_BIT[f] for f in formats)
    return memo[formats]


def quarter_atoms(
    mentees: Sequence[frozenset[int]], mentors: Sequence[frozenset[int]]
) -> tuple[dict[frozenset[int], list[int]], list[int]]:
    """Each distinct quarter set as its atoms (quarters held by exactly the same sets), and atom sizes.

    Only quarters on both sides matter: the others are in no pair's overlap.
    """
    shared = frozenset().union(*mentees) & frozenset().union(*mentors)
    distinct = list(dict.fromkeys((*mentees, *mentors)))
    holders: dict[int, list[int]] = {}
    for k, quarters in enumerate(distinct):
        for quarter in quarters & shared:
            holders.setdefault(quarter, []).append(k)
    atom_of: dict[tuple[int, ...], int] = {}
    sizes: list[int] = []
    members: list[list[int]] = [[] for _ in distinct]
    for who in holders.values():
        key = tuple(who)
        if key not in atom_of:
            atom_of[key] = len(sizes)
            sizes.append(0)
            for k in who:
                members[k].append(atom_of[key])
        sizes[atom_of[key]] += 1
    return dict(zip(distinct, members, strict=True)), sizes
