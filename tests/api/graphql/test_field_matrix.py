"""The authorization matrix of GraphQL: every Query and Mutation field, for every role.

The same roles and world as tests/api/test_route_matrix.py (see ``route_matrix_world``); the
outcomes read as GraphQL answers them:

- ``401``: the anonymous caller: /graphql authenticates the request before any field runs,
  so the HTTP answer is 401 with ``WWW-Authenticate: Bearer``.
- ``allow``: the field answers data; a mutation may answer a Problem for a state or a rule
  (409, 422), never one of 401, 403 or 404, nor a malformed argument.
- ``deny``: a mutation answers its Problem with ``httpStatus`` 403 and a ``code``; a query
  field reports an error whose ``extensions`` carry status 403 and a code.
- ``hidden``: the field is null, or a Problem (or an error) with status 404. Queries for one
  object answer null for what the caller may not see, hidden or refused alike (``_or_none``
  in app/api/graphql/queries.py), so a member asking for a matching run gets null where REST
  answers 403.

Partner fields mirror REST's /v1/partners rows. A partner network belongs to no organization:
fields naming only a partner are asked by another partner network instead of by strangers
(``test_another_partner_finds_none_of_its_pool``), as in the REST matrix.

A field the schema has and ``FIELD_MATRIX`` does not classify fails ``test_every_field_is_classified``,
with the lines to paste; each field needs its call in ``CALLS`` as well.
"""

from __future__ import annotations

from string import Template
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from graphql import build_schema

from app.api.graphql.schema import schema
from tests.api import route_matrix_world as w
from tests.api.route_matrix_world import OTHER_PARTNER, ROLES, STRANGERS, Ids, World

OUTCOMES = {"401", "allow", "deny", "hidden"}
MALFORMED = {"validation_failed"}

