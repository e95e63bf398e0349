"""Program insights: the figures a program manager reads to steer a running cohort.

The database counts (``ProgramFigures``, a handful of aggregates whatever the program's size);
this module turns the counts into the view (generations from birth years, a mean from a
distribution, health from each open tandem's assessment) without any I/O.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from app.domain.generations import Generation, generation_of
from app.domain.health import Health

TOP_LEARNED = 5  # how many learned topics per side the insights name
EXPIRING_WITHIN_DAYS = 3  # a pending proposal expiring this soon needs a nudge


@dataclass(frozen=True, slots=True)
class LearnedTopic:
    side: str
    topic: str
    mentions: int


@dataclass(frozen=True, slots=True)
class SideRating:
    side: str
    mean: float
    ratings: int


@dataclass(frozen=True, slots=True)
class FitCheckTally:
    """Answers per side among the program's tandems; ``failed`` counts tandems with any no."""

    mentor_yes: int = 0
    mentor_no: int = 0
    mentee_yes: int = 0
    mentee_no: int = 0
    failed: int = 0


@dataclass(frozen=True, slots=True)
class ProposalTally:
    pending: int = 0
    expiring_soon: int = 0  # still answerable, but within EXPIRING_WITHIN_DAYS
    overdue: int = 0  # past their expiry, not yet swept


@dataclass(frozen=True, slots=True)
class RematchTally:
    flagged: int = 0  # open tandems flagged by a failed fit check
    dissolved: int = 0
    rematched: int = 0  # mentees paired again after a dissolved tandem


@dataclass(frozen=True, slots=True)
class ProgramFigures:
    """What the database counts for one program."""

    participants: Mapping[tuple[str, int], int] = field(default_factory=dict)  # (role, birth year) → people
    tandems_by_status: Mapping[str, int] = field(default_factory=dict)
    tandems_by_health: Mapping[str, int] = field(default_factory=dict)  # open tandems by their stored health
    held_distribution: Mapping[int, int] = field(default_factory=dict)  # held sessions → started tandems
    formats: Mapping[str, int] = field(default_factory=dict)  # held sessions by format
    ratings: tuple[SideRating, ...] = ()
    goals_by_status: Mapping[str, int] = field(default_factory=dict)
    learned: tuple[LearnedTopic, ...] = ()
    proposals: ProposalTally = ProposalTally()
    fit_checks: FitCheckTally = FitCheckTally()
    rematches: RematchTally = RematchTally()


@dataclass(frozen=True, slots=True)
class ParticipantCount:
    role: str
    generation: Generation
    count: int


@dataclass(frozen=True, slots=True)
class SessionsPerTandem:
    """Held sessions of the tandems that started (both sides accepted)."""

    mean: float
    distribution: Mapping[int, int]  # held sessions → tandems


@dataclass(frozen=True, slots=True)
class ProgramInsights:
    participants: tuple[ParticipantCount, ...]
    tandems_by_status: Mapping[str, int]
    tandems_by_health: Mapping[Health, int]  # open tandems only: closed ones have no health
    sessions_per_tandem: SessionsPerTandem
    formats: Mapping[str, int]
    ratings: tuple[SideRating, ...]
    goals_by_status: Mapping[str, int]
    learned: tuple[LearnedTopic, ...]
    proposals: ProposalTally
    fit_checks: FitCheckTally
    rematches: RematchTally


def insights_of(figures: ProgramFigures) -> ProgramInsights:
    """The view of a program's figures; every health is listed, a health no tandem has as 0."""
    by_health = figures.tandems_by_health
    return ProgramInsights(
        participants=participants_by_generation(figures.participants),
        tandems_by_status=dict(sorted(figures.tandems_by_status.items())),
        tandems_by_health={h: by_health.get(h.value, 0) for h in Health},
        sessions_per_tandem=sessions_per_tandem(figures.held_distribution),
        formats=dict(sorted(figures.formats.items())),
        ratings=figures.ratings,
        goals_by_status=dict(sorted(figures.goals_by_status.items())),
        learned=figures.learned,
        proposals=figures.proposals,
        fit_checks=figures.fit_checks,
        rematches=figures.rematches,
    )


def participants_by_generation(by_birth_year: Mapping[tuple[str, int], int]) -> tuple[ParticipantCount, ...]:
    """Counts per role and generation, by role then from the oldest generation on."""
    counts: Counter[tuple[str, Generation]] = Counter()
    for (role, birth_year), people in by_birth_year.items():
        counts[role, generation_of(birth_year)] += people
    ordered = sorted(counts.items(), key=lambda item: (item[0][0], item[0][1].rank))
    return tuple(ParticipantCount(role, generation, n) for (role, generation), n in ordered)


def sessions_per_tandem(distribution: Mapping[int, int]) -> SessionsPerTandem:
    tandems = sum(distribution.values())
    held = sum(sessions * n for sessions, n in distribution.items())
    mean = round(held / tandems, 2) if tandems else 0.0
    return SessionsPerTandem(mean=mean, distribution=dict(sorted(distribution.items())))
