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


def assess_health(tandem: Tandem, sessions: Sequence[Session], rules: ProgramRules, now: datetime) -> HealthAssessment:
    """The worst signal wins: at risk, then needs a check-in, then too early, else on track."""
    held = [s for s in sessions if s.status is SessionStatus.HELD]
    missed = sum(1 for s in sessions if s.status is SessionStatus.MISSED)
    since = now - max((s.ends_at for s in held), default=tandem.created_at)
    ratings = [f.rating for s in held for f in s.feedback]

    if tandem.failed_fit_check:
        return HealthAssessment(Health.AT_RISK, "a participant answered the fit check with no")
    if missed >= rules.missed_sessions_at_risk:
        return HealthAssessment(Health.AT_RISK, f"{missed} sessions were missed")
    if since >= timedelta(days=rules.at_risk_after_days):
        return HealthAssessment(Health.AT_RISK, f"no held session for {since.days} days")
    if held and since >= timedelta(days=rules.needs_check_in_after_days):
        return HealthAssessment(Health.NEEDS_CHECK_IN, f"no held session for {since.days} days")
    if ratings and min(ratings[-2:]) <= rules.low_rating:
        return HealthAssessment(Health.NEEDS_CHECK_IN, f"a recent rating was {min(ratings[-2:])} of 5")
    if not held:
        if since >= timedelta(days=rules.needs_check_in_after_days):
            return HealthAssessment(Health.NEEDS_CHECK_IN, f"no session held in {since.days} days")
        return HealthAssessment(Health.TOO_EARLY, "no session held yet")
    return HealthAssessment(Health.ON_TRACK, f"{len(held)} held session(s), the last {since.days} days ago")
