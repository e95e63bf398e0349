"""GET …/enrollments/{enrollment_id}/suggestions: the other side ranked for one participant.

Feasible candidates come first, best score first; candidates that break a hard rule follow with
the rule's code in ``blocked_by``; a pass by either side leaves the candidate out, unnamed.
"""

from __future__ import annotations

from typing import Any

import httpx

from app.domain.preference import Choice
from app.domain.values import Topic
from app.services import preferences
from tests.api.helpers import problem
from tests.factories import enroll, member, new_org, new_person, pair_world


async def _world(uow: Any) -> dict[str, Any]:
    """pair_world's mentor offers exactly the mentee's need; more mentors and one more mentee around it."""
    world = await pair_world(uow)
    manager, program = world["manager"], world["program"]

    async def mentor(name: str, department: str, *offers: str) -> None:
        person = await new_person(
            uow, manager, birth_year=1999, department=department, languages=["de"], display_name=name
        )
        world[name] = person
        world[f"{name}_e"] = await enroll(uow, manager, program, person, "mentor", offers=tuple(map(Topic, offers)))

    await mentor("idle", "Sales", "Gaming")  # offers nothing the mentee needs
    await mentor("colleague", "board", "TikTok")  # same department as the mentee (case-insensitive)
    await mentor("passer", "IT", "TikTok")  # will pass on the mentee
    await mentor("passed", "Legal", "TikTok")  # the mentee will pass on them
    other = await new_person(uow, manager, birth_year=1960, department="Finance", languages=["de"])
    world["other_mentee_e"] = await enroll(uow, manager, program, other, "mentee", needs=(Topic("AI", 3),))
    for author, candidate in (("passer", "mentee"), ("mentee", "passed")):
        await preferences.set_preference(
            uow(),
            member(world[author]),
            program.id,
            world[f"{author}_e"].id,
            world[f"{candidate}_e"].id,
            Choice.PASS,
        )
    return world


def _url(world: dict[str, Any], who: str = "mentee") -> str:
    return f"/v1/programs/{world['program'].id}/enrollments/{world[f'{who}_e'].id}/suggestions"


async def _items(client: httpx.AsyncClient, headers: dict[str, str], url: str, **params: Any) -> list[dict[str, Any]]:
    response = await client.get(url, headers=headers, params=params)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def test_the_mentee_sees_the_best_mentor_first_and_the_rule_breaker_last(client, bearer, uow_factory) -> None:
    world = await _world(uow_factory)
    items = await _items(client, bearer(member(world["mentee"])), _url(world))
    ids = [item["enrollment_id"] for item in items]
    assert ids == [str(world["mentor_e"].id), str(world["idle_e"].id), str(world["colleague_e"].id)]
    best, idle, colleague = items
    assert best["feasible"] is True and best["blocked_by"] is None and best["role"] == "mentor"
    assert best["components"]["topic_fit"] == 1.0 and idle["components"]["topic_fit"] == 0.0
    assert best["score"] > idle["score"]
    assert "TikTok (priority 5)" in best["explanation"] and best["explanation"].startswith("score ")
    assert idle["feasible"] is True
    assert colleague["feasible"] is False and colleague["blocked_by"] == "same_department"
    assert colleague["display_name"] == "colleague"


async def test_passes_either_way_are_left_out_and_never_named(client, bearer, uow_factory) -> None:
    world = await _world(uow_factory)
    response = await client.get(_url(world), headers=bearer(world["manager"]))  # managers see anyone's
    assert response.status_code == 200, response.text
    assert str(world["passer_e"].id) not in response.text and str(world["passed_e"].id) not in response.text
    assert "pass" not in response.text.lower()
    # the passer does not see the mentee either (a pass by either side excludes)
    mentees = await _items(client, bearer(member(world["passer"])), _url(world, "passer"))
    assert [m["enrollment_id"] for m in mentees] == [str(world["other_mentee_e"].id)]


async def test_a_mentor_sees_the_mentees_and_the_limit_cuts_the_list(client, bearer, uow_factory) -> None:
    world = await _world(uow_factory)
    headers = bearer(member(world["mentor"]))
    items = await _items(client, headers, _url(world, "mentor"))
    assert {i["enrollment_id"] for i in items} == {str(world["mentee_e"].id), str(world["other_mentee_e"].id)}
    assert items[0]["enrollment_id"] == str(world["mentee_e"].id)  # needs what the mentor offers
    assert all(i["role"] == "mentee" for i in items)
    assert len(await _items(client, headers, _url(world, "mentor"), limit=1)) == 1
    problem(await client.get(_url(world, "mentor"), headers=headers, params={"limit": 0}), 422)


async def test_the_policy_weights_change_the_ranking(client, bearer, uow_factory) -> None:
    world = await _world(uow_factory)
    weights = dict.fromkeys(("topic_fit", "shared_interests", "format_place", "mutual_like"), 0)
    only_contrast = {"weights": {**weights, "contrast": 10}}
    url = f"/v1/programs/{world['program'].id}/matching-policy"
    assert (await client.put(url, json=only_contrast, headers=bearer(world["manager"]))).status_code == 200
    items = await _items(client, bearer(member(world["mentee"])), _url(world))
    best, idle = items[0], items[1]
    assert best["score"] == best["components"]["contrast"] and idle["score"] == idle["components"]["contrast"]


async def test_members_see_only_their_own_suggestions(client, bearer, uow_factory) -> None:
    world = await _world(uow_factory)
    problem(await client.get(_url(world), headers=bearer(member(world["mentor"]))), 403, "not_your_enrollment")


async def test_another_tenant_and_unknown_enrollments_are_404(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    _, stranger = await new_org(uow_factory)
    problem(await client.get(_url(world), headers=bearer(stranger)), 404)
    elsewhere = await pair_world(uow_factory)  # an enrollment of another program
    url = f"/v1/programs/{world['program'].id}/enrollments/{elsewhere['mentee_e'].id}/suggestions"
    problem(await client.get(url, headers=bearer(world["manager"])), 404)
