"""The use cases' partial-update commands: a field left out is UNSET, which is not None."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, fields
from datetime import date

import pytest

from app.domain.errors import RuleViolation
from app.domain.program import ProgramRules
from app.services.commands import UNSET, given_or_none
from app.services.people import NewProfile, ProfileChanges
from app.services.programs import ProgramRevision, RulesRevision
from app.services.sessions import SessionChanges
from tests.unit.builders import ORG_ID


def test_a_command_names_only_the_fields_given_and_none_clears() -> None:
    changes = ProfileChanges(bio="new", department=None)
    assert changes.given() == {"bio": "new", "department": None}
    assert changes.fields_set == frozenset({"bio", "department"})
    assert ProfileChanges().given() == {}


def test_commands_are_frozen() -> None:
    with pytest.raises(FrozenInstanceError):
        ProgramRevision().title = "changed"  # type: ignore[misc]


def test_given_or_none_maps_a_missing_value_to_none() -> None:
    assert given_or_none(UNSET) is None
    assert given_or_none(date(2030, 1, 1)) == date(2030, 1, 1)
    assert SessionChanges(agenda="").agenda == ""


def test_a_rules_revision_can_name_every_rule_and_only_rules() -> None:
    assert [f.name for f in fields(RulesRevision)] == [f.name for f in fields(ProgramRules)]


def test_a_rules_revision_changes_the_rules_it_names_and_keeps_the_others() -> None:
    current = ProgramRules(min_generation_gap=2, self_matching=True)
    revised = RulesRevision(default_mentor_capacity=3).applied_to(current)
    assert revised == ProgramRules(min_generation_gap=2, self_matching=True, default_mentor_capacity=3)
    assert RulesRevision().applied_to(current) == current


def test_a_rules_revision_is_validated_with_the_rules_it_keeps() -> None:
    current = ProgramRules(needs_check_in_after_days=30, at_risk_after_days=60)
    with pytest.raises(RuleViolation) as caught:
        RulesRevision(at_risk_after_days=20).applied_to(current)
    assert caught.value.code == "invalid_rule"


def test_a_new_profile_becomes_a_validated_person_of_the_organization() -> None:
    person = NewProfile(display_name=" Ada ", birth_year=1990, email="ADA@Example.com").person(ORG_ID)
    assert (person.org_id, person.display_name, person.email, person.source) == (
        ORG_ID,
        "Ada",
        "ada@example.com",
        "internal",
    )


def test_a_profile_change_can_name_every_field_a_new_profile_sets_but_the_source() -> None:
    assert {f.name for f in fields(ProfileChanges)} == {f.name for f in fields(NewProfile)} - {"source"}
