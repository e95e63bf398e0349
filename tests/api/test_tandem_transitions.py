"""Tandem transitions over HTTP: each side's answer, pause/resume/complete/dissolve, fit check, history."""

from __future__ import annotations

import pytest

from tests.api.helpers import field_names, problem
from tests.api.tandem_world import EXPECTED, held, pairing, proposed, running, strangers
from tests.factories import member, pair_world


async def test_each_side_accepts_and_the_second_acceptance_activates(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    tandem = await proposed(uow_factory, world)
    url = f"/v1/tandems/{tandem.id}/accept"
    by_manager = await client.post(url, headers=bearer(world["manager"]))
    problem(by_manager, 403, "participant_required")

    first = await client.post(url, headers=bearer(member(world["mentor"])))
    assert first.json()["status"] == "proposed" and first.headers["etag"] == '"2"'
    stale = await client.post(url, headers=bearer(member(world["mentee"])) | {"If-Match": '"1"'})
    problem(stale, 412, "version_mismatch")
    second = await client.post(url, headers=bearer(member(world["mentee"])) | {"If-Match": '"2"'})
    assert second.status_code == 200 and second.json()["status"] == "active"

    again = await client.post(url, headers=bearer(member(world["mentee"])))
    problem(again, 409, "tandem_invalid_transition")


async def test_a_side_declines_a_proposal_with_or_without_a_reason(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    tandem = await proposed(uow_factory, world)
    url = f"/v1/tandems/{tandem.id}/decline"
    problem(await client.post(url, headers=bearer(world["manager"])), 403, "participant_required")
    declined = await client.post(url, json={"reason": "no time this year"}, headers=bearer(member(world["mentee"])))
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    history = (await client.get(f"/v1/tandems/{tandem.id}/history", headers=bearer(world["manager"]))).json()
    assert history["items"][-1]["reason"] == "no time this year"

    other = await proposed(uow_factory, world)
    silent = await client.post(f"/v1/tandems/{other.id}/decline", headers=bearer(member(world["mentor"])))
    assert silent.status_code == 200 and silent.json()["status"] == "declined"


async def test_pause_resume_and_complete_follow_the_state_machine(client, bearer, uow_factory) -> None:
    world, tandem = await running(uow_factory)
    base, mentee = f"/v1/tandems/{tandem.id}", bearer(member(world["mentee"]))
    resumed_early = await client.post(f"{base}/resume", headers=mentee)
    problem(resumed_early, 409, "tandem_invalid_transition")

    paused = await client.post(f"{base}/pause", json={"reason": "parental leave"}, headers=bearer(world["manager"]))
    assert paused.json()["status"] == "paused"
    resumed = await client.post(f"{base}/resume", headers=mentee | {"If-Match": paused.headers["etag"]})
    assert resumed.json()["status"] == "active"
    done = await client.post(f"{base}/complete", json={}, headers=mentee)
    assert done.status_code == 200 and done.json()["status"] == "completed"
    late = await client.post(f"{base}/pause", headers=mentee)
    problem(late, 409, "tandem_invalid_transition")


async def test_a_stale_if_match_on_a_transition_is_412(client, bearer, uow_factory) -> None:
    world, tandem = await running(uow_factory)
    response = await client.post(
        f"/v1/tandems/{tandem.id}/pause", headers=bearer(world["manager"]) | {"If-Match": '"1"'}
    )
    problem(response, 412, "version_mismatch")


async def test_dissolving_needs_a_reason_and_can_exclude_the_pair_for_good(client, bearer, uow_factory) -> None:
    world, tandem = await running(uow_factory)
    url, manager = f"/v1/tandems/{tandem.id}/dissolve", bearer(world["manager"])
    blank = await client.post(url, json={"reason": "  ", "never_pair_again": False}, headers=manager)
    problem(blank, 422, "reason_required")
    assert field_names(blank.json()) == {"reason"}
    missing = await client.post(url, json={"reason": "no chemistry"}, headers=manager)
    assert field_names(problem(missing, 422, "validation_failed")) == {"body.never_pair_again"}

    gone = await client.post(url, json={"reason": "no chemistry", "never_pair_again": True}, headers=manager)
    assert gone.status_code == 200
    assert gone.json()["status"] == "dissolved" and gone.json()["end_reason"] == "no chemistry"
    assert gone.json()["never_pair_again"] is True
    again = await client.post(f"/v1/programs/{world['program'].id}/tandems", json=pairing(world), headers=manager)
    problem(again, 409, "pair_excluded")


async def test_the_fit_check_opens_after_the_first_held_session(client, bearer, uow_factory) -> None:
    world, tandem = await running(uow_factory)
    url, mentee = f"/v1/tandems/{tandem.id}/fit-check", bearer(member(world["mentee"]))
    early = await client.put(url, json={"fits": True}, headers=mentee)
    problem(early, 422, "fit_check_too_early")

    await held(uow_factory, world, tandem)
    by_manager = await client.put(url, json={"fits": True}, headers=bearer(world["manager"]))
    problem(by_manager, 403, "participant_required")
    yes = await client.put(url, json={"fits": True}, headers=bearer(member(world["mentor"])))
    assert yes.json()["mentor_fits"] is True and yes.json()["rematch_flagged"] is False
    stale = await client.put(url, json={"fits": False}, headers=mentee | {"If-Match": '"1"'})
    problem(stale, 412, "version_mismatch")
    no = await client.put(url, json={"fits": False}, headers=mentee | {"If-Match": yes.headers["etag"]})
    assert no.json()["mentee_fits"] is False and no.json()["rematch_flagged"] is True

    shown = (await client.get(f"/v1/tandems/{tandem.id}", headers=mentee)).json()
    assert shown["health"] == "at_risk" and "fit check" in shown["health_reason"]


async def test_the_history_lists_every_transition_with_who_and_why(client, bearer, uow_factory) -> None:
    world, tandem = await running(uow_factory)
    manager = world["manager"]
    await client.post(f"/v1/tandems/{tandem.id}/pause", json={"reason": "summer"}, headers=bearer(manager))
    await client.post(f"/v1/tandems/{tandem.id}/resume", headers=bearer(manager))
    await client.post(
        f"/v1/tandems/{tandem.id}/dissolve",
        json={"reason": "moved on", "never_pair_again": False},
        headers=bearer(manager),
    )

    response = await client.get(f"/v1/tandems/{tandem.id}/history", headers=bearer(member(world["mentor"])))
    assert response.status_code == 200
    steps = [(h["from_status"], h["to_status"], h["reason"]) for h in response.json()["items"]]
    assert steps == [
        (None, "proposed", None),
        ("proposed", "active", "both sides accepted"),
        ("active", "paused", "summer"),
        ("paused", "active", None),
        ("active", "dissolved", "moved on"),
    ]
    items = response.json()["items"]
    assert {h["actor_id"] for h in items[2:]} == {str(manager.user_id)}
    assert [h["at"] for h in items] == sorted(h["at"] for h in items)


ACTIONS = [
    ("get", "history", None),
    ("post", "accept", None),
    ("post", "decline", {"reason": "no"}),
    ("post", "pause", None),
    ("post", "resume", None),
    ("post", "complete", None),
    ("post", "dissolve", {"reason": "no", "never_pair_again": False}),
    ("put", "fit-check", {"fits": False}),
]


@pytest.mark.parametrize(("method", "action", "body"), ACTIONS, ids=[a[1] for a in ACTIONS])
async def test_nobody_outside_the_tandem_sees_or_moves_it(client, bearer, uow_factory, method, action, body) -> None:
    world, tandem = await running(uow_factory)
    await held(uow_factory, world, tandem)  # so that only the caller's role can stop the fit check
    for who, caller in (await strangers(uow_factory, world)).items():
        kwargs = {"json": body} if body is not None else {}
        response = await client.request(method, f"/v1/tandems/{tandem.id}/{action}", headers=bearer(caller), **kwargs)
        problem(response, EXPECTED[who])
    unchanged = (await client.get(f"/v1/tandems/{tandem.id}", headers=bearer(world["manager"]))).json()
    assert unchanged["status"] == "active" and unchanged["mentee_fits"] is None