# columns: anonymous platform_admin org_admin program_manager member partner
FIELD_MATRIX: dict[str, str] = {
    "Query.me": "401 allow allow allow allow allow",
    "Query.person": "401 hidden allow allow allow hidden",
    "Query.people": "401 deny allow allow allow deny",
    "Query.availability": "401 hidden allow allow allow hidden",
    # the member asks for their mentor's export: null where REST answers 403
    "Query.personExport": "401 hidden allow allow hidden hidden",
    "Query.organization": "401 allow allow allow allow hidden",
    "Query.organizations": "401 allow allow allow allow deny",
    "Query.ssoSettings": "401 allow allow hidden hidden hidden",
    "Query.program": "401 hidden allow allow allow hidden",
    "Query.programs": "401 deny allow allow allow deny",
    "Query.enrollments": "401 hidden allow allow allow hidden",
    "Query.enrollment": "401 hidden allow allow allow hidden",
    "Query.tandems": "401 hidden allow allow allow hidden",
    "Query.matchingPolicy": "401 hidden allow allow allow hidden",
    "Query.matchingRun": "401 hidden allow allow hidden hidden",
    "Query.matchingRuns": "401 hidden allow allow deny hidden",
    "Query.rematchCandidates": "401 hidden allow allow deny hidden",
    "Query.suggestions": "401 hidden allow allow allow hidden",
    "Query.tandem": "401 hidden allow allow allow hidden",
    "Query.tandemHistory": "401 hidden allow allow allow hidden",
    "Query.goals": "401 hidden allow allow allow hidden",
    "Query.goal": "401 hidden allow allow allow hidden",
    "Query.sessions": "401 hidden allow allow allow hidden",
    "Query.session": "401 hidden allow allow allow hidden",
    "Query.slotSuggestions": "401 hidden allow allow allow hidden",
    # partner networks as REST's /v1/partners rows, but a member asking for one partner gets null (REST: 403)
    "Query.partners": "401 allow allow allow deny allow",
    "Query.partner": "401 allow allow allow hidden allow",
    "Query.partnerMentors": "401 allow deny deny deny allow",
    "Query.partnerMentor": "401 allow hidden hidden hidden allow",
    "Query.partnerGrant": "401 allow allow allow hidden hidden",
    "Query.events": "401 deny allow allow deny allow",
    "Query.auditEvents": "401 deny allow deny deny deny",
    # webhooks as REST's /v1/webhook-endpoints rows: an organization's admins manage its endpoints, a
    # partner (webhooks:manage) its own, so the world's endpoint (organization A's) is hidden from it
    "Query.webhookEndpoints": "401 deny allow deny deny allow",
    "Query.webhookEndpoint": "401 hidden allow hidden hidden hidden",
    "Query.webhookDeliveries": "401 hidden allow deny deny hidden",
    # a member asking for a program's insights gets null (REST: 403)
    "Query.programInsights": "401 hidden allow allow hidden hidden",
    "Query.programReport": "401 hidden allow allow hidden hidden",
    # calendar links as REST's /v1/people/{id}/calendar-links rows: the person (here the member's
    # mentor: not the member) and managers
    "Query.calendarLinks": "401 hidden allow allow deny hidden",
    "Mutation.createOrganization": "401 allow deny deny deny deny",
    "Mutation.updateOrganization": "401 allow allow deny deny hidden",
    "Mutation.configureSso": "401 allow allow deny deny hidden",
    "Mutation.createPerson": "401 deny allow allow deny deny",
    "Mutation.updatePerson": "401 hidden allow allow deny hidden",
    "Mutation.erasePerson": "401 hidden allow allow deny hidden",
    "Mutation.setAvailability": "401 hidden allow allow deny hidden",
    "Mutation.createProgram": "401 deny allow allow deny deny",
    "Mutation.updateProgram": "401 hidden allow allow deny hidden",
    "Mutation.openEnrollment": "401 hidden allow allow deny hidden",
    "Mutation.startMatching": "401 hidden allow allow deny hidden",
    "Mutation.launchProgram": "401 hidden allow allow deny hidden",
    "Mutation.completeProgram": "401 hidden allow allow deny hidden",
    "Mutation.cancelProgram": "401 hidden allow allow deny hidden",
    "Mutation.enroll": "401 hidden allow allow allow hidden",
    "Mutation.updateEnrollment": "401 hidden allow allow allow hidden",
    "Mutation.withdrawEnrollment": "401 hidden allow allow allow hidden",
    "Mutation.setPreference": "401 hidden deny deny allow hidden",
    "Mutation.proposeTandem": "401 hidden allow allow deny hidden",
    "Mutation.acceptTandem": "401 hidden deny deny allow hidden",
    "Mutation.declineTandem": "401 hidden deny deny allow hidden",
    "Mutation.pauseTandem": "401 hidden allow allow allow hidden",
    "Mutation.resumeTandem": "401 hidden allow allow allow hidden",
    "Mutation.completeTandem": "401 hidden allow allow allow hidden",
    "Mutation.dissolveTandem": "401 hidden allow allow allow hidden",
    "Mutation.answerFitCheck": "401 hidden deny deny allow hidden",
    "Mutation.addGoal": "401 hidden allow allow allow hidden",
    "Mutation.updateGoal": "401 hidden allow allow allow hidden",
    "Mutation.scheduleSession": "401 hidden allow allow allow hidden",
    "Mutation.rescheduleSession": "401 hidden allow allow allow hidden",
    "Mutation.holdSession": "401 hidden allow allow allow hidden",
    "Mutation.cancelSession": "401 hidden allow allow allow hidden",
    "Mutation.missSession": "401 hidden allow allow allow hidden",
    "Mutation.giveFeedback": "401 hidden deny deny allow hidden",
    "Mutation.setMatchingPolicy": "401 hidden allow allow deny hidden",
    "Mutation.startMatchingRun": "401 hidden allow allow deny hidden",
    "Mutation.acceptMatchingRun": "401 hidden allow allow deny hidden",
    "Mutation.createPartner": "401 allow deny deny deny deny",
    "Mutation.rotatePartnerSecret": "401 allow deny deny deny deny",
    "Mutation.grantPartnerAccess": "401 allow allow deny deny hidden",
    "Mutation.revokePartnerAccess": "401 allow allow deny deny hidden",
    "Mutation.syncPartnerMentors": "401 deny deny deny deny allow",
    "Mutation.withdrawPartnerMentor": "401 deny deny deny deny allow",
    "Mutation.createWebhookEndpoint": "401 deny allow deny deny allow",
    "Mutation.updateWebhookEndpoint": "401 hidden allow deny deny hidden",
    "Mutation.deleteWebhookEndpoint": "401 hidden allow deny deny hidden",
    "Mutation.rotateWebhookSecret": "401 hidden allow deny deny hidden",
    "Mutation.testWebhookEndpoint": "401 hidden allow deny deny hidden",
    "Mutation.redeliverWebhook": "401 hidden allow deny deny hidden",
    "Mutation.createCalendarLink": "401 hidden allow allow deny hidden",
    "Mutation.revokeCalendarLink": "401 hidden allow allow deny hidden",
}

