"""A program's matching policy: weights and objective of its own, the switch and expiry in its rules."""

from __future__ import annotations

import pytest

from app.domain.errors import RuleViolation
from app.domain.matching import MatchingPolicy, Objective, Weights
from app.domain.program import ProgramRules, ProgramStatus
from app.infra.db.mapping import program_to_domain, program_to_row
from tests.unit.builders import a_program


def test_a_program_starts_with_the_default_policy() -> None:
    assert a_program().matching_policy == MatchingPolicy()


def test_setting_the_policy_replaces_weights_objective_and_the_rules_it_shares() -> None:
    program = a_program(rules=ProgramRules(min_generation_gap=2))
    policy = MatchingPolicy(
        Weights(topic_fit=10), Objective.MAX_PARTICIPATION, self_matching=True, proposal_expiry_days=3
    )
    program.set_matching_policy(policy)
    assert program.matching_policy == policy
    assert program.rules.self_matching is True and program.rules.proposal_expiry_days == 3
    assert program.rules.min_generation_gap == 2  # the other rules stay


@pytest.mark.parametrize("status", [ProgramStatus.COMPLETED, ProgramStatus.CANCELLED])
def test_a_closed_program_keeps_its_policy(status: ProgramStatus) -> None:
    with pytest.raises(RuleViolation) as caught:
        a_program(status).set_matching_policy(MatchingPolicy())
    assert caught.value.code == "program_closed"


def test_the_policy_survives_the_row_and_an_empty_column_means_the_defaults() -> None:
    program = a_program()
    program.set_matching_policy(MatchingPolicy(Weights(contrast=0.5), Objective.MAX_PARTICIPATION))
    row = program_to_row(program)
    assert program_to_domain(row).matching_policy == program.matching_policy
    assert program_to_domain({**row, "matching_policy": {}}).matching_policy == MatchingPolicy.for_rules(program.rules)
