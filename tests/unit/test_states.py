"""The state-machine helper the aggregates share."""

from __future__ import annotations

from enum import Enum

import pytest

from app.domain.errors import InvalidTransition
from app.domain.states import ensure_transition


class Light(Enum):
    RED = "red"
    GREEN = "green"
    OFF = "off"


ALLOWED = {Light.RED: frozenset({Light.GREEN}), Light.GREEN: frozenset({Light.RED})}


def test_an_edge_of_the_machine_returns_the_target() -> None:
    assert ensure_transition("light", Light.RED, Light.GREEN, ALLOWED) is Light.GREEN


@pytest.mark.parametrize(
    ("current", "target"), [(Light.RED, Light.OFF), (Light.OFF, Light.RED), (Light.RED, Light.RED)]
)
def test_a_step_off_the_machine_raises_a_code_named_after_the_aggregate(current: Light, target: Light) -> None:
    with pytest.raises(InvalidTransition) as caught:
        ensure_transition("light", current, target, ALLOWED)
    assert caught.value.code == "light_invalid_transition"
    assert current.value in caught.value.detail
    assert target.value in caught.value.detail
