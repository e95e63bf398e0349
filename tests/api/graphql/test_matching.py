"""Matching through GraphQL only: a program is matched, reviewed and accepted; roles and tenants."""

from __future__ import annotations

from typing import Any

from tests.api.graphql.commands import PROBLEM, mutate, ok, refused, rest
from tests.api.graphql.helpers import data
from tests.api.test_matching_runs import _work, _world
from tests.factories import member, new_org

COMPONENTS = "components { topicFit sharedInterests contrast formatPlace mutualLike }"
RUN = f"""id programId status progress error pinned {{ mentorEnrollmentId menteeEnrollmentId }}
  proposals {{ index mentorEnrollmentId menteeEnrollmentId score {COMPONENTS} explanation pinned accepted }}
  unmatched {{ enrollmentId personId role reason }}"""

START = f"""mutation($programId: UUID!, $pinned: [PinInput!]) {{
  startMatchingRun(programId: $programId, pinned: $pinned) {{
    __typename ... on MatchingRun {{ {RUN} }} {PROBLEM} }} }}"""
ACCEPT = f"""mutation($programId: UUID!, $runId: UUID!, $proposals: [Int!]) {{
  acceptMatchingRun(programId: $programId, runId: $runId, proposals: $proposals) {{
    __typename ... on AcceptedRun {{ tandemIds run {{ {RUN} }} }} {PROBLEM} }} }}"""
POLICY = f"""mutation($programId: UUID!, $policy: MatchingPolicyInput!, $v: Int) {{
  setMatchingPolicy(programId: $programId, policy: $policy, expectedVersion: $v) {{
    __typename ... on MatchingPolicy {{ programId version objective selfMatching proposalExpiryDays
      weights {{ topicFit sharedInterests contrast formatPlace mutualLike }} }} {PROBLEM} }} }}"""
RUN_QUERY = f"""query($programId: UUID!, $id: UUID!) {{ matchingRun(programId: $programId, id: $id) {{ {RUN} }} }}"""
SUGGESTIONS = f"""query($programId: UUID!, $enrollmentId: UUID!, $limit: Int! = 20) {{
  suggestions(programId: $programId, enrollmentId: $enrollmentId, limit: $limit) {{
    enrollmentId personId displayName role score {COMPONENTS} explanation feasible blockedBy }} }}"""


async def test_a_program_is_matched_reviewed_and_accepted(client, bearer, uow_factory, database_url) -> None:
    world = await _world(uow_factory)
    headers, pid = bearer(world["manager"]), str(world["program"].id)

    queued = ok(await mutate(client, headers, START, programId=pid), "MatchingRun")
    assert (queued["status"], queued["progress"], queued["proposals"]) == ("QUEUED", 0, [])
    await _work(database_url)

    run = (await data(client, headers, RUN_QUERY, programId=pid, id=queued["id"]))["matchingRun"]
    assert (run["status"], run["progress"], run["error"]) == ("COMPLETED", 100, None)
    assert {(p["mentorEnrollmentId"], p["menteeEnrollmentId"]) for p in run["proposals"]} == {
        (str(world["mentor_e"].id), str(world["mentee_e"].id)),
        (str(world["mentor2_e"].id), str(world["mentee2_e"].id)),
    }
    for proposal in run["proposals"]:
        assert proposal["explanation"].startswith("score ") and 0 <= proposal["score"] <= 1
        assert all(0 <= value <= 1 for value in proposal["components"].values())
        assert (proposal["accepted"], proposal["pinned"]) == (False, False)
    assert [(u["enrollmentId"], u["role"], u["reason"]) for u in run["unmatched"]] == [
        (str(world["loner_e"].id), "MENTEE", "no feasible partner")
    ]
    same = await rest(client, headers, f"/v1/programs/{pid}/matching-runs/{run['id']}")
    assert [p["explanation"] for p in same["proposals"]] == [p["explanation"] for p in run["proposals"]]

    accepted = ok(await mutate(client, headers, ACCEPT, programId=pid, runId=run["id"]), "AcceptedRun")
    assert len(accepted["tandemIds"]) == 2 and all(p["accepted"] for p in accepted["run"]["proposals"])
    tandems = (await rest(client, headers, f"/v1/programs/{pid}/tandems"))["items"]
    assert {t["id"] for t in tandems} == set(accepted["tandemIds"])
    assert {(t["mentor_enrollment_id"], t["mentee_enrollment_id"], t["status"]) for t in tandems} == {
        (p["mentorEnrollmentId"], p["menteeEnrollmentId"], "proposed") for p in run["proposals"]
    }
    again = await mutate(client, headers, ACCEPT, programId=pid, runId=run["id"], proposals=[1])
    refused(again, 409, "mentee_already_paired")
    refused(await mutate(client, headers, ACCEPT, programId=pid, runId=run["id"], proposals=[7]), 422)


