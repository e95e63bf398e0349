"""Program insights: counts from the database turned into the view, without I/O."""

from __future__ import annotations

from app.domain.generations import Generation
from app.domain.health import Health
from app.domain.insights import ProgramFigures, insights_of, participants_by_generation, sessions_per_tandem


def test_participants_are_counted_by_role_and_generation_oldest_first() -> None:
    counts = participants_by_generation(
        {("mentor", 1998): 2, ("mentor", 2001): 1, ("mentee", 1966): 1, ("mentee", 1950): 3}
    )
    assert [(c.role, c.generation, c.count) for c in counts] == [
        ("mentee", Generation.BABY_BOOMERS, 3),
        ("mentee", Generation.GEN_X, 1),
        ("mentor", Generation.GEN_Z, 3),
    ]


def test_the_mean_of_held_sessions_comes_from_the_distribution() -> None:
    spread = sessions_per_tandem({3: 1, 0: 2, 1: 1})
    assert (spread.mean, list(spread.distribution.items())) == (1.0, [(0, 2), (1, 1), (3, 1)])
    assert sessions_per_tandem({}).mean == 0.0


def test_every_health_is_counted_even_when_no_tandem_has_it() -> None:
    insights = insights_of(ProgramFigures(tandems_by_health={"at_risk": 2}))
    assert insights.tandems_by_health == {
        Health.TOO_EARLY: 0,
        Health.ON_TRACK: 0,
        Health.NEEDS_CHECK_IN: 0,
        Health.AT_RISK: 2,
    }
