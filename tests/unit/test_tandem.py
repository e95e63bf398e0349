"""Tandem: proposal, acceptance, the state machine, its history, expiry and the fit check."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from itertools import product

import pytest

from app.domain.errors import InvalidTransition, RuleViolation
from app.domain.tandem import MAX_REASON, Side, Tandem, TandemStatus
from app.domain.values import MeetingFormat
from tests.unit.builders import ORG_ID, a_proposal, a_tandem, an_id, event_types, real_now

T = TandemStatus
ACTOR = an_id()

# The machine as DESIGN.md states it, written out independently of the implementation.
EDGES = {
    (T.PROPOSED, T.ACTIVE),
    (T.PROPOSED, T.DECLINED),
    (T.PROPOSED, T.EXPIRED),
    (T.ACTIVE, T.PAUSED),
    (T.PAUSED, T.ACTIVE),
    (T.ACTIVE, T.COMPLETED),
    (T.ACTIVE, T.DISSOLVED),
    (T.PAUSED, T.COMPLETED),
    (T.PAUSED, T.DISSOLVED),
}


def accept_by_both(tandem: Tandem) -> None:
    tandem.accept(Side.MENTOR, ACTOR)
    tandem.accept(Side.MENTEE, ACTOR)


# The command that leads to each target. Activation from a proposal is by acceptance; resuming
# is tested on its own. Nothing leads back to proposed, and expiry never raises (see below).
STEP: dict[TandemStatus, Callable[[Tandem], None]] = {
    T.ACTIVE: accept_by_both,
    T.PAUSED: lambda t: t.pause(ACTOR),
    T.DECLINED: lambda t: t.decline(Side.MENTEE, ACTOR),
    T.COMPLETED: lambda t: t.complete(ACTOR),
    T.DISSOLVED: lambda t: t.dissolve(ACTOR, "no chemistry"),
}
FORBIDDEN = [(a, b) for a, b in product(T, repeat=2) if b in STEP and (a, b) not in EDGES]
ALLOWED_BY_STEP = sorted((a, b) for a, b in EDGES if b in STEP and (a, b) != (T.PAUSED, T.ACTIVE))


# Proposal


def test_a_proposal_starts_the_history_and_records_a_tandem_proposed_event() -> None:
    program_id, actor = an_id(), an_id()
    tandem = a_proposal(program_id=program_id, actor_id=actor, reason="strong topic fit")
    assert tandem.status is T.PROPOSED
    assert tandem.is_open
    [entry] = tandem.history
    assert (entry.from_status, entry.to_status, entry.actor_id, entry.reason) == (
        None,
        T.PROPOSED,
        actor,
        "strong topic fit",
    )
    events = tandem.pull_events()
    assert [e.type for e in events] == ["tandem.proposed"]
    assert (events[0].org_id, events[0].subject_id, events[0].data) == (
        ORG_ID,
        tandem.id,
        {"program_id": str(program_id)},
    )


def test_a_proposal_expires_after_the_programs_expiry_days() -> None:
    tandem = a_proposal(expiry_days=14)
    assert tandem.expires_at - tandem.created_at == timedelta(days=14)


def test_a_proposal_keeps_each_meeting_format_once() -> None:
    tandem = a_proposal(formats=(MeetingFormat.VIDEO_CALL, "video_call", "on_site"))
    assert tandem.formats == (MeetingFormat.VIDEO_CALL, MeetingFormat.ON_SITE)


# Acceptance


def test_one_acceptance_leaves_the_tandem_proposed() -> None:
    tandem = a_proposal()
    tandem.accept(Side.MENTOR, ACTOR)
    assert tandem.status is T.PROPOSED
    assert tandem.accepted_by(Side.MENTOR)
    assert not tandem.accepted_by(Side.MENTEE)


@pytest.mark.parametrize(("first", "second"), [(Side.MENTOR, Side.MENTEE), (Side.MENTEE, Side.MENTOR)])
def test_the_second_sides_acceptance_activates_the_tandem(first: Side, second: Side) -> None:
    tandem = a_proposal()
    tandem.pull_events()
    second_actor = an_id()
    tandem.accept(first, an_id())
    tandem.accept(second, second_actor)
    assert tandem.status is T.ACTIVE
    last = tandem.history[-1]
    assert (last.from_status, last.to_status, last.actor_id, last.reason) == (
        T.PROPOSED,
        T.ACTIVE,
        second_actor,
        "both sides accepted",
    )
    events = tandem.pull_events()
    assert [e.type for e in events] == ["tandem.status_changed"]
    assert events[0].data == {"from": "proposed", "to": "active"}


def test_accepting_twice_by_the_same_side_does_not_activate_the_tandem() -> None:
    tandem = a_proposal()
    tandem.accept(Side.MENTEE, ACTOR)
    first_acceptance = tandem.mentee_accepted_at
    tandem.accept(Side.MENTEE, ACTOR)
    assert tandem.status is T.PROPOSED
    assert tandem.mentee_accepted_at == first_acceptance
    assert len(tandem.history) == 1


@pytest.mark.parametrize("status", [s for s in T if s is not T.PROPOSED], ids=str)
def test_only_a_proposed_tandem_can_be_accepted(status: TandemStatus) -> None:
    tandem = a_tandem(status)
    with pytest.raises(InvalidTransition) as caught:
        tandem.accept(Side.MENTOR, ACTOR)
    assert caught.value.code == "tandem_invalid_transition"
    assert tandem.status is status


@pytest.mark.parametrize("side", list(Side), ids=str)
def test_accepting_an_expired_proposal_is_refused(side: Side) -> None:
    tandem = a_tandem(T.PROPOSED, expires_at=real_now() - timedelta(seconds=1))
    with pytest.raises(RuleViolation) as caught:
        tandem.accept(side, ACTOR)
    assert caught.value.code == "proposal_expired"
    assert not tandem.accepted_by(side)
    assert tandem.status is T.PROPOSED


def test_declining_an_expired_proposal_is_refused() -> None:
    tandem = a_tandem(T.PROPOSED, expires_at=real_now() - timedelta(seconds=1))
    with pytest.raises(RuleViolation) as caught:
        tandem.decline(Side.MENTEE, ACTOR)
    assert caught.value.code == "proposal_expired"
    assert tandem.status is T.PROPOSED


# Decline, pause, resume, complete, dissolve


def test_a_declined_proposal_records_who_declined() -> None:
    tandem = a_proposal()
    tandem.decline(Side.MENTOR, ACTOR)
    assert tandem.status is T.DECLINED
    assert not tandem.is_open
    assert (tandem.history[-1].actor_id, tandem.history[-1].reason) == (ACTOR, "declined by the mentor")


def test_a_decline_keeps_the_reason_given() -> None:
    tandem = a_proposal()
    tandem.decline(Side.MENTEE, ACTOR, "  no time this year  ")
    assert tandem.history[-1].reason == "no time this year"


def test_an_active_tandem_pauses_and_resumes() -> None:
    tandem = a_tandem(T.ACTIVE)
    tandem.pause(ACTOR, "parental leave")
    paused, still_open = tandem.status, tandem.is_open
    tandem.resume(ACTOR)
    assert (paused, still_open, tandem.status) == (T.PAUSED, True, T.ACTIVE)
    assert [(h.from_status, h.to_status, h.reason) for h in tandem.history] == [
        (T.ACTIVE, T.PAUSED, "parental leave"),
        (T.PAUSED, T.ACTIVE, None),
    ]


@pytest.mark.parametrize("status", [s for s in T if s is not T.PAUSED], ids=str)
def test_only_a_paused_tandem_can_resume(status: TandemStatus) -> None:
    tandem = a_tandem(status)
    with pytest.raises(InvalidTransition) as caught:
        tandem.resume(ACTOR)
    assert caught.value.code == "tandem_invalid_transition"
    assert tandem.status is status
    assert tandem.history == []


@pytest.mark.parametrize("status", [T.ACTIVE, T.PAUSED], ids=str)
def test_an_active_or_paused_tandem_can_be_completed(status: TandemStatus) -> None:
    tandem = a_tandem(status)
    tandem.complete(ACTOR, "journey done")
    assert tandem.status is T.COMPLETED
    assert not tandem.is_open


@pytest.mark.parametrize("status", [T.ACTIVE, T.PAUSED], ids=str)
def test_dissolving_ends_the_tandem_and_keeps_the_reason(status: TandemStatus) -> None:
    tandem = a_tandem(status)
    tandem.dissolve(ACTOR, "  moved abroad ")
    assert tandem.status is T.DISSOLVED
    assert not tandem.is_open
    assert tandem.end_reason == "moved abroad"
    assert not tandem.never_pair_again
    assert (tandem.history[-1].actor_id, tandem.history[-1].reason) == (ACTOR, "moved abroad")


def test_dissolving_with_never_pair_again_marks_the_pair() -> None:
    tandem = a_tandem(T.ACTIVE)
    tandem.dissolve(ACTOR, "conflict of interest", never_pair_again=True)
    assert tandem.never_pair_again


@pytest.mark.parametrize("reason", ["", "   "], ids=["empty", "blank"])
def test_dissolving_needs_a_reason(reason: str) -> None:
    tandem = a_tandem(T.ACTIVE)
    with pytest.raises(RuleViolation) as caught:
        tandem.dissolve(ACTOR, reason, never_pair_again=True)
    assert caught.value.code == "reason_required"
    assert (tandem.status, tandem.never_pair_again, tandem.end_reason) == (T.ACTIVE, False, None)


def test_a_reason_longer_than_the_limit_is_refused() -> None:
    tandem = a_tandem(T.ACTIVE)
    with pytest.raises(RuleViolation) as caught:
        tandem.dissolve(ACTOR, "x" * (MAX_REASON + 1))
    assert caught.value.code == "too_long"
    refused_status = tandem.status
    tandem.dissolve(ACTOR, "x" * MAX_REASON)
    assert (refused_status, tandem.status) == (T.ACTIVE, T.DISSOLVED)


# The whole machine


@pytest.mark.parametrize(("current", "target"), ALLOWED_BY_STEP, ids=lambda s: s.value)
def test_every_allowed_transition_is_kept_in_the_history_and_recorded(
    current: TandemStatus, target: TandemStatus
) -> None:
    tandem = a_tandem(current)
    STEP[target](tandem)
    assert tandem.status is target
    last = tandem.history[-1]
    assert (last.from_status, last.to_status, last.actor_id) == (current, target, ACTOR)
    assert last.at is not None
    assert event_types(tandem) == ["tandem.status_changed"]


@pytest.mark.parametrize(("current", "target"), FORBIDDEN, ids=lambda s: s.value)
def test_a_forbidden_tandem_transition_is_refused(current: TandemStatus, target: TandemStatus) -> None:
    tandem = a_tandem(current)
    with pytest.raises(InvalidTransition) as caught:
        STEP[target](tandem)
    assert caught.value.code == "tandem_invalid_transition"
    assert tandem.status is current
    assert tandem.history == []
    assert tandem.pull_events() == []


def test_the_forbidden_transitions_include_leaving_every_closed_state() -> None:
    for closed in (T.DECLINED, T.EXPIRED, T.COMPLETED, T.DISSOLVED):
        assert all((closed, target) in FORBIDDEN for target in STEP)
    assert (T.PROPOSED, T.PAUSED) in FORBIDDEN
    assert (T.PROPOSED, T.DISSOLVED) in FORBIDDEN


# Expiry


def test_a_proposal_expires_once_its_time_is_up() -> None:
    tandem = a_tandem(T.PROPOSED)
    assert tandem.expire_if_due(tandem.expires_at)
    assert tandem.status is T.EXPIRED
    last = tandem.history[-1]
    assert (last.from_status, last.to_status, last.actor_id) == (T.PROPOSED, T.EXPIRED, None)


def test_a_proposal_does_not_expire_before_its_time() -> None:
    tandem = a_tandem(T.PROPOSED)
    assert not tandem.expire_if_due(tandem.expires_at - timedelta(seconds=1))
    assert tandem.status is T.PROPOSED
    assert tandem.history == []


@pytest.mark.parametrize("status", [s for s in T if s is not T.PROPOSED], ids=str)
def test_only_a_proposal_can_expire(status: TandemStatus) -> None:
    tandem = a_tandem(status)
    assert not tandem.expire_if_due(tandem.expires_at + timedelta(days=365))
    assert tandem.status is status


# Closing with the program


@pytest.mark.parametrize("cancelled", [True, False], ids=["cancelled", "completed"])
def test_an_unanswered_proposal_expires_when_the_program_ends(cancelled: bool) -> None:
    tandem = a_tandem(T.PROPOSED)
    tandem.close_with_program(ACTOR, program_cancelled=cancelled)
    assert tandem.status is T.EXPIRED
    assert tandem.history[-1].reason == "the program ended"


@pytest.mark.parametrize("status", [T.ACTIVE, T.PAUSED], ids=str)
def test_a_running_tandem_completes_with_its_program(status: TandemStatus) -> None:
    tandem = a_tandem(status)
    tandem.close_with_program(ACTOR, program_cancelled=False)
    assert tandem.status is T.COMPLETED
    assert tandem.history[-1].reason == "the program was completed"


@pytest.mark.parametrize("status", [T.ACTIVE, T.PAUSED], ids=str)
def test_a_running_tandem_is_dissolved_when_its_program_is_cancelled(status: TandemStatus) -> None:
    tandem = a_tandem(status)
    tandem.close_with_program(ACTOR, program_cancelled=True)
    assert tandem.status is T.DISSOLVED
    assert tandem.end_reason == "the program was cancelled"
    assert not tandem.never_pair_again


@pytest.mark.parametrize(
    ("status", "cancelled"),
    list(product([T.DECLINED, T.EXPIRED, T.COMPLETED, T.DISSOLVED], [True, False])),
    ids=lambda v: v.value if isinstance(v, T) else ("cancelled" if v else "completed"),
)
def test_closing_a_program_leaves_an_already_closed_tandem_alone(status: TandemStatus, cancelled: bool) -> None:
    tandem = a_tandem(status)
    tandem.close_with_program(ACTOR, program_cancelled=cancelled)
    assert tandem.status is status
    assert tandem.history == []


# Fit check


@pytest.mark.parametrize("status", [T.ACTIVE, T.PAUSED], ids=str)
def test_the_fit_check_opens_after_the_first_held_session(status: TandemStatus) -> None:
    tandem = a_tandem(status)
    tandem.answer_fit_check(Side.MENTOR, True, held_sessions=1)
    tandem.answer_fit_check(Side.MENTEE, True, held_sessions=1)
    assert (tandem.fit_mentor, tandem.fit_mentee) == (True, True)
    assert not tandem.rematch_flagged
    assert not tandem.failed_fit_check
    assert tandem.pull_events() == []


def test_the_fit_check_is_refused_before_the_first_held_session() -> None:
    tandem = a_tandem(T.ACTIVE)
    with pytest.raises(RuleViolation) as caught:
        tandem.answer_fit_check(Side.MENTEE, False, held_sessions=0)
    assert caught.value.code == "fit_check_too_early"
    assert (tandem.fit_mentee, tandem.rematch_flagged) == (None, False)


@pytest.mark.parametrize("status", [T.PROPOSED, T.DECLINED, T.EXPIRED, T.COMPLETED, T.DISSOLVED], ids=str)
def test_the_fit_check_is_refused_on_a_tandem_that_is_not_running(status: TandemStatus) -> None:
    tandem = a_tandem(status)
    with pytest.raises(RuleViolation) as caught:
        tandem.answer_fit_check(Side.MENTOR, True, held_sessions=3)
    assert caught.value.code == "tandem_not_active"
    assert tandem.fit_mentor is None


@pytest.mark.parametrize("side", list(Side), ids=str)
def test_a_no_in_the_fit_check_flags_the_tandem_for_a_rematch(side: Side) -> None:
    tandem = a_tandem(T.ACTIVE)
    tandem.answer_fit_check(side, False, held_sessions=1)
    assert tandem.rematch_flagged
    assert tandem.failed_fit_check
    events = tandem.pull_events()
    assert [e.type for e in events] == ["tandem.fit_flagged"]
    assert events[0].data == {"side": side.value}


def test_the_fit_flag_is_recorded_only_once() -> None:
    tandem = a_tandem(T.ACTIVE)
    tandem.answer_fit_check(Side.MENTOR, False, held_sessions=1)
    tandem.answer_fit_check(Side.MENTEE, False, held_sessions=2)
    assert event_types(tandem) == ["tandem.fit_flagged"]
    assert (tandem.fit_mentor, tandem.fit_mentee) == (False, False)


# Sides


def test_each_person_is_on_their_side_and_nobody_else_is() -> None:
    tandem = a_tandem()
    assert tandem.side_of(tandem.mentor_person_id) is Side.MENTOR
    assert tandem.side_of(tandem.mentee_person_id) is Side.MENTEE
    assert tandem.side_of(an_id()) is None
    assert tandem.side_of(None) is None


# Ending for an outside reason (a participant's erasure)


def test_ending_a_proposal_declines_it_with_the_reason() -> None:
    tandem = a_proposal()
    tandem.end(ACTOR, "a participant's personal data was erased")
    assert tandem.status is T.DECLINED
    assert tandem.history[-1].reason == "a participant's personal data was erased"


@pytest.mark.parametrize("status", [T.ACTIVE, T.PAUSED], ids=str)
def test_ending_a_running_tandem_dissolves_it_with_the_reason(status: TandemStatus) -> None:
    tandem = a_tandem(status)
    tandem.end(ACTOR, "a participant's personal data was erased")
    assert tandem.status is T.DISSOLVED
    assert tandem.end_reason == "a participant's personal data was erased"


@pytest.mark.parametrize("status", [T.DECLINED, T.EXPIRED, T.COMPLETED, T.DISSOLVED], ids=str)
def test_ending_an_already_closed_tandem_changes_nothing(status: TandemStatus) -> None:
    tandem = a_tandem(status)
    tandem.end(ACTOR, "erased")
    assert tandem.status is status
    assert tandem.history == []


# Scheduling


def test_an_active_tandem_can_schedule_sessions() -> None:
    a_tandem(T.ACTIVE).ensure_can_schedule()


@pytest.mark.parametrize("status", sorted(set(TandemStatus) - {TandemStatus.ACTIVE}), ids=str)
def test_only_an_active_tandem_schedules_sessions(status: TandemStatus) -> None:
    with pytest.raises(RuleViolation) as caught:
        a_tandem(status).ensure_can_schedule()
    assert caught.value.code == "tandem_not_active"
