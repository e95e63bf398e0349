"""Goal: a topic on the mentee's learning journey and its state machine."""

from __future__ import annotations

from itertools import product
from typing import Any

import pytest

from app.domain.errors import InvalidTransition, RuleViolation
from app.domain.goal import Goal, GoalStatus, ensure_goals_of_tandem
from app.domain.tandem import TandemStatus
from tests.unit.builders import ORG_ID, a_tandem, an_id

G = GoalStatus
# open → in_progress → achieved; open may be achieved at once; open or in progress → dropped;
# a dropped goal may reopen. Achieved is final.
EDGES = {
    (G.OPEN, G.IN_PROGRESS),
    (G.OPEN, G.ACHIEVED),
    (G.OPEN, G.DROPPED),
    (G.IN_PROGRESS, G.ACHIEVED),
    (G.IN_PROGRESS, G.DROPPED),
    (G.DROPPED, G.OPEN),
}
FORBIDDEN = [(a, b) for a, b in product(G, repeat=2) if a is not b and (a, b) not in EDGES]


def a_goal(status: GoalStatus = G.OPEN, **overrides: Any) -> Goal:
    fields: dict[str, Any] = {"org_id": ORG_ID, "tandem_id": an_id(), "title": "How does TikTok work?"}
    fields.update(overrides)
    return Goal(status=status, **fields)


def test_a_goal_starts_open_with_a_trimmed_title() -> None:
    goal = a_goal(title="  What do young talents expect of an employer? ")
    assert goal.status is G.OPEN
    assert goal.title == "What do young talents expect of an employer?"


def test_a_goal_needs_a_title() -> None:
    with pytest.raises(RuleViolation) as caught:
        a_goal(title=" ")
    assert caught.value.code == "blank_value"


def test_a_revision_cannot_blank_the_title() -> None:
    goal = a_goal()
    with pytest.raises(RuleViolation) as caught:
        goal.revise(title="  ", description="changed")
    assert caught.value.code == "blank_value"
    assert (goal.title, goal.description) == ("How does TikTok work?", "")


def test_a_goal_can_be_revised() -> None:
    goal = a_goal()
    goal.revise(title="How do creators earn money?", description="Monetisation")
    assert (goal.title, goal.description) == ("How do creators earn money?", "Monetisation")


def test_a_goal_walks_open_in_progress_achieved() -> None:
    goal = a_goal()
    goal.move_to(G.IN_PROGRESS)
    goal.move_to(G.ACHIEVED)
    assert goal.status is G.ACHIEVED


@pytest.mark.parametrize(("current", "target"), sorted(EDGES), ids=lambda s: s.value)
def test_every_allowed_goal_transition_works(current: GoalStatus, target: GoalStatus) -> None:
    goal = a_goal(current)
    goal.move_to(target)
    assert goal.status is target


@pytest.mark.parametrize(("current", "target"), FORBIDDEN, ids=lambda s: s.value)
def test_a_forbidden_goal_transition_is_refused(current: GoalStatus, target: GoalStatus) -> None:
    goal = a_goal(current)
    with pytest.raises(InvalidTransition) as caught:
        goal.move_to(target)
    assert caught.value.code == "goal_invalid_transition"
    assert goal.status is current


def test_the_forbidden_goal_transitions_include_leaving_achieved_and_going_back_to_open() -> None:
    assert all((G.ACHIEVED, target) in FORBIDDEN for target in G if target is not G.ACHIEVED)
    assert (G.IN_PROGRESS, G.OPEN) in FORBIDDEN
    assert (G.DROPPED, G.ACHIEVED) in FORBIDDEN


@pytest.mark.parametrize("status", list(G), ids=str)
def test_moving_a_goal_to_its_own_status_changes_nothing(status: GoalStatus) -> None:
    goal = a_goal(status)
    before = goal.updated_at
    goal.move_to(status)
    assert (goal.status, goal.updated_at) == (status, before)


# A new goal


def test_an_open_tandem_takes_a_new_goal() -> None:
    tandem = a_tandem(TandemStatus.PAUSED)
    goal = Goal.for_tandem(tandem, title=" How does TikTok work? ")
    assert (goal.org_id, goal.tandem_id, goal.title, goal.status) == (
        tandem.org_id,
        tandem.id,
        "How does TikTok work?",
        GoalStatus.OPEN,
    )


@pytest.mark.parametrize(
    "status", [TandemStatus.DECLINED, TandemStatus.EXPIRED, TandemStatus.COMPLETED, TandemStatus.DISSOLVED], ids=str
)
def test_a_closed_tandem_takes_no_new_goal(status: TandemStatus) -> None:
    with pytest.raises(RuleViolation) as caught:
        Goal.for_tandem(a_tandem(status), title="too late")
    assert caught.value.code == "tandem_closed"


def test_a_held_session_covering_an_open_goal_puts_it_in_progress_and_records_the_change() -> None:
    goal = a_goal()
    assert goal.cover() is True
    assert goal.status is G.IN_PROGRESS
    [event] = goal.pull_events()
    assert (event.type, event.subject_id, event.data) == (
        "goal.status_changed",
        goal.id,
        {"tandem_id": str(goal.tandem_id), "from": "open", "to": "in_progress"},
    )


@pytest.mark.parametrize("status", [G.IN_PROGRESS, G.ACHIEVED, G.DROPPED])
def test_covering_a_goal_past_open_leaves_it_as_it_is(status: GoalStatus) -> None:
    goal = a_goal(status)
    assert goal.cover() is False
    assert goal.status is status and goal.pull_events() == []


def test_goals_covered_must_all_be_goals_of_the_tandem() -> None:
    tandem_id = an_id()
    own, elsewhere = a_goal(tandem_id=tandem_id), a_goal()
    ensure_goals_of_tandem(tandem_id, [own.id, own.id], [own])
    for covered in ([elsewhere.id], [own.id, an_id()]):
        with pytest.raises(RuleViolation) as caught:
            ensure_goals_of_tandem(tandem_id, covered, [own, elsewhere])
        assert (caught.value.code, caught.value.field) == ("goal_not_in_tandem", "goals_covered")


# Events of a goal's words


def test_a_new_goal_records_goal_created_with_its_tandem() -> None:
    tandem = a_tandem(TandemStatus.ACTIVE)
    goal = Goal.for_tandem(tandem, title="How does TikTok work?")
    [event] = goal.pull_events()
    assert (event.type, event.org_id, event.subject_id, event.data) == (
        "goal.created",
        tandem.org_id,
        goal.id,
        {"tandem_id": str(tandem.id)},
    )


def test_a_revision_records_the_names_of_the_fields_it_changed() -> None:
    goal = a_goal()
    goal.revise(title="How does TikTok work?", description="Monetisation")  # the title as it was
    [event] = goal.pull_events()
    assert (event.type, event.data) == ("goal.updated", {"tandem_id": str(goal.tandem_id), "changed": ["description"]})


def test_a_revision_that_changes_nothing_records_nothing() -> None:
    goal = a_goal()
    goal.revise(title=" How does TikTok work? ")
    goal.revise()
    assert goal.pull_events() == []