# each field called with the world's objects ($name: an id of route_matrix_world), minimal valid arguments
CALLS: dict[str, str] = {
    "Query.me": "me",
    "Query.person": 'person(id: "$person_id")',
    "Query.people": "people",
    "Query.availability": 'availability(personId: "$person_id")',
    "Query.personExport": 'personExport(id: "$person_id")',
    "Query.organization": 'organization(id: "$org_id")',
    "Query.organizations": "organizations",
    "Query.ssoSettings": 'ssoSettings(orgId: "$org_id")',
    "Query.program": 'program(id: "$program_id")',
    "Query.programs": "programs",
    "Query.enrollments": 'enrollments(programId: "$program_id")',
    "Query.enrollment": 'enrollment(programId: "$program_id", id: "$enrollment_id")',
    "Query.tandems": 'tandems(programId: "$program_id")',
    "Query.matchingPolicy": 'matchingPolicy(programId: "$program_id")',
    "Query.matchingRun": 'matchingRun(programId: "$program_id", id: "$run_id")',
    "Query.matchingRuns": 'matchingRuns(programId: "$program_id")',
    "Query.rematchCandidates": 'rematchCandidates(programId: "$program_id")',
    "Query.suggestions": 'suggestions(programId: "$program_id", enrollmentId: "$enrollment_id")',
    "Query.tandem": 'tandem(id: "$tandem_id")',
    "Query.tandemHistory": 'tandemHistory(tandemId: "$tandem_id")',
    "Query.goals": 'goals(tandemId: "$tandem_id")',
    "Query.goal": 'goal(id: "$goal_id")',
    "Query.sessions": 'sessions(tandemId: "$tandem_id")',
    "Query.session": 'session(id: "$session_id")',
    "Query.slotSuggestions": 'slotSuggestions(tandemId: "$tandem_id")',
    "Mutation.createOrganization": 'createOrganization(name: "Matrix Org", slug: "$unique_slug")',
    "Mutation.updateOrganization": 'updateOrganization(id: "$org_id", name: "Matrix Org A")',
    "Mutation.configureSso": 'configureSso(orgId: "$org_id", sso: {issuer: "https://idp.example.com", '
    'clientId: "tandem", clientSecret: "matrix-secret"})',
    "Mutation.createPerson": 'createPerson(person: {displayName: "Matrix Person", birthYear: 1990})',
    "Mutation.updatePerson": 'updatePerson(id: "$person_id", changes: {bio: "edited by the field matrix"})',
    "Mutation.erasePerson": 'erasePerson(id: "$person_id")',
    "Mutation.setAvailability": 'setAvailability(personId: "$person_id", '
    'windows: [{weekday: 0, start: "09:00", end: "17:00"}])',
    "Mutation.createProgram": 'createProgram(title: "Matrix program", startsOn: "$starts_on", endsOn: "$ends_on")',
    "Mutation.updateProgram": 'updateProgram(id: "$program_id", changes: {description: "edited"})',
    "Mutation.openEnrollment": 'openEnrollment(id: "$program_id")',
    "Mutation.startMatching": 'startMatching(id: "$program_id")',
    "Mutation.launchProgram": 'launchProgram(id: "$program_id")',
    "Mutation.completeProgram": 'completeProgram(id: "$program_id")',
    "Mutation.cancelProgram": 'cancelProgram(id: "$program_id")',
    # the member enrolls themself; already enrolled, the allowed roles get a 409 Problem
    "Mutation.enroll": 'enroll(programId: "$program_id", enrollment: {personId: "$member_person_id", role: MENTEE})',
    "Mutation.updateEnrollment": 'updateEnrollment(programId: "$program_id", id: "$enrollment_id", '
    'changes: {keyQuestions: ["How does TikTok work?"]})',
    "Mutation.withdrawEnrollment": 'withdrawEnrollment(programId: "$program_id", id: "$enrollment_id")',
    "Mutation.setPreference": 'setPreference(programId: "$program_id", enrollmentId: "$enrollment_id", '
    'candidateEnrollmentId: "$candidate_enrollment_id", choice: LIKE)',
    # the world's pair already has its tandem: the allowed roles get a 409 Problem
    "Mutation.proposeTandem": 'proposeTandem(programId: "$program_id", tandem: '
    '{mentorEnrollmentId: "$mentor_enrollment_id", menteeEnrollmentId: "$mentee_enrollment_id"})',
    "Mutation.acceptTandem": 'acceptTandem(id: "$tandem_id")',
    "Mutation.declineTandem": 'declineTandem(id: "$tandem_id")',
    "Mutation.pauseTandem": 'pauseTandem(id: "$tandem_id")',
    "Mutation.resumeTandem": 'resumeTandem(id: "$tandem_id")',
    "Mutation.completeTandem": 'completeTandem(id: "$tandem_id")',
    "Mutation.dissolveTandem": 'dissolveTandem(id: "$tandem_id", reason: "field matrix", neverPairAgain: false)',
    "Mutation.answerFitCheck": 'answerFitCheck(id: "$tandem_id", fits: true)',
    "Mutation.addGoal": 'addGoal(tandemId: "$tandem_id", title: "Learn short video")',
    "Mutation.updateGoal": 'updateGoal(id: "$goal_id", description: "edited by the field matrix")',
    "Mutation.scheduleSession": 'scheduleSession(tandemId: "$tandem_id", '
    'session: {startsAt: "$yesterday", durationMinutes: 60, format: PHONE})',
    "Mutation.rescheduleSession": 'rescheduleSession(id: "$session_id", changes: {agenda: "edited"})',
    "Mutation.holdSession": 'holdSession(id: "$session_id")',
    "Mutation.cancelSession": 'cancelSession(id: "$session_id")',
    "Mutation.missSession": 'missSession(id: "$session_id")',
    "Mutation.giveFeedback": 'giveFeedback(sessionId: "$session_id", feedback: {rating: 5, learned: "reels"})',
    "Mutation.setMatchingPolicy": 'setMatchingPolicy(programId: "$program_id", policy: {})',
    "Mutation.startMatchingRun": 'startMatchingRun(programId: "$program_id")',
    "Mutation.acceptMatchingRun": 'acceptMatchingRun(programId: "$program_id", runId: "$run_id")',
    "Query.partners": "partners",
    "Query.partner": 'partner(id: "$partner_id")',
    "Query.partnerMentors": 'partnerMentors(partnerId: "$partner_id")',
    "Query.partnerMentor": 'partnerMentor(partnerId: "$partner_id", externalId: "$external_id")',
    "Query.partnerGrant": 'partnerGrant(orgId: "$org_id", partnerId: "$partner_id")',
    "Query.events": "events",
    "Query.auditEvents": "auditEvents",
    "Query.programInsights": 'programInsights(programId: "$program_id")',
    "Query.programReport": 'programReport(programId: "$program_id")',
    "Query.calendarLinks": 'calendarLinks(personId: "$person_id")',
    "Mutation.createPartner": 'createPartner(name: "Matrix partner $unique_slug")',
    "Mutation.rotatePartnerSecret": 'rotatePartnerSecret(id: "$partner_id")',
    # the world's partner already granted: the allowed roles get the grant again, unchanged
    "Mutation.grantPartnerAccess": 'grantPartnerAccess(orgId: "$org_id", partnerId: "$partner_id")',
    "Mutation.revokePartnerAccess": 'revokePartnerAccess(orgId: "$org_id", partnerId: "$partner_id")',
    "Mutation.syncPartnerMentors": 'syncPartnerMentors(partnerId: "$partner_id", '
    'items: [{externalId: "$external_id", displayName: "Mia Pool", birthYear: 1999}])',
    "Mutation.withdrawPartnerMentor": 'withdrawPartnerMentor(partnerId: "$partner_id", externalId: "$external_id")',
    "Query.webhookEndpoints": "webhookEndpoints",
    "Query.webhookEndpoint": 'webhookEndpoint(id: "$endpoint_id")',
    "Query.webhookDeliveries": 'webhookDeliveries(endpointId: "$endpoint_id")',
    "Mutation.createWebhookEndpoint": 'createWebhookEndpoint(url: "http://127.0.0.1:9/matrix")',
    "Mutation.updateWebhookEndpoint": 'updateWebhookEndpoint(id: "$endpoint_id", description: "edited by the matrix")',
    "Mutation.deleteWebhookEndpoint": 'deleteWebhookEndpoint(id: "$endpoint_id")',
    "Mutation.rotateWebhookSecret": 'rotateWebhookSecret(id: "$endpoint_id")',
    "Mutation.testWebhookEndpoint": 'testWebhookEndpoint(id: "$endpoint_id")',
    # the world's ping is still pending: the allowed roles get a 409 Problem
    "Mutation.redeliverWebhook": 'redeliverWebhook(deliveryId: "$delivery_id")',
    "Mutation.createCalendarLink": 'createCalendarLink(personId: "$person_id")',
    "Mutation.revokeCalendarLink": 'revokeCalendarLink(personId: "$person_id", linkId: "$link_id")',
}

