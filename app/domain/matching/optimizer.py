"""A matching run: pinned pairs first, then the exactly optimal proposals around them.

Pinned pairs (a manager's choice) must satisfy every hard constraint; they use up their
mentor's capacity and take their mentee out of the run. The rest is one exact assignment
(``assignment.Slots``) over the feasible scores, which are computed block by block straight
into the solver's matrix (no full score matrix is held). Every proposal carries its score with
the components and an explanation (``score.py``, the reference, for the few chosen pairs);
every participant left without one carries the reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

import numpy as np

from app.domain.error_catalog import entry_of
from app.domain.errors import Conflict, RuleViolation
from app.domain.matching.assignment import Slots
from app.domain.matching.candidates import Candidate
from app.domain.matching.constraints import exclusions, feasibility, violation
from app.domain.matching.matrix import ScoreBlocks
from app.domain.matching.policy import MatchingPolicy, Objective
from app.domain.matching.score import Score, score
from app.domain.program import Program


class Reason(StrEnum):
    NO_FEASIBLE_PARTNER = "no feasible partner"  # every pair breaks a hard constraint
    CAPACITY_EXHAUSTED = "capacity exhausted"  # feasible partners exist, none had room left
    LOST_TO_BETTER = "lost to a better global assignment"  # a partner had room; the optimum used it otherwise


@dataclass(frozen=True, slots=True)
class Proposal:
    mentee: Candidate
    mentor: Candidate
    score: Score
    pinned: bool = False


@dataclass(frozen=True, slots=True)
class Unmatched:
    candidate: Candidate
    reason: Reason


@dataclass(frozen=True, slots=True)
class MatchingResult:
    objective: Objective
    proposals: tuple[Proposal, ...]
    unmatched: tuple[Unmatched, ...]

    @property
    def total_score(self) -> float:
        return sum(p.score.value for p in self.proposals)


def match(
    program: Program,
    mentees: Sequence[Candidate],
    mentors: Sequence[Candidate],
    policy: MatchingPolicy,
    *,
    pinned: Iterable[tuple[UUID, UUID]] = (),
    excluded: Iterable[tuple[UUID, UUID]] = (),
) -> MatchingResult:
    """Propose tandems: ``pinned`` holds (mentee enrollment id, mentor enrollment id) pairs to keep,
    ``excluded`` (person id, person id) pairs dissolved with never_pair_again."""
    program.ensure_pairable()
    excluded_pairs = exclusions(excluded)
    free = {mentor.id: mentor.free_capacity for mentor in mentors}
    fixed = _pin(program, policy, mentees, mentors, pinned, excluded_pairs, free)
    pinned_ids = {p.mentee.id for p in fixed} | {p.mentor.id for p in fixed}
    open_mentees = [m for m in mentees if m.id not in pinned_ids and m.free_capacity > 0]
    feasible = feasibility(program, open_mentees, mentors, excluded_pairs)
    capacities = np.array([free[mentor.id] for mentor in mentors], dtype=np.int64)
    slots = Slots.plan(feasible, capacities, policy.objective)
    # only the rows and columns that can take part are scored, straight into the solver's matrix
    scores = ScoreBlocks(
        [open_mentees[i] for i in slots.rows.tolist()], [mentors[j] for j in slots.columns.tolist()], policy.weights
    )
    pairs = slots.solve(scores)
    proposals = fixed + [
        Proposal(open_mentees[i], mentors[j], score(open_mentees[i], mentors[j], policy.weights)) for i, j in pairs
    ]

    unmatched: list[Unmatched] = []
    paired_rows = {i for i, _ in pairs}
    has_partner: list[bool] = np.asarray(feasible.any(axis=1)).tolist()
    has_room: list[bool] = np.asarray((feasible & (capacities > 0)[None, :]).any(axis=1)).tolist()
    for mentee in mentees:
        if mentee.id not in pinned_ids and mentee.free_capacity == 0:
            unmatched.append(Unmatched(mentee, Reason.CAPACITY_EXHAUSTED))
    for i, mentee in enumerate(open_mentees):
        if i not in paired_rows:
            if has_room[i]:
                reason = Reason.LOST_TO_BETTER
            else:
                reason = Reason.CAPACITY_EXHAUSTED if has_partner[i] else Reason.NO_FEASIBLE_PARTNER
            unmatched.append(Unmatched(mentee, reason))
    paired_cols = {j for _, j in pairs}
    wanted: list[bool] = np.asarray(feasible.any(axis=0)).tolist()
    for j, mentor in enumerate(mentors):
        if j in paired_cols or mentor.id in pinned_ids:
            continue
        if mentor.free_capacity == 0:
            unmatched.append(Unmatched(mentor, Reason.CAPACITY_EXHAUSTED))
        else:
            unmatched.append(Unmatched(mentor, Reason.LOST_TO_BETTER if wanted[j] else Reason.NO_FEASIBLE_PARTNER))
    return MatchingResult(policy.objective, tuple(proposals), tuple(unmatched))


def _pin(
    program: Program,
    policy: MatchingPolicy,
    mentees: Sequence[Candidate],
    mentors: Sequence[Candidate],
    pinned: Iterable[tuple[UUID, UUID]],
    excluded: frozenset[frozenset[UUID]],
    free: dict[UUID, int],
) -> list[Proposal]:
    """Check the pinned pairs and take them; ``free`` loses the capacity they use."""
    pinned = list(pinned)
    if not pinned:
        return []
    mentee_by_id = {m.id: m for m in mentees}
    mentor_by_id = {m.id: m for m in mentors}
    fixed: list[Proposal] = []
    taken: set[UUID] = set()
    for mentee_id, mentor_id in pinned:
        mentee, mentor = mentee_by_id.get(mentee_id), mentor_by_id.get(mentor_id)
        if mentee is None or mentor is None:
            raise RuleViolation("a pinned pair names someone outside this run", code="pinned_unknown")
        if mentee_id in taken or mentee.free_capacity == 0:
            raise Conflict("the pinned mentee already has a tandem", code="mentee_already_paired")
        code = violation(program, mentee, mentor, excluded)
        if code is not None:
            # the constraint's own kind: a pass or an exclusion is the same 409 as in manual pairing
            raise entry_of(code).error(f"the pinned pair breaks a hard constraint ({code})")
        if free[mentor_id] == 0:
            raise Conflict("the pinned mentor's capacity is used up", code="mentor_capacity_exceeded")
        free[mentor_id] -= 1
        taken.add(mentee_id)
        fixed.append(Proposal(mentee, mentor, score(mentee, mentor, policy.weights), pinned=True))
    return fixed
