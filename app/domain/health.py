"""Tandem health: derived from sessions, feedback, goals and the fit check, always explained.

Only open tandems (proposed, active, paused) have a health; a closed one (completed, dissolved,
declined, expired) has none, so an old completed tandem is never reported as at risk.

The reasons' words depend on the facts (dates, counts) and on which threshold was crossed, never
on today's date: a stored health and its reasons stay true until a fact changes or time carries
the tandem across a threshold, which is exactly when the scheduled sweep rewrites them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum, StrEnum
from typing import Protocol
from uuid import UUID

from app.domain.goal import GoalStatus
from app.domain.program import ProgramRules
from app.domain.session import Session, SessionStatus
from app.domain.tandem import OPEN_STATUSES, Tandem, TandemStatus


class Health(StrEnum):
    TOO_EARLY = "too_early"
    ON_TRACK = "on_track"
    NEEDS_CHECK_IN = "needs_check_in"
    AT_RISK = "at_risk"


class _Severity(IntEnum):
    """Which health wins when several signals are present: the worst."""

    ON_TRACK = 0
    TOO_EARLY = 1
    NEEDS_CHECK_IN = 2
    AT_RISK = 3


_HEALTH_OF = {
    _Severity.ON_TRACK: Health.ON_TRACK,
    _Severity.TOO_EARLY: Health.TOO_EARLY,
    _Severity.NEEDS_CHECK_IN: Health.NEEDS_CHECK_IN,
    _Severity.AT_RISK: Health.AT_RISK,
}


class ReasonCode(StrEnum):
    """Why a tandem has its health; clients may key on the code, people read the message."""

    FAILED_FIT_CHECK = "failed_fit_check"
    MISSED_SESSIONS = "missed_sessions"
    NO_RECENT_SESSION = "no_recent_session"  # days since the last held session
    NO_SESSION_YET = "no_session_yet"  # days since the tandem began, none held
    LOW_RATING = "low_rating"
    GOALS_NOT_MOVING = "goals_not_moving"
    PROPOSAL_PENDING = "proposal_pending"
    PAUSED = "paused"
    RECENT_SESSION = "recent_session"


@dataclass(frozen=True, slots=True)
class HealthReason:
    code: ReasonCode
    message: str


@dataclass(frozen=True, slots=True)
class HealthAssessment:
    """A health with its reasons, worst first (never empty)."""

    health: Health
    reasons: tuple[HealthReason, ...]

    def __post_init__(self) -> None:
        if not self.reasons:
            raise ValueError("a health is always explained")

    @property
    def reason(self) -> str:
        """The main reason in words (the first of ``reasons``)."""
        return self.reasons[0].message


RECENT_RATINGS = 2  # how many of the latest ratings count as "recent"


@dataclass(frozen=True, slots=True)
class SessionTally:
    """What health reads of a tandem's sessions and goals: a few figures, not the rows themselves,
    so a store can compute them where the rows are (one aggregate query) instead of loading all.
    """

    held: int = 0
    missed: int = 0
    last_held_end: datetime | None = None
    recent_ratings: tuple[int, ...] = ()  # the last ratings on held sessions, oldest first
    goals: int = 0  # goals not dropped
    goals_moving: int = 0  # of those, in progress or achieved

    @classmethod
    def of(cls, sessions: Sequence[Session], goal_statuses: Sequence[GoalStatus] = ()) -> SessionTally:
        """Sessions in their order (start, id) with feedback in its order (given, id)."""
        held = [s for s in sessions if s.status is SessionStatus.HELD]
        ratings = [f.rating for s in held for f in s.feedback]
        kept = [g for g in goal_statuses if g is not GoalStatus.DROPPED]
        return cls(
            held=len(held),
            missed=sum(1 for s in sessions if s.status is SessionStatus.MISSED),
            last_held_end=max((s.ends_at for s in held), default=None),
            recent_ratings=tuple(ratings[-RECENT_RATINGS:]),
            goals=len(kept),
            goals_moving=sum(1 for g in kept if g in (GoalStatus.IN_PROGRESS, GoalStatus.ACHIEVED)),
        )


class Assessable(Protocol):
    """What health reads of a tandem itself (a ``Tandem`` or the ``TandemFacts`` a store read)."""

    @property
    def status(self) -> TandemStatus: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def failed_fit_check(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class TandemFacts:
    status: TandemStatus
    created_at: datetime
    failed_fit_check: bool


@dataclass(frozen=True, slots=True)
class HealthInput:
    """Everything one tandem's health is computed from, and the health stored for it now."""

    tandem_id: UUID
    org_id: UUID
    program_id: UUID
    facts: TandemFacts
    rules: ProgramRules
    tally: SessionTally
    stored: HealthAssessment | None

    def assess(self, now: datetime) -> HealthAssessment | None:
        return assess(self.facts, self.tally, self.rules, now)


