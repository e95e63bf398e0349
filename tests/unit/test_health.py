"""Tandem health: derived from sessions, feedback and the fit check, with a reason (DESIGN.md §2)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.domain.health import Health, assess_health
from app.domain.program import ProgramRules
from app.domain.session import Session, SessionStatus
from app.domain.tandem import Side, Tandem, TandemStatus
from tests.unit.builders import NOW, a_feedback, a_session, a_tandem

DEFAULT = ProgramRules()


def tandem_created(days_ago: float) -> Tandem:
    return a_tandem(TandemStatus.ACTIVE, created_at=NOW - timedelta(days=days_ago))


def session_ended(days_ago: float, status: SessionStatus = SessionStatus.HELD, *ratings: int) -> Session:
    """A one-hour session that ended ``days_ago`` days before NOW, with the feedback ratings given."""
    session = a_session(status, starts_at=NOW - timedelta(days=days_ago, hours=1), duration_minutes=60)
    session.feedback.extend(a_feedback(r) for r in ratings)
    return session


def health(tandem: Tandem, *sessions: Session, rules: ProgramRules = DEFAULT) -> Health:
    return assess_health(tandem, sessions, rules, NOW).health


def test_a_young_tandem_without_sessions_is_too_early_to_judge() -> None:
    assessment = assess_health(tandem_created(days_ago=5), [], DEFAULT, NOW)
    assert assessment.health is Health.TOO_EARLY
    assert assessment.reason


def test_a_tandem_with_a_recent_held_session_is_on_track() -> None:
    assessment = assess_health(tandem_created(60), [session_ended(3, SessionStatus.HELD, 4, 5)], DEFAULT, NOW)
    assert assessment.health is Health.ON_TRACK
    assert "1 held session" in assessment.reason


def test_a_scheduled_future_session_does_not_count_as_held() -> None:
    upcoming = a_session(SessionStatus.SCHEDULED, starts_at=NOW + timedelta(days=2))
    assert health(tandem_created(5), upcoming) is Health.TOO_EARLY


def test_a_tandem_needs_a_check_in_21_days_after_its_last_held_session() -> None:
    assert health(tandem_created(90), session_ended(20.9)) is Health.ON_TRACK
    assessment = assess_health(tandem_created(90), [session_ended(21)], DEFAULT, NOW)
    assert assessment.health is Health.NEEDS_CHECK_IN
    assert "21 days" in assessment.reason


def test_a_tandem_without_any_held_session_needs_a_check_in_after_21_days() -> None:
    assert health(tandem_created(20.9)) is Health.TOO_EARLY
    assert health(tandem_created(21)) is Health.NEEDS_CHECK_IN


def test_only_the_latest_held_session_counts_for_the_time_since() -> None:
    assert health(tandem_created(120), session_ended(80), session_ended(2)) is Health.ON_TRACK


@pytest.mark.parametrize("rating", [1, 2])
def test_a_low_rating_calls_for_a_check_in(rating: int) -> None:
    assessment = assess_health(tandem_created(60), [session_ended(3, SessionStatus.HELD, 5, rating)], DEFAULT, NOW)
    assert assessment.health is Health.NEEDS_CHECK_IN
    assert f"{rating} of 5" in assessment.reason


def test_a_rating_above_the_low_mark_keeps_the_tandem_on_track() -> None:
    assert health(tandem_created(60), session_ended(3, SessionStatus.HELD, 3, 3)) is Health.ON_TRACK


def test_only_the_two_most_recent_ratings_count() -> None:
    sessions = (session_ended(10, SessionStatus.HELD, 1), session_ended(3, SessionStatus.HELD, 4, 5))
    assert health(tandem_created(60), *sessions) is Health.ON_TRACK


def test_what_counts_as_a_low_rating_is_the_programs_own() -> None:
    strict = ProgramRules(low_rating=3)
    assert health(tandem_created(60), session_ended(3, SessionStatus.HELD, 3), rules=strict) is Health.NEEDS_CHECK_IN


def test_a_tandem_is_at_risk_45_days_after_its_last_held_session() -> None:
    assert health(tandem_created(120), session_ended(44.9)) is Health.NEEDS_CHECK_IN
    assessment = assess_health(tandem_created(120), [session_ended(45)], DEFAULT, NOW)
    assert assessment.health is Health.AT_RISK
    assert "45 days" in assessment.reason


def test_a_tandem_that_never_met_is_at_risk_after_45_days() -> None:
    assert health(tandem_created(44.9)) is Health.NEEDS_CHECK_IN
    assert health(tandem_created(45)) is Health.AT_RISK


def test_a_failed_fit_check_puts_the_tandem_at_risk() -> None:
    tandem = tandem_created(30)
    tandem.answer_fit_check(Side.MENTEE, False, held_sessions=1)
    assessment = assess_health(tandem, [session_ended(1, SessionStatus.HELD, 5, 5)], DEFAULT, NOW)
    assert assessment.health is Health.AT_RISK
    assert "fit check" in assessment.reason


def test_a_passed_fit_check_does_not_put_the_tandem_at_risk() -> None:
    tandem = tandem_created(30)
    tandem.answer_fit_check(Side.MENTEE, True, held_sessions=1)
    assert health(tandem, session_ended(1)) is Health.ON_TRACK


def test_repeated_missed_sessions_put_the_tandem_at_risk() -> None:
    sessions = (session_ended(1), session_ended(8, SessionStatus.MISSED), session_ended(15, SessionStatus.MISSED))
    assessment = assess_health(tandem_created(30), sessions, DEFAULT, NOW)
    assert assessment.health is Health.AT_RISK
    assert "2 sessions were missed" in assessment.reason


def test_a_single_missed_session_is_not_yet_a_risk() -> None:
    assert health(tandem_created(30), session_ended(1), session_ended(8, SessionStatus.MISSED)) is Health.ON_TRACK


def test_cancelled_sessions_do_not_count_as_missed() -> None:
    cancelled = (session_ended(8, SessionStatus.CANCELLED), session_ended(15, SessionStatus.CANCELLED))
    assert health(tandem_created(30), session_ended(1), *cancelled) is Health.ON_TRACK


def test_the_thresholds_are_the_programs_own() -> None:
    rules = ProgramRules(needs_check_in_after_days=7, at_risk_after_days=14, missed_sessions_at_risk=3)
    assert health(tandem_created(60), session_ended(7), rules=rules) is Health.NEEDS_CHECK_IN
    assert health(tandem_created(60), session_ended(14), rules=rules) is Health.AT_RISK
    two_missed = (session_ended(1), session_ended(2, SessionStatus.MISSED), session_ended(3, SessionStatus.MISSED))
    assert health(tandem_created(60), *two_missed, rules=rules) is Health.ON_TRACK


def test_the_worst_signal_wins() -> None:
    tandem = tandem_created(90)
    tandem.answer_fit_check(Side.MENTOR, False, held_sessions=1)
    # A low rating and a long silence as well: at risk is reported, not a check-in.
    assert health(tandem, session_ended(30, SessionStatus.HELD, 1)) is Health.AT_RISK
