"""The matching policy: weights 0..10 per component, one of two objectives, validated."""

from __future__ import annotations

from typing import Any

import pytest

from app.domain.errors import RuleViolation
from app.domain.matching import MatchingPolicy, Objective, Weights
from app.domain.program import ProgramRules


def test_the_defaults_weigh_topic_fit_most() -> None:
    policy = MatchingPolicy()
    assert policy.objective is Objective.MAX_TOTAL_SCORE
    assert policy.weights.topic_fit == max(policy.weights.as_tuple())
    assert policy.weights.total == 15.0


@pytest.mark.parametrize("value", [-1, 10.5, float("nan"), float("inf"), "5", True])
def test_a_weight_outside_0_to_10_or_not_a_number_is_refused(value: Any) -> None:
    with pytest.raises(RuleViolation) as caught:
        Weights(contrast=value)
    assert caught.value.code == "invalid_policy" and caught.value.field == "contrast"


def test_weights_may_be_zero_or_ten_and_become_floats() -> None:
    weights = Weights(topic_fit=10, shared_interests=0, contrast=0, format_place=0, mutual_like=0)
    assert weights.as_tuple() == (10.0, 0.0, 0.0, 0.0, 0.0)
    assert isinstance(weights.topic_fit, float)


def test_the_objective_may_be_given_as_text() -> None:
    assert MatchingPolicy(objective="max_participation").objective is Objective.MAX_PARTICIPATION  # type: ignore[arg-type]


def test_an_unknown_objective_is_refused() -> None:
    with pytest.raises(RuleViolation) as caught:
        MatchingPolicy(objective="max_happiness")  # type: ignore[arg-type]
    assert caught.value.field == "objective"


@pytest.mark.parametrize("days", [0, 91, True])
def test_the_proposal_expiry_is_1_to_90_days(days: Any) -> None:
    with pytest.raises(RuleViolation):
        MatchingPolicy(proposal_expiry_days=days)


def test_a_policy_is_immutable() -> None:
    policy = MatchingPolicy()
    with pytest.raises(AttributeError):
        policy.objective = Objective.MAX_PARTICIPATION  # type: ignore[misc]


def test_the_program_rules_give_self_matching_and_expiry() -> None:
    rules = ProgramRules(self_matching=True, proposal_expiry_days=7)
    policy = MatchingPolicy.for_rules(rules, objective="max_participation")
    assert policy.self_matching and policy.proposal_expiry_days == 7
    assert policy.objective is Objective.MAX_PARTICIPATION
