"""The matching engine's pure core: candidates, hard constraints, scores and the exact optimizer.

DESIGN.md §2 "Matching": proposals are exactly optimal for the program's objective, never
break a hard constraint, and explain themselves; unmatched participants get the reason.
"""

from app.domain.matching.candidates import Candidate, build_candidates
from app.domain.matching.constraints import exclusions, feasibility, violation
from app.domain.matching.matrix import score_matrix
from app.domain.matching.optimizer import MatchingResult, Proposal, Reason, Unmatched, match
from app.domain.matching.policy import MatchingPolicy, Objective, Weights
from app.domain.matching.score import Components, Score, score

__all__ = [
    "Candidate",
    "Components",
    "MatchingPolicy",
    "MatchingResult",
    "Objective",
    "Proposal",
    "Reason",
    "Score",
    "Unmatched",
    "Weights",
    "build_candidates",
    "exclusions",
    "feasibility",
    "match",
    "score",
    "score_matrix",
    "violation",
]
