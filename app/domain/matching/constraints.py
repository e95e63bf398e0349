"""Hard constraints: which mentee-mentor pairs may be proposed at all.

The program's rules come from ``app.domain.pairing`` (the same checks as manual pairing); on
top of them a run needs a shared language, no pass from either side and no pair dissolved with
never_pair_again. Capacities are the optimizer's business.

``violation`` judges one pair (for pinned pairs, explanations and tests); ``feasibility``
judges all pairs at once for the optimizer and agrees with it pair by pair.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from typing import TypeVar
from uuid import UUID

import numpy as np
from numpy.typing import NDArray

from app.domain.enrollment import ParticipantRole
from app.domain.matching.candidates import Candidate
from app.domain.pairing import rule_violation, side_violation, violated_rule
from app.domain.person import Person
from app.domain.program import PAIRABLE, Program

Exclusions = frozenset[frozenset[UUID]]
BoolMatrix = NDArray[np.bool_]
T = TypeVar("T", bound=Hashable)

NO_SHARED_LANGUAGE = "no_shared_language"
PASSED = "passed"
PAIR_EXCLUDED = "pair_excluded"


def exclusions(pairs: Iterable[tuple[UUID, UUID]]) -> Exclusions:
    """Person-id pairs dissolved with never_pair_again, in either order."""
    return frozenset(frozenset(pair) for pair in pairs)


def violation(program: Program, mentee: Candidate, mentor: Candidate, excluded: Exclusions = frozenset()) -> str | None:
    """The code of the first hard constraint the pair breaks, or None when it may be proposed."""
    code = violated_rule(program, mentor.participant, mentee.participant)
    if code is not None:
        return code
    if not mentee.languages & mentor.languages:
        return NO_SHARED_LANGUAGE
    if mentee.passed_either_way(mentor):
        return PASSED
    if frozenset((mentee.person.id, mentor.person.id)) in excluded:
        return PAIR_EXCLUDED
    return None


def feasibility(
    program: Program, mentees: Sequence[Candidate], mentors: Sequence[Candidate], excluded: Exclusions = frozenset()
) -> BoolMatrix:
    """``ok[i, j]``: mentee i and mentor j break no hard constraint (``violation`` is None).

    Apart from a few pairs (same person, passes, exclusions), a mentee's row depends only on
    whether they may be paired at all, their rule class and their language set: each distinct
    row is computed once and copied to its mentees.
    """
    if program.status not in PAIRABLE or not mentees or not mentors:
        return np.zeros((len(mentees), len(mentors)), dtype=np.bool_)
    mentee_ok = [side_violation(program, c.participant, ParticipantRole.MENTEE) is None for c in mentees]
    mentor_ok = np.array([side_violation(program, c.participant, ParticipantRole.MENTOR) is None for c in mentors])
    mentee_classes, mentee_class = _classes(mentees)
    mentor_classes, mentor_class = _classes(mentors)
    mentee_speaks, mentee_language = _codes(c.languages for c in mentees)
    mentor_speaks, mentor_language = _codes(c.languages for c in mentors)
    rules = _rule_table(program, mentee_classes, mentor_classes)[:, mentor_class]
    shared = np.array([[bool(a & b) for b in mentor_speaks] for a in mentee_speaks])[:, mentor_language]
    keys, row_of = _codes(zip(mentee_ok, mentee_class.tolist(), mentee_language.tolist(), strict=True))
    rows = np.zeros((len(keys), len(mentors)), dtype=np.bool_)
    for k, (may, rule_class, language) in enumerate(keys):
        if may:
            np.logical_and(rules[rule_class], shared[language], out=rows[k])
            rows[k] &= mentor_ok
    ok: BoolMatrix = np.take(rows, row_of, axis=0, mode="clip")  # in range: numpy's fast path
    _forbid_same_person(ok, mentees, mentors)
    _forbid_pairs(ok, mentees, mentors, excluded)
    return ok


def _codes(values: Iterable[T]) -> tuple[list[T], NDArray[np.intp]]:
    """The distinct values in order of appearance, and the position of each value among them."""
    index: dict[T, int] = {}
    codes = [index.setdefault(value, len(index)) for value in values]
    return list(index), np.array(codes, dtype=np.intp)


def _rule_key(person: Person) -> Hashable:
    """Everything ``rule_violation`` reads of a person, except their identity."""
    department = person.department.casefold() if person.department else None
    return (person.generation, person.digital_native, person.org_id, department)


def _classes(candidates: Sequence[Candidate]) -> tuple[list[list[Person]], NDArray[np.intp]]:
    """Group people whose rule keys are equal: (up to two members per class, class of each candidate)."""
    index: dict[Hashable, int] = {}
    members: list[list[Person]] = []
    of = np.empty(len(candidates), dtype=np.intp)
    for k, candidate in enumerate(candidates):
        key = _rule_key(candidate.person)
        if key not in index:
            index[key] = len(members)
            members.append([])
        group = members[index[key]]
        if len(group) < 2 and all(p.id != candidate.person.id for p in group):
            group.append(candidate.person)
        of[k] = index[key]
    return members, of


def _rule_table(program: Program, mentee_classes: list[list[Person]], mentor_classes: list[list[Person]]) -> BoolMatrix:
    """The pairing rules, evaluated once per pair of classes of equal rule keys."""
    table = np.zeros((len(mentee_classes), len(mentor_classes)), dtype=np.bool_)
    for a, mentee_members in enumerate(mentee_classes):
        for b, mentor_members in enumerate(mentor_classes):
            # two different people stand for the classes; if there are none, the only pair is one person
            pair = next(((e, m) for e in mentee_members for m in mentor_members if e.id != m.id), None)
            table[a, b] = pair is not None and rule_violation(program, pair[1], pair[0]) is None
    return table


def _forbid_same_person(ok: BoolMatrix, mentees: Sequence[Candidate], mentors: Sequence[Candidate]) -> None:
    columns_of: dict[UUID, list[int]] = defaultdict(list)
    for j, mentor in enumerate(mentors):
        columns_of[mentor.person.id].append(j)
    for i, mentee in enumerate(mentees):
        for j in columns_of.get(mentee.person.id, ()):
            ok[i, j] = False  # same_person


def _forbid_pairs(
    ok: BoolMatrix, mentees: Sequence[Candidate], mentors: Sequence[Candidate], excluded: Exclusions
) -> None:
    """Passes (either side) and never-pair-again pairs: few, so cell by cell."""
    row_of = {c.id: i for i, c in enumerate(mentees)}
    col_of = {c.id: j for j, c in enumerate(mentors)}
    for i, mentee in enumerate(mentees):
        for passed in mentee.passes:
            if passed in col_of:
                ok[i, col_of[passed]] = False
    for j, mentor in enumerate(mentors):
        for passed in mentor.passes:
            if passed in row_of:
                ok[row_of[passed], j] = False
    if excluded:
        partners: dict[UUID, set[UUID]] = defaultdict(set)
        for pair in excluded:
            a, b = (*pair, *pair)[:2]  # a one-person "pair" excludes nobody else
            partners[a].add(b)
            partners[b].add(a)
        rows_of: dict[UUID, list[int]] = defaultdict(list)
        for i, mentee in enumerate(mentees):
            rows_of[mentee.person.id].append(i)
        for j, mentor in enumerate(mentors):
            for other in partners.get(mentor.person.id, ()):
                for i in rows_of.get(other, ()):
                    ok[i, j] = False
