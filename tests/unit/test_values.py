"""Shared value objects: topics, label lists, time zones."""

from __future__ import annotations

import pytest

from app.domain.errors import RuleViolation
from app.domain.values import MAX_TEXT_LIST, Topic, clean_labels, validate_timezone


def test_a_topic_needs_a_name() -> None:
    with pytest.raises(RuleViolation) as caught:
        Topic("   ")
    assert caught.value.code == "blank_value"


@pytest.mark.parametrize("priority", [0, 6])
def test_a_topic_priority_outside_1_to_5_is_refused(priority: int) -> None:
    with pytest.raises(RuleViolation) as caught:
        Topic("TikTok", priority)
    assert caught.value.code == "invalid_priority"


@pytest.mark.parametrize("priority", [1, 5])
def test_a_topic_priority_of_1_to_5_is_accepted(priority: int) -> None:
    assert Topic("TikTok", priority).priority == priority


def test_labels_are_trimmed_and_deduplicated_case_insensitively_keeping_the_first() -> None:
    assert clean_labels([" Chess ", "chess", "", "  ", "Go", "CHESS"], "interests") == ("Chess", "Go")


def test_a_label_list_holds_at_most_the_limit() -> None:
    assert len(clean_labels([f"label {i}" for i in range(MAX_TEXT_LIST)], "interests")) == MAX_TEXT_LIST
    with pytest.raises(RuleViolation) as caught:
        clean_labels([f"label {i}" for i in range(MAX_TEXT_LIST + 1)], "interests")
    assert caught.value.code == "too_many_items"
    assert caught.value.field == "interests"


def test_a_known_time_zone_is_accepted() -> None:
    assert validate_timezone("Europe/Berlin") == "Europe/Berlin"


@pytest.mark.parametrize("name", ["Mars/Olympus_Mons", "", "../etc/passwd"])
def test_an_unknown_time_zone_is_refused(name: str) -> None:
    with pytest.raises(RuleViolation) as caught:
        validate_timezone(name)
    assert caught.value.code == "invalid_timezone"
