"""Suggestions for self-matching: the other side of a program, ranked for one participant.

Every candidate comes with its score, components and explanation. A candidate that breaks a
hard rule (the program's pairing rules, no shared language, a never-pair-again pair, no free
capacity) is not hidden: it is listed after every feasible one, with the rule's code in
``blocked_by``, so a participant learns why a seemingly good partner cannot be proposed.

A pass by either side leaves the candidate out entirely, and is never named: a pass is private
to its author, so nobody may learn that the other person passed on them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.domain.enrollment import ParticipantRole
from app.domain.matching.candidates import Candidate
from app.domain.matching.constraints import Exclusions, violation
from app.domain.matching.policy import Weights
from app.domain.matching.score import Score, score
from app.domain.program import Program

NO_FREE_CAPACITY = "no_free_capacity"


@dataclass(frozen=True, slots=True)
class Suggestion:
    candidate: Candidate
    score: Score
    blocked_by: str | None = None  # the hard rule the pair breaks; None when it may be proposed

    @property
    def feasible(self) -> bool:
        return self.blocked_by is None


def suggest(
    program: Program,
    subject: Candidate,
    others: Iterable[Candidate],
    weights: Weights,
    excluded: Exclusions = frozenset(),
    limit: int | None = None,
) -> list[Suggestion]:
    """The candidates of the other side for ``subject``: feasible ones first, best score first.

    Ties are broken by enrollment id, so the order is stable. Candidates of the subject's own
    side, the subject itself and pairs with a pass (either way) are left out.
    """
    suggestions: list[Suggestion] = []
    for other in others:
        if other.role is subject.role or other.id == subject.id or subject.passed_either_way(other):
            continue
        mentee, mentor = (subject, other) if subject.role is ParticipantRole.MENTEE else (other, subject)
        blocked = violation(program, mentee, mentor, excluded)
        if blocked is None and other.free_capacity == 0:
            blocked = NO_FREE_CAPACITY
        suggestions.append(Suggestion(other, score(mentee, mentor, weights), blocked))
    suggestions.sort(key=lambda s: (not s.feasible, -s.score.value, str(s.candidate.id)))
    return suggestions if limit is None else suggestions[:limit]
