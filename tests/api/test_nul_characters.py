"""Text with a NUL character cannot be stored by PostgreSQL: every body refuses it as a 422
naming where it is, and a partner's bulk sync refuses only the row that holds it."""

from __future__ import annotations

from tests.api.helpers import problem
from tests.api.test_partners import _mentor, _new_partner, _sync, _token
from tests.factories import new_org

NUL = "A\u0000B"


async def test_a_nul_character_in_a_field_is_a_422_not_a_500(client, bearer, uow_factory) -> None:
    _, manager = await new_org(uow_factory)
    body = {"display_name": NUL, "email": "nul@example.com", "birth_year": 1990}
    response = await client.post("/v1/people", json=body, headers=bearer(manager))
    found = problem(response, 422)
    assert "display_name" in str(found) and "NUL" in str(found)


async def test_a_nul_character_deep_in_a_list_or_a_key_is_refused_too(client, bearer, uow_factory) -> None:
    _, manager = await new_org(uow_factory)
    base = {"display_name": "Ada", "email": "ada@example.com", "birth_year": 1990}
    for body in ({**base, "interests": ["ok", NUL]}, {**base, NUL: "x"}):
        problem(await client.post("/v1/people", json=body, headers=bearer(manager)), 422)


async def test_a_partner_row_with_a_nul_character_fails_alone(client, bearer, uow_factory) -> None:
    partner = await _new_partner(client, bearer)
    token = await _token(uow_factory, bearer, partner)
    result = await _sync(client, partner, token, _mentor("ok-1"), _mentor("nul-1", display_name=NUL))
    assert [(r["external_id"], r["status"]) for r in result["items"]] == [("ok-1", "created"), ("nul-1", "error")]


async def test_a_mentor_id_with_a_nul_character_is_a_422_in_rest_and_graphql(client, bearer, uow_factory) -> None:
    partner = await _new_partner(client, bearer)
    token = await _token(uow_factory, bearer, partner)
    path = f"/v1/partners/{partner['id']}/mentors/A%00B"
    for method in ("GET", "DELETE"):
        assert problem(await client.request(method, path, headers=token), 422)["code"] == "invalid_external_id"
    mutation = """mutation($p: UUID!, $e: String!) {
        withdrawPartnerMentor(partnerId: $p, externalId: $e) { __typename ... on Problem { code } } }"""
    response = await client.post(
        "/graphql", json={"query": mutation, "variables": {"p": partner["id"], "e": NUL}}, headers=token
    )
    assert response.status_code == 200, response.text
    assert response.json()["data"]["withdrawPartnerMentor"] == {"__typename": "Problem", "code": "invalid_external_id"}