FRESH: dict[str, w.Fresh] = {
    "Mutation.erasePerson": w.fresh_person,
    "Mutation.withdrawEnrollment": w.fresh_enrollment,
    **{
        f"Mutation.{name}": w.fresh_draft_program
        for name in ("openEnrollment", "startMatching", "launchProgram", "completeProgram", "cancelProgram")
    },
    "Mutation.acceptTandem": w.fresh_proposed_tandem,
    "Mutation.declineTandem": w.fresh_proposed_tandem,
    **{f"Mutation.{name}": w.fresh_active_tandem for name in ("pauseTandem", "completeTandem", "dissolveTandem")},
    "Mutation.resumeTandem": w.fresh_paused_tandem,
    **{f"Mutation.{name}": w.fresh_session for name in ("holdSession", "cancelSession", "missSession")},
    "Mutation.giveFeedback": w.fresh_held_session,
    "Mutation.withdrawPartnerMentor": w.fresh_pool_mentor,
    "Mutation.revokePartnerAccess": w.fresh_granted_partner,
    "Mutation.rotatePartnerSecret": w.fresh_granted_partner,
    "Mutation.deleteWebhookEndpoint": w.fresh_webhook_endpoint,
    "Mutation.revokeCalendarLink": w.fresh_calendar_link,
}

