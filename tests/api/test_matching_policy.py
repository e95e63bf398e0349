"""PUT/GET /v1/programs/{program_id}/matching-policy: weights, objective, self-matching, expiry."""

from __future__ import annotations

from typing import Any

from tests.api.helpers import field_names, problem
from tests.factories import member, new_org, pair_world

DEFAULT_WEIGHTS = {"topic_fit": 5.0, "shared_interests": 2.0, "contrast": 3.0, "format_place": 3.0, "mutual_like": 2.0}
POLICY: dict[str, Any] = {
    "weights": {"topic_fit": 10, "shared_interests": 0, "contrast": 1.5, "format_place": 3, "mutual_like": 2},
    "objective": "max_participation",
    "self_matching": True,
    "proposal_expiry_days": 7,
}


def _url(world: dict[str, Any]) -> str:
    return f"/v1/programs/{world['program'].id}/matching-policy"


async def test_a_new_program_has_the_default_policy(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    response = await client.get(_url(world), headers=bearer(member(world["mentee"])))  # members may read
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["program_id"] == str(world["program"].id)
    assert body["weights"] == DEFAULT_WEIGHTS
    assert body["objective"] == "max_total_score"
    assert body["self_matching"] is False and body["proposal_expiry_days"] == 14
    assert response.headers["ETag"] == f'"{world["program"].version}"'


async def test_a_manager_replaces_the_whole_policy(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    manager = bearer(world["manager"])
    etag = (await client.get(_url(world), headers=manager)).headers["ETag"]
    response = await client.put(_url(world), json=POLICY, headers={**manager, "If-Match": etag})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["weights"] == {k: float(v) for k, v in POLICY["weights"].items()}
    assert body["objective"] == "max_participation"
    assert body["self_matching"] is True and body["proposal_expiry_days"] == 7
    assert response.headers["ETag"] == f'"{int(etag.strip(chr(34))) + 1}"'
    again = (await client.get(_url(world), headers=manager)).json()
    assert again == body
    # the switch and the expiry are the program's rules: the program shows them too
    rules = (await client.get(f"/v1/programs/{world['program'].id}", headers=manager)).json()["rules"]
    assert rules["self_matching"] is True and rules["proposal_expiry_days"] == 7

    # PUT is the whole policy: what is left out goes back to its default
    reset = await client.put(_url(world), json={"objective": "max_total_score"}, headers=manager)
    assert reset.status_code == 200, reset.text
    assert reset.json()["weights"] == DEFAULT_WEIGHTS
    assert reset.json()["self_matching"] is False and reset.json()["proposal_expiry_days"] == 14


async def test_a_stale_if_match_is_412(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    response = await client.put(_url(world), json=POLICY, headers={**bearer(world["manager"]), "If-Match": '"999"'})
    problem(response, 412)
    unchanged = (await client.get(_url(world), headers=bearer(world["manager"]))).json()
    assert unchanged["objective"] == "max_total_score"


async def test_weights_out_of_range_and_unknown_objectives_are_422(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    manager = bearer(world["manager"])
    for weights, name in (({"contrast": 10.5}, "contrast"), ({"topic_fit": -1}, "topic_fit")):
        body = problem(await client.put(_url(world), json={"weights": weights}, headers=manager), 422)
        assert any(name in f for f in field_names(body)), body
    body = problem(await client.put(_url(world), json={"objective": "max_fun"}, headers=manager), 422)
    assert any("objective" in f for f in field_names(body)), body
    body = problem(await client.put(_url(world), json={"proposal_expiry_days": 0}, headers=manager), 422)
    problem(await client.put(_url(world), json={"weights": {"charm": 3}}, headers=manager), 422)


async def test_members_may_not_change_the_policy(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    problem(await client.put(_url(world), json=POLICY, headers=bearer(member(world["mentor"]))), 403)


async def test_another_tenant_finds_no_program(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    _, stranger = await new_org(uow_factory)
    problem(await client.get(_url(world), headers=bearer(stranger)), 404)
    problem(await client.put(_url(world), json=POLICY, headers=bearer(stranger)), 404)
