"""A program's matching policy (defined in ``app.domain.matching_policy``, re-exported here)."""

from app.domain.matching_policy import COMPONENTS, MAX_WEIGHT, MatchingPolicy, Objective, Weights, parse_objective

__all__ = ["COMPONENTS", "MAX_WEIGHT", "MatchingPolicy", "Objective", "Weights", "parse_objective"]