# fields naming a partner network but no organization's object: a partner belongs to no
# organization, so strangers are not asked (test_another_partner_finds_none_of_its_pool instead)
PARTNER_FIELDS = [field for field, call in CALLS.items() if "$partner_id" in call and "$org_id" not in call]
# partner fields another partner may be refused (403) on, rather than not find
CROSS_PARTNER_EXEMPT: dict[str, str] = {
    "Mutation.rotatePartnerSecret": "platform admins only: every other caller gets 403",
}

# cells where the app departs from API.md; strict xfail: once fixed, they fail until removed here.
# Empty: the role checks now come after the tenant lookup, so strangers get 404 everywhere.
KNOWN_DEVIATIONS: dict[tuple[str, str], str] = {}


def schema_fields() -> set[str]:
    """``Query.name`` and ``Mutation.name`` of every field of the schema as served."""
    served = build_schema(schema.as_str())
    roots = [("Query", served.query_type), ("Mutation", served.mutation_type)]
    return {f"{root}.{name}" for root, kind in roots if kind is not None for name in kind.fields}


def outcomes(field: str) -> dict[str, str]:
    return dict(zip(ROLES, FIELD_MATRIX[field].split(), strict=True))


def test_every_field_is_classified() -> None:
    fields = schema_fields()
    unclassified = sorted(fields - FIELD_MATRIX.keys())
    stale = sorted(FIELD_MATRIX.keys() - fields)
    message = []
    if unclassified:
        message += [
            f"{len(unclassified)} field(s) of the schema are not in FIELD_MATRIX; paste these lines, replace each "
            f"? by 401/allow/deny/hidden (columns: {' '.join(ROLES)}) and add the field's call to CALLS:",
            *[f'    "{field}": "401 ? ? ? ? ?",' for field in unclassified],
        ]
    if stale:
        message += ["FIELD_MATRIX classifies field(s) the schema no longer has; remove:", *map(repr, stale)]
    assert not message, "\n".join(message)


def test_every_cell_names_a_known_outcome_and_every_field_a_call() -> None:
    for field, row in FIELD_MATRIX.items():
        cells = row.split()
        assert len(cells) == len(ROLES), f"{field}: one outcome per role ({' '.join(ROLES)}), not {row!r}"
        assert set(cells) <= OUTCOMES and cells[0] == "401", f"{field}: outcomes are {sorted(OUTCOMES)}: {row!r}"
        assert "401" not in cells[1:], f"{field}: only anonymous callers get 401"
    assert FIELD_MATRIX.keys() == CALLS.keys(), "every classified field needs its call, and only those"
    assert not (FRESH.keys() | {field for field, _ in KNOWN_DEVIATIONS}) - FIELD_MATRIX.keys()
    assert not CROSS_PARTNER_EXEMPT.keys() - set(PARTNER_FIELDS)