async def test_pinned_pairs_policy_and_suggestions(client, bearer, uow_factory, database_url) -> None:
    world = await _world(uow_factory)
    headers, pid = bearer(world["manager"]), str(world["program"].id)
    policy = {"weights": {"topicFit": 8}, "objective": "MAX_PARTICIPATION", "proposalExpiryDays": 7}
    stored = ok(await mutate(client, headers, POLICY, programId=pid, policy=policy), "MatchingPolicy")
    assert (stored["objective"], stored["proposalExpiryDays"], stored["weights"]["topicFit"]) == (
        "MAX_PARTICIPATION",
        7,
        8.0,
    )
    assert stored["weights"]["contrast"] == 3.0 and stored["selfMatching"] is False
    read = await rest(client, headers, f"/v1/programs/{pid}/matching-policy")
    assert read["objective"] == "max_participation" and read["weights"]["topic_fit"] == 8.0
    refused(await mutate(client, headers, POLICY, programId=pid, policy={}, v=1), 412, "version_mismatch")
    bad = refused(await mutate(client, headers, POLICY, programId=pid, policy={"proposalExpiryDays": 0}), 422)
    assert bad["field"] == "policy.proposalExpiryDays"

    pin = {"mentorEnrollmentId": str(world["mentor2_e"].id), "menteeEnrollmentId": str(world["mentee_e"].id)}
    queued = ok(await mutate(client, headers, START, programId=pid, pinned=[pin]), "MatchingRun")
    await _work(database_url)
    run = (await data(client, headers, RUN_QUERY, programId=pid, id=queued["id"]))["matchingRun"]
    assert run["status"] == "COMPLETED" and run["pinned"] == [pin]
    assert [(p["mentorEnrollmentId"], p["menteeEnrollmentId"]) for p in run["proposals"] if p["pinned"]] == [
        (pin["mentorEnrollmentId"], pin["menteeEnrollmentId"])
    ]

    mentee = bearer(member(world["mentee"]))
    own = await data(client, mentee, SUGGESTIONS, programId=pid, enrollmentId=str(world["mentee_e"].id))
    ranked = own["suggestions"]
    assert ranked and ranked[0]["enrollmentId"] == str(world["mentor_e"].id) and ranked[0]["feasible"] is True
    assert ranked[0]["role"] == "MENTOR" and ranked[0]["explanation"].startswith("score ")
    rest_ranked = await rest(client, mentee, f"/v1/programs/{pid}/enrollments/{world['mentee_e'].id}/suggestions")
    assert [s["enrollment_id"] for s in rest_ranked["items"]] == [s["enrollmentId"] for s in ranked]
    one = await data(client, headers, SUGGESTIONS, programId=pid, enrollmentId=str(world["mentee_e"].id), limit=1)
    assert len(one["suggestions"]) == 1


async def test_roles_and_tenants_are_problems(client, bearer, uow_factory, database_url) -> None:
    world = await _world(uow_factory)
    headers, pid = bearer(world["manager"]), str(world["program"].id)
    mentee = bearer(member(world["mentee"]))
    _, stranger = await new_org(uow_factory)
    stranger_headers = bearer(stranger)

    refused(await mutate(client, mentee, START, programId=pid), 403)
    refused(await mutate(client, stranger_headers, START, programId=pid), 404)
    refused(await mutate(client, mentee, POLICY, programId=pid, policy={}), 403)
    refused(await mutate(client, stranger_headers, POLICY, programId=pid, policy={}), 404)

    queued = ok(await mutate(client, headers, START, programId=pid), "MatchingRun")
    await _work(database_url)
    refused(await mutate(client, mentee, ACCEPT, programId=pid, runId=queued["id"]), 403)
    refused(await mutate(client, stranger_headers, ACCEPT, programId=pid, runId=queued["id"]), 404)
    for caller in (mentee, stranger_headers):
        assert (await data(client, caller, RUN_QUERY, programId=pid, id=queued["id"]))["matchingRun"] is None

    others = await _suggestion_errors(client, mentee, pid, str(world["mentee2_e"].id))
    assert others == ["not_your_enrollment"]
    tandems = (await rest(client, headers, f"/v1/programs/{pid}/tandems"))["items"]
    assert tandems == []  # nothing was accepted by the refused callers


async def _suggestion_errors(client: Any, headers: dict[str, str], pid: str, enrollment_id: str) -> list[str]:
    response = await client.post(
        "/graphql",
        json={"query": SUGGESTIONS, "variables": {"programId": pid, "enrollmentId": enrollment_id}},
        headers=headers,
    )
    body = response.json()
    return [error["extensions"]["code"] for error in body["errors"]]
