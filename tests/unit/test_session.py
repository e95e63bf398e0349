"""Session: its state machine, timing rules, and each participant's feedback."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from itertools import product

import pytest

from app.domain.errors import Conflict, InvalidTransition, RuleViolation
from app.domain.session import MAX_DURATION_MINUTES, Feedback, Session, SessionStatus
from app.domain.tandem import Side
from app.domain.values import MeetingFormat
from tests.unit.builders import a_feedback, a_session, an_id, event_types, real_now

S = SessionStatus
EDGES = {(S.SCHEDULED, S.HELD), (S.SCHEDULED, S.CANCELLED), (S.SCHEDULED, S.MISSED)}
STEP: dict[SessionStatus, Callable[[Session], None]] = {
    S.HELD: lambda s: s.hold(),
    S.CANCELLED: Session.cancel,
    S.MISSED: Session.miss,
}
FORBIDDEN = [(a, b) for a, b in product(S, repeat=2) if b in STEP and (a, b) not in EDGES]
UTC_NOON = datetime(2030, 3, 1, 12, 0, tzinfo=UTC)


# State machine


@pytest.mark.parametrize(("current", "target"), sorted(EDGES), ids=lambda s: s.value)
def test_a_scheduled_session_can_be_held_cancelled_or_missed(current: SessionStatus, target: SessionStatus) -> None:
    session = a_session(current)
    STEP[target](session)
    assert session.status is target
    events = session.pull_events()
    assert [e.type for e in events] == ["session.status_changed"]
    assert events[0].data == {"from": "scheduled", "to": target.value}


@pytest.mark.parametrize(("current", "target"), FORBIDDEN, ids=lambda s: s.value)
def test_a_forbidden_session_transition_is_refused(current: SessionStatus, target: SessionStatus) -> None:
    session = a_session(current)
    with pytest.raises(InvalidTransition) as caught:
        STEP[target](session)
    assert caught.value.code == "session_invalid_transition"
    assert session.status is current
    assert session.pull_events() == []


def test_holding_a_session_keeps_its_notes_and_the_goals_covered() -> None:
    session = a_session()
    goal_id = an_id()
    session.hold(notes="Explored TikTok", goals_covered=(goal_id,))
    assert (session.notes, session.goals_covered) == ("Explored TikTok", (goal_id,))


@pytest.mark.parametrize("step", [lambda s: s.hold(), Session.miss], ids=["hold", "miss"])
def test_a_session_cannot_be_held_or_missed_before_it_starts(step: Callable[[Session], None]) -> None:
    session = a_session(starts_at=real_now() + timedelta(hours=1))
    with pytest.raises(RuleViolation) as caught:
        step(session)
    assert caught.value.code == "session_not_started"
    assert session.status is S.SCHEDULED


def test_a_future_session_can_be_cancelled() -> None:
    session = a_session(starts_at=real_now() + timedelta(days=2))
    session.cancel()
    assert session.status is S.CANCELLED


def test_scheduling_is_recorded_on_request() -> None:
    session = a_session()
    session.record_scheduled()
    events = session.pull_events()
    assert [e.type for e in events] == ["session.scheduled"]
    assert events[0].data == {"tandem_id": str(session.tandem_id)}


# Time and duration


def test_a_naive_start_time_is_refused() -> None:
    with pytest.raises(RuleViolation) as caught:
        a_session(starts_at=datetime(2030, 3, 1, 12, 0))
    assert caught.value.code == "naive_datetime"
    assert caught.value.field == "starts_at"


def test_a_start_time_in_another_zone_is_kept_in_utc() -> None:
    berlin_winter = timezone(timedelta(hours=1))
    session = a_session(starts_at=datetime(2030, 3, 1, 13, 0, tzinfo=berlin_winter))
    assert session.starts_at == UTC_NOON
    assert session.starts_at.utcoffset() == timedelta(0)


@pytest.mark.parametrize("minutes", [5, MAX_DURATION_MINUTES])
def test_a_session_lasts_5_minutes_to_12_hours(minutes: int) -> None:
    session = a_session(duration_minutes=minutes)
    assert session.ends_at - session.starts_at == timedelta(minutes=minutes)


@pytest.mark.parametrize("minutes", [0, 4, MAX_DURATION_MINUTES + 1])
def test_a_session_shorter_than_5_minutes_or_longer_than_12_hours_is_refused(minutes: int) -> None:
    with pytest.raises(RuleViolation) as caught:
        a_session(duration_minutes=minutes)
    assert caught.value.code == "invalid_duration"


def test_a_session_takes_place_inside_the_program_period() -> None:
    first_day = a_session(starts_at=datetime(2030, 1, 1, 0, 0, tzinfo=UTC), duration_minutes=60)
    last_day = a_session(starts_at=datetime(2030, 10, 1, 22, 0, tzinfo=UTC), duration_minutes=60)
    first_day.ensure_within(date(2030, 1, 1), date(2030, 10, 1))
    last_day.ensure_within(date(2030, 1, 1), date(2030, 10, 1))


@pytest.mark.parametrize(
    ("starts_at", "minutes"),
    [
        (datetime(2029, 12, 31, 23, 0, tzinfo=UTC), 30),
        (datetime(2030, 10, 1, 23, 30, tzinfo=UTC), 60),
        (datetime(2030, 10, 2, 9, 0, tzinfo=UTC), 60),
    ],
    ids=["starts_before", "runs_past_the_end", "starts_after"],
)
def test_a_session_outside_the_program_period_is_refused(starts_at: datetime, minutes: int) -> None:
    session = a_session(starts_at=starts_at, duration_minutes=minutes)
    with pytest.raises(RuleViolation) as caught:
        session.ensure_within(date(2030, 1, 1), date(2030, 10, 1))
    assert caught.value.code == "outside_program_period"


# Rescheduling


def test_a_rescheduled_session_stays_scheduled_with_the_new_details() -> None:
    session = a_session(starts_at=UTC_NOON)
    later = UTC_NOON + timedelta(days=7)
    session.reschedule(
        starts_at=later, duration_minutes=90, format="on_site", location="HQ, room 4", agenda="Shadowing"
    )
    assert session.status is S.SCHEDULED
    assert (session.starts_at, session.duration_minutes) == (later, 90)
    assert (session.format, session.location, session.agenda) == (MeetingFormat.ON_SITE, "HQ, room 4", "Shadowing")


@pytest.mark.parametrize("status", [S.HELD, S.CANCELLED, S.MISSED], ids=str)
def test_only_a_scheduled_session_can_be_rescheduled(status: SessionStatus) -> None:
    session = a_session(status, starts_at=UTC_NOON)
    with pytest.raises(RuleViolation) as caught:
        session.reschedule(starts_at=UTC_NOON + timedelta(days=1))
    assert caught.value.code == "session_not_scheduled"
    assert session.starts_at == UTC_NOON


def test_rescheduling_to_a_naive_time_is_refused_and_changes_nothing() -> None:
    session = a_session(starts_at=UTC_NOON, duration_minutes=60)
    with pytest.raises(RuleViolation) as caught:
        session.reschedule(starts_at=datetime(2030, 3, 8, 12, 0), duration_minutes=30)
    assert caught.value.code == "naive_datetime"
    assert (session.starts_at, session.duration_minutes) == (UTC_NOON, 60)


@pytest.mark.parametrize("minutes", [0, 4, MAX_DURATION_MINUTES + 1])
def test_rescheduling_to_a_bad_duration_is_refused_and_changes_nothing(minutes: int) -> None:
    session = a_session(starts_at=UTC_NOON, duration_minutes=60)
    with pytest.raises(RuleViolation) as caught:
        session.reschedule(starts_at=UTC_NOON + timedelta(days=1), duration_minutes=minutes, agenda="new")
    assert caught.value.code == "invalid_duration"
    assert (session.starts_at, session.duration_minutes, session.agenda) == (UTC_NOON, 60, "")


# Feedback


def test_a_participant_gives_feedback_on_a_held_session() -> None:
    session = a_session(S.HELD)
    feedback = a_feedback(5, side=Side.MENTOR)
    session.give_feedback(feedback)
    assert session.feedback == [feedback]
    events = session.pull_events()
    assert [e.type for e in events] == ["feedback.submitted"]
    assert events[0].data == {"side": "mentor", "rating": 5}


@pytest.mark.parametrize("status", [S.SCHEDULED, S.CANCELLED, S.MISSED], ids=str)
def test_feedback_is_only_for_held_sessions(status: SessionStatus) -> None:
    session = a_session(status)
    with pytest.raises(RuleViolation) as caught:
        session.give_feedback(a_feedback())
    assert caught.value.code == "session_not_held"
    assert session.feedback == []


def test_each_participant_gives_feedback_at_most_once() -> None:
    session = a_session(S.HELD)
    author = an_id()
    session.give_feedback(a_feedback(4, author_person_id=author))
    with pytest.raises(Conflict) as caught:
        session.give_feedback(a_feedback(1, author_person_id=author))
    assert caught.value.code == "feedback_already_given"
    assert [f.rating for f in session.feedback] == [4]


def test_both_participants_may_give_feedback() -> None:
    session = a_session(S.HELD)
    session.give_feedback(a_feedback(4, side=Side.MENTOR))
    session.give_feedback(a_feedback(5, side=Side.MENTEE))
    assert event_types(session) == ["feedback.submitted", "feedback.submitted"]
    assert len(session.feedback) == 2


@pytest.mark.parametrize("rating", [1, 5])
def test_a_rating_of_1_to_5_is_accepted(rating: int) -> None:
    assert a_feedback(rating).rating == rating


@pytest.mark.parametrize("rating", [0, 6, -1])
def test_a_rating_outside_1_to_5_is_refused(rating: int) -> None:
    with pytest.raises(RuleViolation) as caught:
        Feedback(author_person_id=an_id(), side=Side.MENTEE, rating=rating)
    assert caught.value.code == "invalid_rating"
    assert caught.value.field == "rating"