def assess_health(
    tandem: Tandem, sessions: Sequence[Session], rules: ProgramRules, now: datetime
) -> HealthAssessment | None:
    return assess(tandem, SessionTally.of(sessions), rules, now)


def assess(tandem: Assessable, tally: SessionTally, rules: ProgramRules, now: datetime) -> HealthAssessment | None:
    """None for a closed tandem. Otherwise the worst signal wins (at risk, then needs a check-in,
    then too early, else on track) and every signal of concern is a reason, worst first."""
    if tandem.status not in OPEN_STATUSES:
        return None
    if tandem.status is TandemStatus.PROPOSED:
        reason = HealthReason(ReasonCode.PROPOSAL_PENDING, "the proposal awaits both sides' acceptance")
        return HealthAssessment(Health.TOO_EARLY, (reason,))

    signals = _concerns(tandem, tally, rules, now)
    if signals:
        worst = max(severity for severity, _ in signals)
        ordered = sorted(signals, key=lambda signal: -signal[0])  # stable: equal ones keep rule order
        return HealthAssessment(_HEALTH_OF[worst], tuple(reason for _, reason in ordered))
    return HealthAssessment(*_calm(tandem, tally))


def _concerns(
    tandem: Assessable, tally: SessionTally, rules: ProgramRules, now: datetime
) -> list[tuple[_Severity, HealthReason]]:
    signals: list[tuple[_Severity, HealthReason]] = []
    if tandem.failed_fit_check:
        reason = HealthReason(ReasonCode.FAILED_FIT_CHECK, "a participant answered the fit check with no")
        signals.append((_Severity.AT_RISK, reason))
    if tally.missed >= rules.missed_sessions_at_risk:
        signals.append(
            (_Severity.AT_RISK, HealthReason(ReasonCode.MISSED_SESSIONS, f"{tally.missed} sessions were missed"))
        )
    # a paused tandem rests on purpose: the days without a session do not count against it
    if tandem.status is not TandemStatus.PAUSED:
        silence = _silence(tandem, tally, rules, now)
        if silence is not None:
            signals.append(silence)
    ratings = tally.recent_ratings
    if ratings and min(ratings) <= rules.low_rating:
        reason = HealthReason(ReasonCode.LOW_RATING, f"a recent rating was {min(ratings)} of 5")
        signals.append((_Severity.NEEDS_CHECK_IN, reason))
    if tally.goals and not tally.goals_moving and tally.held >= rules.goals_stalled_after_sessions:
        reason = HealthReason(
            ReasonCode.GOALS_NOT_MOVING,
            f"none of {tally.goals} goal(s) is in progress after {tally.held} held sessions",
        )
        signals.append((_Severity.NEEDS_CHECK_IN, reason))
    return signals


def _silence(
    tandem: Assessable, tally: SessionTally, rules: ProgramRules, now: datetime
) -> tuple[_Severity, HealthReason] | None:
    """Days since the last held session (or since the tandem began, when none was held), told
    by the threshold crossed rather than the day count, so the words hold until the next one."""
    since = tally.last_held_end or tandem.created_at
    elapsed = now - since
    if elapsed >= timedelta(days=rules.at_risk_after_days):
        severity, days = _Severity.AT_RISK, rules.at_risk_after_days
    elif elapsed >= timedelta(days=rules.needs_check_in_after_days):
        severity, days = _Severity.NEEDS_CHECK_IN, rules.needs_check_in_after_days
    else:
        return None
    if tally.last_held_end is None:
        text = f"no session held since the tandem began on {since.date().isoformat()}, for {days} days or more"
        return severity, HealthReason(ReasonCode.NO_SESSION_YET, text)
    text = f"no held session since {since.date().isoformat()}, for {days} days or more"
    return severity, HealthReason(ReasonCode.NO_RECENT_SESSION, text)


def _calm(tandem: Assessable, tally: SessionTally) -> tuple[Health, tuple[HealthReason, ...]]:
    if tandem.status is TandemStatus.PAUSED:
        reason = HealthReason(ReasonCode.PAUSED, "the tandem is paused")
        return (Health.ON_TRACK if tally.held else Health.TOO_EARLY), (reason,)
    if not tally.held or tally.last_held_end is None:
        return Health.TOO_EARLY, (HealthReason(ReasonCode.NO_SESSION_YET, "no session held yet"),)
    last = tally.last_held_end.date().isoformat()
    text = f"{tally.held} held session(s), the last on {last}"
    return Health.ON_TRACK, (HealthReason(ReasonCode.RECENT_SESSION, text),)
