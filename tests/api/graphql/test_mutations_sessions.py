"""Session mutations: scheduling, rescheduling, the life cycle and each side's feedback, as REST answers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.services import goals
from tests.api.graphql.commands import PROBLEM, mutate, ok, refused, rest
from tests.api.tandem_world import EXPECTED, held, proposed, running, scheduled, strangers
from tests.factories import active_tandem, member, pair_world, past

SESSION = """... on Session { id version tandemId startsAt durationMinutes format location videoLink agenda notes
  status feedback { authorPersonId side rating learned goalsCovered comment } }"""

SCHEDULE = f"""mutation($tandemId: UUID!, $session: SessionInput!) {{
  scheduleSession(tandemId: $tandemId, session: $session) {{ __typename {SESSION} {PROBLEM} }} }}"""
RESCHEDULE = f"""mutation($id: UUID!, $changes: SessionPatchInput!, $v: Int) {{
  rescheduleSession(id: $id, changes: $changes, expectedVersion: $v) {{ __typename {SESSION} {PROBLEM} }} }}"""
HOLD = f"""mutation($id: UUID!, $notes: String, $goals: [UUID!], $v: Int) {{
  holdSession(id: $id, notes: $notes, goalsCovered: $goals, expectedVersion: $v) {{
    __typename {SESSION} {PROBLEM} }} }}"""
STEP = (
    """mutation($id: UUID!, $v: Int) {{ {name}(id: $id, expectedVersion: $v) {{ __typename {session} {problem} }} }}"""
)
FEEDBACK = f"""mutation($sessionId: UUID!, $feedback: FeedbackInput!) {{
  giveFeedback(sessionId: $sessionId, feedback: $feedback) {{ __typename {SESSION} {PROBLEM} }} }}"""
CANCEL = STEP.format(name="cancelSession", session=SESSION, problem=PROBLEM)
MISS = STEP.format(name="missSession", session=SESSION, problem=PROBLEM)


def _future(days: int = 7) -> datetime:
    return (datetime.now(UTC) + timedelta(days=days)).replace(microsecond=0)


def _meeting(**fields: object) -> dict[str, object]:
    return {"startsAt": _future().isoformat(), "durationMinutes": 60, "format": "VIDEO_CALL"} | fields


async def test_a_participant_schedules_a_session_and_rest_reads_it(client, bearer, uow_factory) -> None:
    world, tandem = await running(uow_factory)
    body = _meeting(
        startsAt=_future().astimezone().isoformat(),
        videoLink="https://meet.example/abc",
        agenda="How the social media team plans a campaign",
    )
    created = ok(
        await mutate(client, bearer(member(world["mentor"])), SCHEDULE, tandemId=str(tandem.id), session=body),
        "Session",
    )
    assert (created["status"], created["format"], created["durationMinutes"], created["version"]) == (
        "SCHEDULED",
        "VIDEO_CALL",
        60,
        1,
    )
    assert datetime.fromisoformat(created["startsAt"]) == datetime.fromisoformat(str(body["startsAt"]))
    stored = await rest(client, bearer(member(world["mentee"])), f"/v1/sessions/{created['id']}")
    assert (stored["video_link"], stored["agenda"], stored["status"]) == (
        "https://meet.example/abc",
        body["agenda"],
        "scheduled",
    )
    assert datetime.fromisoformat(stored["starts_at"]) == datetime.fromisoformat(created["startsAt"])


async def test_bad_times_formats_and_lengths_are_refused_naming_the_field(client, bearer, uow_factory) -> None:
    world, tandem = await running(uow_factory)
    headers, tid = bearer(world["manager"]), str(tandem.id)
    naive = _meeting(startsAt=_future().replace(tzinfo=None).isoformat())
    assert (
        refused(await mutate(client, headers, SCHEDULE, tandemId=tid, session=naive), 422, "validation_failed")["field"]
        == "session.startsAt"
    )
    too_long = _meeting(durationMinutes=13 * 60)
    assert (
        refused(await mutate(client, headers, SCHEDULE, tandemId=tid, session=too_long), 422)["field"]
        == "session.durationMinutes"
    )
    no_url = _meeting(videoLink="not a link")
    assert (
        refused(await mutate(client, headers, SCHEDULE, tandemId=tid, session=no_url), 422)["field"]
        == "session.videoLink"
    )
    before = datetime.combine(world["program"].starts_on - timedelta(days=1), datetime.min.time(), UTC)
    early = await mutate(client, headers, SCHEDULE, tandemId=tid, session=_meeting(startsAt=before.isoformat()))
    assert refused(early, 422, "outside_program_period")["field"] == "starts_at"


async def test_sessions_are_for_active_tandems_of_running_programs(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory, status="running")
    waiting = await proposed(uow_factory, world)
    answer = await mutate(client, bearer(world["manager"]), SCHEDULE, tandemId=str(waiting.id), session=_meeting())
    refused(answer, 422, "tandem_not_active")
    early_world = await pair_world(uow_factory, status="matching")
    early = await active_tandem(uow_factory, early_world)
    answer = await mutate(client, bearer(early_world["manager"]), SCHEDULE, tandemId=str(early.id), session=_meeting())
    refused(answer, 422, "program_not_running")


async def test_rescheduling_keeps_the_session_scheduled_under_its_version(client, bearer, uow_factory) -> None:
    world, tandem = await running(uow_factory)
    session = await scheduled(uow_factory, world, tandem, _future())
    headers, sid = bearer(world["manager"]), str(session.id)
    changes = {"format": "ON_SITE", "location": "HQ, 5th floor", "startsAt": _future(8).isoformat()}
    moved = ok(await mutate(client, headers, RESCHEDULE, id=sid, changes=changes, v=1), "Session")
    assert (moved["status"], moved["format"], moved["location"], moved["version"]) == (
        "SCHEDULED",
        "ON_SITE",
        "HQ, 5th floor",
        2,
    )
    assert moved["durationMinutes"] == 60  # left out, kept
    refused(await mutate(client, headers, RESCHEDULE, id=sid, changes={"agenda": "x"}, v=1), 412, "version_mismatch")
    far = {"startsAt": _future(400).isoformat()}
    refused(await mutate(client, headers, RESCHEDULE, id=sid, changes=far), 422, "outside_program_period")
    stored = await rest(client, headers, f"/v1/sessions/{sid}")
    assert (stored["format"], stored["location"]) == ("on_site", "HQ, 5th floor")

    done = await held(uow_factory, world, tandem)
    late = await mutate(client, headers, RESCHEDULE, id=str(done.id), changes={"agenda": "too late"})
    refused(late, 422, "session_not_scheduled")


async def test_a_session_is_held_once_it_has_started(client, bearer, uow_factory) -> None:
    world, tandem = await running(uow_factory)
    goal = await goals.add_goal(uow_factory(), world["manager"], tandem.id, title="TikTok")
    mentor = bearer(member(world["mentor"]))
    upcoming = await scheduled(uow_factory, world, tandem, _future())
    refused(await mutate(client, mentor, HOLD, id=str(upcoming.id)), 422, "session_not_started")

    started = await scheduled(uow_factory, world, tandem, past(1))
    refused(await mutate(client, mentor, HOLD, id=str(started.id), v=7), 412, "version_mismatch")
    done = ok(
        await mutate(client, mentor, HOLD, id=str(started.id), notes="We made a first Reel", goals=[str(goal.id)], v=1),
        "Session",
    )
    assert (done["status"], done["notes"]) == ("HELD", "We made a first Reel")
    stored = await rest(client, mentor, f"/v1/sessions/{started.id}")
    assert stored["goals_covered"] == [str(goal.id)] and stored["status"] == "held"
    refused(await mutate(client, mentor, HOLD, id=str(started.id)), 409, "session_invalid_transition")


async def test_a_session_is_cancelled_any_time_and_missed_only_once_started(client, bearer, uow_factory) -> None:
    world, tandem = await running(uow_factory)
    mentee = bearer(member(world["mentee"]))
    upcoming = await scheduled(uow_factory, world, tandem, _future())
    refused(await mutate(client, mentee, MISS, id=str(upcoming.id)), 422, "session_not_started")
    cancelled = ok(await mutate(client, mentee, CANCEL, id=str(upcoming.id), v=1), "Session")
    assert cancelled["status"] == "CANCELLED"
    refused(await mutate(client, mentee, CANCEL, id=str(upcoming.id)), 409, "session_invalid_transition")

    started = await scheduled(uow_factory, world, tandem, past(1))
    refused(await mutate(client, mentee, MISS, id=str(started.id), v=2), 412, "version_mismatch")
    missed = ok(await mutate(client, bearer(world["manager"]), MISS, id=str(started.id)), "Session")
    assert missed["status"] == "MISSED"
    assert (await rest(client, mentee, f"/v1/sessions/{started.id}"))["status"] == "missed"


async def test_each_side_gives_feedback_once_on_a_held_session(client, bearer, uow_factory) -> None:
    world, tandem = await running(uow_factory)
    mentor, mentee = bearer(member(world["mentor"])), bearer(member(world["mentee"]))
    upcoming = await scheduled(uow_factory, world, tandem, _future())
    refused(
        await mutate(client, mentee, FEEDBACK, sessionId=str(upcoming.id), feedback={"rating": 4}),
        422,
        "session_not_held",
    )

    sid = str((await held(uow_factory, world, tandem)).id)
    off_scale = await mutate(client, mentee, FEEDBACK, sessionId=sid, feedback={"rating": 6})
    assert refused(off_scale, 422, "invalid_rating")["field"] == "rating"
    wordy = await mutate(client, mentee, FEEDBACK, sessionId=sid, feedback={"rating": 5, "comment": "x" * 10_001})
    assert refused(wordy, 422, "validation_failed")["field"] == "feedback.comment"
    by_manager = await mutate(client, bearer(world["manager"]), FEEDBACK, sessionId=sid, feedback={"rating": 5})
    refused(by_manager, 403, "participant_required")

    mine = {"rating": 5, "learned": "how the For You feed works", "comment": "eye-opening"}
    given = ok(await mutate(client, mentee, FEEDBACK, sessionId=sid, feedback=mine), "Session")
    assert [(f["side"], f["rating"], f["learned"]) for f in given["feedback"]] == [("MENTEE", 5, mine["learned"])]
    refused(
        await mutate(client, mentee, FEEDBACK, sessionId=sid, feedback={"rating": 1}), 409, "feedback_already_given"
    )
    ok(await mutate(client, mentor, FEEDBACK, sessionId=sid, feedback={"rating": 4, "learned": "patience"}), "Session")
    stored = await rest(client, mentee, f"/v1/sessions/{sid}")
    assert sorted((f["side"], f["rating"]) for f in stored["feedback"]) == [("mentee", 5), ("mentor", 4)]


ACTIONS = {
    "schedule": (SCHEDULE, lambda t, s: {"tandemId": t, "session": _meeting()}),
    "reschedule": (RESCHEDULE, lambda t, s: {"id": s, "changes": {"agenda": "mine now"}}),
    "hold": (HOLD, lambda t, s: {"id": s}),
    "cancel": (CANCEL, lambda t, s: {"id": s}),
    "miss": (MISS, lambda t, s: {"id": s}),
    "feedback": (FEEDBACK, lambda t, s: {"sessionId": s, "feedback": {"rating": 1}}),
}


@pytest.mark.parametrize("action", list(ACTIONS))
async def test_nobody_outside_the_tandem_touches_its_sessions(client, bearer, uow_factory, action) -> None:
    world, tandem = await running(uow_factory)
    session = (
        await held(uow_factory, world, tandem)
        if action == "feedback"
        else await scheduled(uow_factory, world, tandem, past(1))
    )
    document, arguments = ACTIONS[action]
    for who, caller in (await strangers(uow_factory, world)).items():
        answer = await mutate(client, bearer(caller), document, **arguments(str(tandem.id), str(session.id)))
        refused(answer, EXPECTED[who])
        if EXPECTED[who] == 404:
            assert answer["code"].endswith("_not_found"), answer
    stored = await rest(client, bearer(world["manager"]), f"/v1/sessions/{session.id}")
    assert stored["feedback"] == [] and stored["agenda"] == ""
    assert stored["status"] == ("held" if action == "feedback" else "scheduled")
