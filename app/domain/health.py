"""Tandem health: derived from sessions, feedback and the fit check, always with a reason."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from app.domain.program import ProgramRules
from app.domain.session import Session, SessionStatus
from app.domain.tandem import Tandem


class Health(StrEnum):
    TOO_EARLY = "too_early"
    ON_TRACK = "on_track"
    NEEDS_CHECK_IN = "needs_check_in"
    AT_RISK = "at_risk"


@dataclass(frozen=True, slots=True)
class HealthAssessment:
    health: Health
    reason: str


RECENT_RATINGS = 2  # how many of the latest ratings count as "recent"


@dataclass(frozen=True, slots=True)
class SessionTally:
    """What health reads of a tandem's sessions: a few figures, not the sessions themselves, so
    a store can compute them where the sessions are (one aggregate query) instead of loading all.
    """

    held: int = 0
    missed: int = 0
    last_held_end: datetime | None = None
    recent_ratings: tuple[int, ...] = ()  # the last ratings on held sessions, oldest first

    @classmethod
    def of(cls, sessions: Sequence[Session]) -> SessionTally:
        """Sessions in their order (start, id) with feedback in its order (given, id)."""
        held = [s for s in sessions if s.status is SessionStatus.HELD]
        ratings = [f.rating for s in held for f in s.feedback]
        return cls(
            held=len(held),
            missed=sum(1 for s in sessions if s.status is SessionStatus.MISSED),
            last_held_end=max((s.ends_at for s in held), default=None),
            recent_ratings=tuple(ratings[-RECENT_RATINGS:]),
        )


def assess_health(tandem: Tandem, sessions: Sequence[Session], rules: ProgramRules, now: datetime) -> HealthAssessment:
    return assess(tandem, SessionTally.of(sessions), rules, now)


def assess(tandem: Tandem, tally: SessionTally, rules: ProgramRules, now: datetime) -> HealthAssessment:
    """The worst signal wins: at risk, then needs a check-in, then too early, else on track."""
    held, missed, ratings = tally.held, tally.missed, tally.recent_ratings
    since = now - (tally.last_held_end or tandem.created_at)

    if tandem.failed_fit_check:
        return HealthAssessment(Health.AT_RISK, "a participant answered the fit check with no")
    if missed >= rules.missed_sessions_at_risk:
        return HealthAssessment(Health.AT_RISK, f"{missed} sessions were missed")
    if since >= timedelta(days=rules.at_risk_after_days):
        return HealthAssessment(Health.AT_RISK, f"no held session for {since.days} days")
    if held and since >= timedelta(days=rules.needs_check_in_after_days):
        return HealthAssessment(Health.NEEDS_CHECK_IN, f"no held session for {since.days} days")
    if ratings and min(ratings) <= rules.low_rating:
        return HealthAssessment(Health.NEEDS_CHECK_IN, f"a recent rating was {min(ratings)} of 5")
    if not held:
        if since >= timedelta(days=rules.needs_check_in_after_days):
            return HealthAssessment(Health.NEEDS_CHECK_IN, f"no session held in {since.days} days")
        return HealthAssessment(Health.TOO_EARLY, "no session held yet")
    return HealthAssessment(Health.ON_TRACK, f"{held} held session(s), the last {since.days} days ago")
