"""Tandem health: derived from sessions, feedback and the fit check, with a reason (DESIGN.md §2)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.domain.goal import GoalStatus
from app.domain.health import Health, HealthAssessment, ReasonCode, SessionTally, assess, assess_health
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


# --- status, reasons and the stored value's stability (issue 13) ---


@pytest.mark.parametrize(
    "status", [TandemStatus.COMPLETED, TandemStatus.DISSOLVED, TandemStatus.DECLINED, TandemStatus.EXPIRED]
)
def test_a_closed_tandem_has_no_health_however_old(status: TandemStatus) -> None:
    old = a_tandem(status, created_at=NOW - timedelta(days=200))
    assert (
        assess_health(
            old, [session_ended(150, SessionStatus.MISSED), session_ended(160, SessionStatus.MISSED)], DEFAULT, NOW
        )
        is None
    )


def test_a_proposal_is_too_early_to_judge_whatever_its_age() -> None:
    proposal = a_tandem(TandemStatus.PROPOSED, created_at=NOW - timedelta(days=80))
    assessment = assess_health(proposal, [], DEFAULT, NOW)
    assert assessment is not None and assessment.health is Health.TOO_EARLY
    assert assessment.reasons[0].code is ReasonCode.PROPOSAL_PENDING


def test_a_paused_tandem_is_not_judged_by_the_days_without_a_session() -> None:
    paused = a_tandem(TandemStatus.PAUSED, created_at=NOW - timedelta(days=200))
    assessment = assess_health(paused, [session_ended(100)], DEFAULT, NOW)
    assert assessment is not None and assessment.health is Health.ON_TRACK
    assert assessment.reasons[0].code is ReasonCode.PAUSED
    assert health(paused) is Health.TOO_EARLY  # paused before its first session


def test_a_paused_tandem_still_answers_for_a_failed_fit_check() -> None:
    paused = a_tandem(TandemStatus.PAUSED, created_at=NOW - timedelta(days=60))
    paused.answer_fit_check(Side.MENTOR, False, held_sessions=1)
    assert health(paused, session_ended(50)) is Health.AT_RISK


def test_every_concern_is_a_reason_worst_first() -> None:
    tandem = tandem_created(120)
    sessions = (
        session_ended(30, SessionStatus.HELD, 1),
        session_ended(40, SessionStatus.MISSED),
        session_ended(50, SessionStatus.MISSED),
    )
    assessment = assess_health(tandem, sessions, DEFAULT, NOW)
    assert assessment is not None and assessment.health is Health.AT_RISK
    codes = [r.code for r in assessment.reasons]
    assert codes == [ReasonCode.MISSED_SESSIONS, ReasonCode.NO_RECENT_SESSION, ReasonCode.LOW_RATING]
    assert assessment.reason == "2 sessions were missed"


def _tally(held: int, goals: int, moving: int, last_held_days_ago: float = 2) -> SessionTally:
    return SessionTally(
        held=held, last_held_end=NOW - timedelta(days=last_held_days_ago), goals=goals, goals_moving=moving
    )


def test_goals_that_do_not_move_call_for_a_check_in_at_the_programs_session_count() -> None:
    tandem = tandem_created(90)
    before = assess(tandem, _tally(held=2, goals=2, moving=0), DEFAULT, NOW)
    at = assess(tandem, _tally(held=3, goals=2, moving=0), DEFAULT, NOW)
    assert before is not None and before.health is Health.ON_TRACK
    assert at is not None and at.health is Health.NEEDS_CHECK_IN
    assert at.reasons[0].code is ReasonCode.GOALS_NOT_MOVING and "3 held sessions" in at.reason
    strict = ProgramRules(goals_stalled_after_sessions=2)
    assert (found := assess(tandem, _tally(held=2, goals=2, moving=0), strict, NOW)) is not None
    assert found.health is Health.NEEDS_CHECK_IN


def test_one_goal_in_progress_or_no_goals_at_all_is_no_concern() -> None:
    tandem = tandem_created(90)
    assert (moving := assess(tandem, _tally(held=5, goals=3, moving=1), DEFAULT, NOW)) is not None
    assert moving.health is Health.ON_TRACK
    assert (none := assess(tandem, _tally(held=5, goals=0, moving=0), DEFAULT, NOW)) is not None
    assert none.health is Health.ON_TRACK


def test_dropped_goals_do_not_count_in_the_tally() -> None:
    tally = SessionTally.of([], [GoalStatus.DROPPED, GoalStatus.OPEN, GoalStatus.ACHIEVED])
    assert (tally.goals, tally.goals_moving) == (2, 1)


@pytest.mark.parametrize(
    ("days_ago", "expected"),
    [(20.99, Health.ON_TRACK), (21, Health.NEEDS_CHECK_IN), (44.99, Health.NEEDS_CHECK_IN), (45, Health.AT_RISK)],
)
def test_each_threshold_edge_with_a_controlled_clock(days_ago: float, expected: Health) -> None:
    assert health(tandem_created(200), session_ended(days_ago)) is expected


def test_the_reasons_stay_word_for_word_between_two_thresholds() -> None:
    """What is stored stays true until a fact changes or a threshold is crossed: the sweep then
    has nothing to rewrite on the days in between."""
    tandem, last = tandem_created(200), session_ended(22)
    day_22 = assess_health(tandem, [last], DEFAULT, NOW)
    day_40 = assess_health(tandem, [last], DEFAULT, NOW + timedelta(days=18))
    day_45 = assess_health(tandem, [last], DEFAULT, NOW + timedelta(days=23))
    assert day_22 == day_40
    assert day_45 is not None and day_45 != day_22 and day_45.health is Health.AT_RISK


def test_a_health_is_always_explained() -> None:
    with pytest.raises(ValueError, match="explained"):
        HealthAssessment(Health.ON_TRACK, ())