# running the cells ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
async def world(app: FastAPI, engine: Any) -> World:
    return await w.build_world(w.uow_factory_of(engine, app.state.secret_box), app.state.jobs)


async def ask(client: httpx.AsyncClient, world: World, field: str, who: str, headers: dict[str, str]) -> httpx.Response:
    """The field's one-field document as ``who``; fresh objects where the call changes state for good."""
    ids: Ids = dict(world.ids)
    if field in FRESH:
        ids |= await world.fresh((field, who), FRESH[field])
    starts_on, ends_on = w.program_period()
    ids |= {"unique_slug": w.unique_slug(), "starts_on": starts_on, "ends_on": ends_on, "yesterday": w.yesterday()}
    root, _ = field.split(".")
    selection = "{ __typename ... on Problem { code httpStatus } }" if root == "Mutation" else "{ __typename }"
    document = f"{root.lower()} {{ {Template(CALLS[field]).substitute(ids)} {selection} }}"
    return await client.post("/graphql", json={"query": document}, headers=headers)


def check(response: httpx.Response, field: str, expected: str, context: str) -> None:
    detail = f"{context}: expected {expected}, got {response.status_code} {response.text[:500]}"
    if expected == "401":
        assert response.status_code == 401, detail
        assert response.headers.get("www-authenticate", "").lower().startswith("bearer"), detail
        return
    assert response.status_code == 200, detail
    body = response.json()
    value = (body.get("data") or {}).get(field.split(".")[1])
    statuses = [error.get("extensions", {}).get("status") for error in body.get("errors") or []]
    codes = [error.get("extensions", {}).get("code") for error in body.get("errors") or []]
    problem = value if isinstance(value, dict) and value.get("__typename") == "Problem" else None
    if expected == "allow":
        assert value is not None and not statuses and not body.get("errors"), detail
        if problem is not None:
            assert problem["httpStatus"] not in (401, 403, 404) and problem["httpStatus"] < 500, detail
            assert problem["code"] not in MALFORMED, detail
    elif expected == "deny":
        if problem is not None:
            assert problem["httpStatus"] == 403 and problem["code"], detail
        else:
            assert statuses == [403] and all(codes), detail
    else:
        if problem is not None:
            assert problem["httpStatus"] == 404 and problem["code"], detail
        elif statuses:
            assert statuses == [404] and all(codes), detail
        else:
            assert value is None and not body.get("errors"), detail


def _cell(field: str, who: str) -> Any:
    reason = KNOWN_DEVIATIONS.get((field, who))
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(field, who, id=f"{field} as {who}", marks=marks)


@pytest.mark.parametrize(("field", "role"), [_cell(field, role) for field in FIELD_MATRIX for role in ROLES])
async def test_each_role_gets_its_classified_outcome(
    field: str, role: str, world: World, client: httpx.AsyncClient, bearer: Any
) -> None:
    caller = world.callers[role]
    response = await ask(client, world, field, role, {} if caller is None else bearer(caller))
    check(response, field, outcomes(field)[role], f"{field} as {role}")


def _names_an_object(field: str) -> bool:
    """Fields whose arguments name an object of organization A (ids, not only new values)."""
    call = CALLS[field]
    return "_id" in call and "unique_slug" not in call and field not in PARTNER_FIELDS


@pytest.mark.parametrize(
    ("field", "stranger"),
    [_cell(field, stranger) for field in FIELD_MATRIX if _names_an_object(field) for stranger in STRANGERS],
)
async def test_another_organization_finds_none_of_its_objects(
    field: str, stranger: str, world: World, client: httpx.AsyncClient, bearer: Any
) -> None:
    response = await ask(client, world, field, stranger, bearer(world.callers[stranger]))
    check(response, field, "hidden", f"{field} as {stranger} (another organization)")


@pytest.mark.parametrize(
    "field",
    [
        pytest.param(field, id=f"{field} as {OTHER_PARTNER}")
        for field in PARTNER_FIELDS
        if field not in CROSS_PARTNER_EXEMPT
    ],
)
async def test_another_partner_finds_none_of_its_pool(
    field: str, world: World, client: httpx.AsyncClient, bearer: Any
) -> None:
    response = await ask(client, world, field, OTHER_PARTNER, bearer(world.callers[OTHER_PARTNER]))
    check(response, field, "hidden", f"{field} as {OTHER_PARTNER} (another partner network)")
