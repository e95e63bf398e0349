"""The authorization matrix of the REST API: every route the app registers, for every role.

Each route is classified for each role (columns in ``ROLES`` order):

- ``public``: no token needed. Any caller gets an answer that is neither 401 nor 403 (nor 5xx);
  what it is past authentication (a 404 for an organization without SSO, a 400 for an unknown
  refresh token) is the route's own business.
- ``401``: the anonymous caller of a protected route: 401 with ``WWW-Authenticate: Bearer``.
- ``allow``: neither 401 nor 403, nor 404 (the world holds every object the path names) nor 5xx.
  A state machine's 409 or a rule's 422 counts: the role got past authorization.
- ``deny``: exactly 403, a problem document with a ``code``: the role may not do this.
- ``hidden``: exactly 404, a problem document: the object is not there for the caller (platform
  admins and partners look up no organization's objects: ``app.services.authz.scope_of``).

A route the app registers but the table does not classify fails ``test_every_route_is_classified``
(with the lines to paste); so does a classified route that is gone. Bodies (``BODIES``) are
minimal and valid, so that a refusal is a 403 and not a 422 (an ``allow`` cell answering
validation_failed fails). Calls that change state for good run on fresh objects, one set per cell
(``FRESH``). The world: see ``route_matrix_world``. The matrix's member is a participant of the
world's tandem; a member outside the tandem (403) is covered where tandem_world.strangers is used.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from starlette.routing import Mount, Route, WebSocketRoute

from tests.api import route_matrix_world as w
from tests.api.route_matrix_world import OTHER_PARTNER, ROLES, STRANGERS, Ids, World

RouteKey = tuple[str, str]
OUTCOMES = {"public", "401", "allow", "deny", "hidden", "closed"}  # closed: a socket refused after the handshake
PROBLEM_JSON = "application/problem+json"
MALFORMED = {"validation_failed", "malformed_json"}

# columns:            anonymous platform_admin org_admin program_manager member partner
PUBLIC = "public public public public public public"
SCIM_ONLY = "401 401 401 401 401 401"

ROUTE_MATRIX: dict[RouteKey, str] = {
    # operations, documentation and keys
    ("GET", "/healthz"): PUBLIC,
    ("GET", "/readyz"): PUBLIC,
    ("GET", "/metrics"): PUBLIC,  # kept on a private network, or guarded by TANDEM_METRICS_TOKEN
    ("GET", "/openapi.json"): PUBLIC,
    ("GET", "/docs"): PUBLIC,
    ("GET", "/static"): PUBLIC,  # the pages' scripts and styles
    ("GET", "/static/api-reference"): PUBLIC,
    ("GET", "/static/graphiql"): PUBLIC,
    ("GET", "/.well-known/jwks.json"): PUBLIC,
    # identity: signing in needs no token; signing out ends the token's sign-in, and the
    # matrix's tokens (like operator and partner tokens) belong to none: 403 no_signin for all
    ("GET", "/auth/{org_slug}/login"): PUBLIC,
    ("GET", "/auth/{org_slug}/callback"): PUBLIC,
    ("POST", "/auth/{org_slug}/backchannel-logout"): PUBLIC,  # the provider's call, proven by its signature
    ("POST", "/oauth/token"): PUBLIC,
    ("POST", "/oauth/revoke"): PUBLIC,
    ("POST", "/auth/logout"): "401 deny deny deny deny deny",
    ("GET", "/v1/me"): "401 allow allow allow allow allow",
    # organizations: platform admins create and see every tenant; org admins edit their own
    ("POST", "/v1/organizations"): "401 allow deny deny deny deny",
    ("GET", "/v1/organizations"): "401 allow allow allow allow deny",
    ("GET", "/v1/organizations/{org_id}"): "401 allow allow allow allow hidden",
    ("PATCH", "/v1/organizations/{org_id}"): "401 allow allow deny deny hidden",
    ("PUT", "/v1/organizations/{org_id}/sso"): "401 allow allow deny deny hidden",
    ("GET", "/v1/organizations/{org_id}/sso"): "401 allow allow deny deny hidden",
    # SCIM provisioning's bearer tokens: the organization's admins (tests/api/test_scim_tokens.py)
    ("POST", "/v1/organizations/{org_id}/scim-tokens"): "401 allow allow deny deny hidden",
    ("GET", "/v1/organizations/{org_id}/scim-tokens"): "401 allow allow deny deny hidden",
    ("DELETE", "/v1/organizations/{org_id}/scim-tokens/{token_id}"): "401 allow allow deny deny hidden",
    # people: person_id is the member's mentor, another person of the organization
    ("POST", "/v1/people"): "401 deny allow allow deny deny",
    ("GET", "/v1/people"): "401 deny allow allow allow deny",
    ("GET", "/v1/people/{person_id}"): "401 hidden allow allow allow hidden",
    ("PATCH", "/v1/people/{person_id}"): "401 hidden allow allow deny hidden",
    ("DELETE", "/v1/people/{person_id}"): "401 hidden allow allow deny hidden",
    ("GET", "/v1/people/{person_id}/export"): "401 hidden allow allow deny hidden",
    ("PUT", "/v1/people/{person_id}/availability"): "401 hidden allow allow deny hidden",
    ("GET", "/v1/people/{person_id}/availability"): "401 hidden allow allow allow hidden",
    # programs: managers run them; every member of the organization reads them
    ("POST", "/v1/programs"): "401 deny allow allow deny deny",
    ("GET", "/v1/programs"): "401 deny allow allow allow deny",
    ("GET", "/v1/programs/{program_id}"): "401 hidden allow allow allow hidden",
    ("PATCH", "/v1/programs/{program_id}"): "401 hidden allow allow deny hidden",
    ("POST", "/v1/programs/{program_id}/open-enrollment"): "401 hidden allow allow deny hidden",
    ("POST", "/v1/programs/{program_id}/start-matching"): "401 hidden allow allow deny hidden",
    ("POST", "/v1/programs/{program_id}/launch"): "401 hidden allow allow deny hidden",
    ("POST", "/v1/programs/{program_id}/complete"): "401 hidden allow allow deny hidden",
    ("POST", "/v1/programs/{program_id}/cancel"): "401 hidden allow allow deny hidden",
    # enrollments: enrollment_id is the member's own; candidate_enrollment_id their mentor's
    ("POST", "/v1/programs/{program_id}/enrollments"): "401 hidden allow allow allow hidden",
    ("GET", "/v1/programs/{program_id}/enrollments"): "401 hidden allow allow allow hidden",
    ("GET", "/v1/programs/{program_id}/enrollments/{enrollment_id}"): "401 hidden allow allow allow hidden",
    ("PATCH", "/v1/programs/{program_id}/enrollments/{enrollment_id}"): "401 hidden allow allow allow hidden",
    ("DELETE", "/v1/programs/{program_id}/enrollments/{enrollment_id}"): "401 hidden allow allow allow hidden",
    # nobody likes or passes for someone else, not even a manager
    (
        "PUT",
        "/v1/programs/{program_id}/enrollments/{enrollment_id}/preferences/{candidate_enrollment_id}",
    ): "401 hidden deny deny allow hidden",
    ("GET", "/v1/programs/{program_id}/enrollments/{enrollment_id}/suggestions"): "401 hidden allow allow allow hidden",
    # matching: everyone of the organization reads the policy; runs are for managers
    ("GET", "/v1/programs/{program_id}/matching-policy"): "401 hidden allow allow allow hidden",
    ("PUT", "/v1/programs/{program_id}/matching-policy"): "401 hidden allow allow deny hidden",
    ("POST", "/v1/programs/{program_id}/matching-runs"): "401 hidden allow allow deny hidden",
    ("GET", "/v1/programs/{program_id}/matching-runs"): "401 hidden allow allow deny hidden",
    ("GET", "/v1/programs/{program_id}/rematch-candidates"): "401 hidden allow allow deny hidden",
    ("GET", "/v1/programs/{program_id}/matching-runs/{run_id}"): "401 hidden allow allow deny hidden",
    ("POST", "/v1/programs/{program_id}/matching-runs/{run_id}/accept"): "401 hidden allow allow deny hidden",
    # tandems: managers see all of them, members their own; only a participant answers for a side
    ("POST", "/v1/programs/{program_id}/tandems"): "401 hidden allow allow deny hidden",
    ("GET", "/v1/programs/{program_id}/tandems"): "401 hidden allow allow allow hidden",
    ("GET", "/v1/tandems/{tandem_id}"): "401 hidden allow allow allow hidden",
    ("GET", "/v1/tandems/{tandem_id}/history"): "401 hidden allow allow allow hidden",
    ("GET", "/v1/tandems/{tandem_id}/slot-suggestions"): "401 hidden allow allow allow hidden",
    ("POST", "/v1/tandems/{tandem_id}/accept"): "401 hidden deny deny allow hidden",
    ("POST", "/v1/tandems/{tandem_id}/decline"): "401 hidden deny deny allow hidden",
    ("POST", "/v1/tandems/{tandem_id}/pause"): "401 hidden allow allow allow hidden",
    ("POST", "/v1/tandems/{tandem_id}/resume"): "401 hidden allow allow allow hidden",
    ("POST", "/v1/tandems/{tandem_id}/complete"): "401 hidden allow allow allow hidden",
    ("POST", "/v1/tandems/{tandem_id}/dissolve"): "401 hidden allow allow allow hidden",
    ("PUT", "/v1/tandems/{tandem_id}/fit-check"): "401 hidden deny deny allow hidden",
    # goals and sessions: whoever may see the tandem; feedback is a participant's own
    ("POST", "/v1/tandems/{tandem_id}/goals"): "401 hidden allow allow allow hidden",
    ("GET", "/v1/tandems/{tandem_id}/goals"): "401 hidden allow allow allow hidden",
    ("GET", "/v1/goals/{goal_id}"): "401 hidden allow allow allow hidden",
    ("PATCH", "/v1/goals/{goal_id}"): "401 hidden allow allow allow hidden",
    ("POST", "/v1/tandems/{tandem_id}/sessions"): "401 hidden allow allow allow hidden",
    ("GET", "/v1/tandems/{tandem_id}/sessions"): "401 hidden allow allow allow hidden",
    ("GET", "/v1/sessions/{session_id}"): "401 hidden allow allow allow hidden",
    ("PATCH", "/v1/sessions/{session_id}"): "401 hidden allow allow allow hidden",
    ("POST", "/v1/sessions/{session_id}/hold"): "401 hidden allow allow allow hidden",
    ("POST", "/v1/sessions/{session_id}/cancel"): "401 hidden allow allow allow hidden",
    ("POST", "/v1/sessions/{session_id}/miss"): "401 hidden allow allow allow hidden",
    ("PUT", "/v1/sessions/{session_id}/feedback"): "401 hidden deny deny allow hidden",
    # insights and reports: the program's managers
    ("GET", "/v1/programs/{program_id}/insights"): "401 hidden allow allow deny hidden",
    ("GET", "/v1/programs/{program_id}/report.csv"): "401 hidden allow allow deny hidden",
    ("GET", "/v1/programs/{program_id}/report.json"): "401 hidden allow allow deny hidden",
    # calendars: the person (here the member's mentor: not the member) and managers; the feed also
    # opens with a calendar link's secret instead of a bearer token (tests/api/test_calendars.py)
    ("GET", "/v1/people/{person_id}/calendar.ics"): "401 hidden allow allow deny hidden",
    ("POST", "/v1/people/{person_id}/calendar-links"): "401 hidden allow allow deny hidden",
    ("GET", "/v1/people/{person_id}/calendar-links"): "401 hidden allow allow deny hidden",
    ("DELETE", "/v1/people/{person_id}/calendar-links/{link_id}"): "401 hidden allow allow deny hidden",
    # partner networks: platform admins register them; a partner's token reaches its own pool only;
    # an organization's managers see the partners it granted, its admins grant and revoke
    ("POST", "/v1/partners"): "401 allow deny deny deny deny",
    ("GET", "/v1/partners"): "401 allow allow allow deny allow",
    ("GET", "/v1/partners/{partner_id}"): "401 allow allow allow deny allow",
    ("POST", "/v1/partners/{partner_id}/rotate-secret"): "401 allow deny deny deny deny",
    ("PUT", "/v1/partners/{partner_id}/mentors"): "401 deny deny deny deny allow",
    ("GET", "/v1/partners/{partner_id}/mentors"): "401 allow deny deny deny allow",
    ("GET", "/v1/partners/{partner_id}/mentors/{external_id:path}"): "401 allow deny deny deny allow",
    ("DELETE", "/v1/partners/{partner_id}/mentors/{external_id:path}"): "401 deny deny deny deny allow",
    ("POST", "/v1/organizations/{org_id}/partners/{partner_id}"): "401 allow allow deny deny hidden",
    ("GET", "/v1/organizations/{org_id}/partners/{partner_id}"): "401 allow allow allow deny hidden",
    ("DELETE", "/v1/organizations/{org_id}/partners/{partner_id}"): "401 allow allow deny deny hidden",
    # events: an organization's admins and program managers read its feed, a partner its own projection
    ("GET", "/v1/events"): "401 deny allow allow deny allow",
    # the audit trail: the organization's admins alone
    ("GET", "/v1/audit-events"): "401 deny allow deny deny deny",
    # webhook endpoints: an organization's admins manage its own, a partner (webhooks:manage) its own
    ("POST", "/v1/webhook-endpoints"): "401 deny allow deny deny allow",
    ("GET", "/v1/webhook-endpoints"): "401 deny allow deny deny allow",
    ("GET", "/v1/webhook-endpoints/{endpoint_id}"): "401 hidden allow deny deny hidden",
    ("PATCH", "/v1/webhook-endpoints/{endpoint_id}"): "401 hidden allow deny deny hidden",
    ("DELETE", "/v1/webhook-endpoints/{endpoint_id}"): "401 hidden allow deny deny hidden",
    ("POST", "/v1/webhook-endpoints/{endpoint_id}/rotate-secret"): "401 hidden allow deny deny hidden",
    ("POST", "/v1/webhook-endpoints/{endpoint_id}/test"): "401 hidden allow deny deny hidden",
    ("GET", "/v1/webhook-endpoints/{endpoint_id}/deliveries"): "401 hidden allow deny deny hidden",
    ("POST", "/v1/webhook-endpoints/deliveries/{delivery_id}/redeliver"): "401 hidden allow deny deny hidden",
    # GraphQL: authentication at the door (GET answers 400: queries are POSTed); what each field
    # allows is tests/api/graphql/test_field_matrix.py's matter
    ("GET", "/graphql"): "401 allow allow allow allow allow",
    ("POST", "/graphql"): "401 allow allow allow allow allow",
    # the GraphQL router's subscription socket; "401": the handshake is not accepted
    # the schema has no subscriptions: a token holder's socket is closed (4406), nobody gets a 500
    ("WEBSOCKET", "/graphql"): "401 closed closed closed closed closed",
    # SCIM provisioning answers SCIM tokens only: every access token is refused like no token at
    # all (tests/api/scim/ covers the SCIM token's own tenancy)
    ("GET", "/scim/v2/ServiceProviderConfig"): SCIM_ONLY,
    ("GET", "/scim/v2/ResourceTypes"): SCIM_ONLY,
    ("GET", "/scim/v2/ResourceTypes/{name}"): SCIM_ONLY,
    ("GET", "/scim/v2/Schemas"): SCIM_ONLY,
    ("GET", "/scim/v2/Schemas/{schema_id}"): SCIM_ONLY,
    ("GET", "/scim/v2/Users"): SCIM_ONLY,
    ("POST", "/scim/v2/Users"): SCIM_ONLY,
    ("POST", "/scim/v2/Users/.search"): SCIM_ONLY,
    ("POST", "/scim/v2/.search"): SCIM_ONLY,
    ("GET", "/scim/v2/Users/{user_id}"): SCIM_ONLY,
    ("PUT", "/scim/v2/Users/{user_id}"): SCIM_ONLY,
    ("PATCH", "/scim/v2/Users/{user_id}"): SCIM_ONLY,
    ("DELETE", "/scim/v2/Users/{user_id}"): SCIM_ONLY,
    ("GET", "/scim/v2/Groups"): SCIM_ONLY,
    ("POST", "/scim/v2/Groups"): SCIM_ONLY,
    ("POST", "/scim/v2/Groups/.search"): SCIM_ONLY,
    ("GET", "/scim/v2/Groups/{group_id}"): SCIM_ONLY,
    ("PUT", "/scim/v2/Groups/{group_id}"): SCIM_ONLY,
    ("PATCH", "/scim/v2/Groups/{group_id}"): SCIM_ONLY,
    ("DELETE", "/scim/v2/Groups/{group_id}"): SCIM_ONLY,
    ("GET", "/scim/v2/{anything:path}"): SCIM_ONLY,
    ("POST", "/scim/v2/{anything:path}"): SCIM_ONLY,
    ("PUT", "/scim/v2/{anything:path}"): SCIM_ONLY,
    ("PATCH", "/scim/v2/{anything:path}"): SCIM_ONLY,
    ("DELETE", "/scim/v2/{anything:path}"): SCIM_ONLY,
}


class Form(dict[str, str]):
    """A body sent as application/x-www-form-urlencoded (OAuth endpoints) instead of JSON."""


Body = Callable[[Ids], Any]

BODIES: dict[RouteKey, Body] = {
    ("POST", "/oauth/token"): lambda _: Form(grant_type="refresh_token", refresh_token="matrix-unknown"),
    ("POST", "/oauth/revoke"): lambda _: Form(token="matrix-unknown"),
    ("POST", "/auth/{org_slug}/backchannel-logout"): lambda _: Form(logout_token="matrix-unknown"),
    ("POST", "/v1/organizations"): lambda _: {"name": "Matrix Org", "slug": w.unique_slug()},
    ("PATCH", "/v1/organizations/{org_id}"): lambda _: {"name": "Matrix Org A"},
    ("PUT", "/v1/organizations/{org_id}/sso"): lambda _: {
        "issuer": "https://idp.example.com",
        "client_id": "tandem",
        "client_secret": "matrix-secret",
    },
    ("POST", "/v1/organizations/{org_id}/scim-tokens"): lambda _: {"name": "Matrix IdP"},
    ("POST", "/v1/people"): lambda _: {"display_name": "Matrix Person", "birth_year": 1990},
    ("PATCH", "/v1/people/{person_id}"): lambda _: {"bio": "edited by the route matrix"},
    ("PUT", "/v1/people/{person_id}/availability"): lambda _: {
        "windows": [{"weekday": 0, "start": "09:00", "end": "17:00"}]
    },
    ("POST", "/v1/programs"): lambda _: dict(
        zip(("starts_on", "ends_on"), w.program_period(), strict=True), title="Matrix program"
    ),
    ("PATCH", "/v1/programs/{program_id}"): lambda _: {"description": "edited by the route matrix"},
    # the member enrolls themself; they already are enrolled, so the allowed roles get a 409
    ("POST", "/v1/programs/{program_id}/enrollments"): lambda ids: {
        "person_id": str(ids["member_person_id"]),
        "role": "mentee",
    },
    ("PATCH", "/v1/programs/{program_id}/enrollments/{enrollment_id}"): lambda _: {
        "key_questions": ["How does TikTok work?"]
    },
    (
        "PUT",
        "/v1/programs/{program_id}/enrollments/{enrollment_id}/preferences/{candidate_enrollment_id}",
    ): lambda _: {"choice": "like"},
    ("PUT", "/v1/programs/{program_id}/matching-policy"): lambda _: {},
    # the world's pair already has its tandem: the allowed roles get a 409
    ("POST", "/v1/programs/{program_id}/tandems"): lambda ids: {
        "mentor_enrollment_id": str(ids["mentor_enrollment_id"]),
        "mentee_enrollment_id": str(ids["mentee_enrollment_id"]),
    },
    ("POST", "/v1/tandems/{tandem_id}/dissolve"): lambda _: {"reason": "route matrix", "never_pair_again": False},
    ("PUT", "/v1/tandems/{tandem_id}/fit-check"): lambda _: {"fits": True},
    ("POST", "/v1/tandems/{tandem_id}/goals"): lambda _: {"title": "Learn short video"},
    ("PATCH", "/v1/goals/{goal_id}"): lambda _: {"description": "edited by the route matrix"},
    ("POST", "/v1/tandems/{tandem_id}/sessions"): lambda _: {
        "starts_at": w.yesterday(),
        "duration_minutes": 60,
        "format": "phone",
    },
    ("PATCH", "/v1/sessions/{session_id}"): lambda _: {"agenda": "edited by the route matrix"},
    ("PUT", "/v1/sessions/{session_id}/feedback"): lambda _: {"rating": 5, "learned": "how reels work"},
    ("POST", "/graphql"): lambda _: {"query": "{ __typename }"},
    ("POST", "/v1/webhook-endpoints"): lambda _: {"url": "http://127.0.0.1:9/matrix"},
    ("PATCH", "/v1/webhook-endpoints/{endpoint_id}"): lambda _: {"description": "edited by the route matrix"},
    ("POST", "/v1/partners"): lambda _: {"name": f"Matrix partner {w.unique_slug()}"},
    ("PUT", "/v1/partners/{partner_id}/mentors"): lambda ids: {
        "items": [{"external_id": ids["external_id"], "display_name": "Mia Pool", "birth_year": 1999}]
    },
}

QUERIES: dict[RouteKey, dict[str, str]] = {
    ("GET", "/graphql"): {"query": "{ __typename }"},
    ("GET", "/auth/{org_slug}/callback"): {"state": "matrix-unknown", "code": "matrix-unknown"},
}

# objects of a cell's own, instead of the world's; mostly fresh ones for calls that change state for good
FRESH: dict[RouteKey, w.Fresh] = {
    ("DELETE", "/v1/people/{person_id}/calendar-links/{link_id}"): w.fresh_calendar_link,
    ("DELETE", "/v1/organizations/{org_id}/scim-tokens/{token_id}"): w.fresh_scim_token,
    **{route: w.scim_path_ids for route in ROUTE_MATRIX if route[1].startswith("/scim/v2/") and "{" in route[1]},
    ("GET", "/auth/{org_slug}/login"): w.org_without_sso,
    ("GET", "/auth/{org_slug}/callback"): w.org_without_sso,
    ("POST", "/auth/{org_slug}/backchannel-logout"): w.org_without_sso,
    ("DELETE", "/v1/people/{person_id}"): w.fresh_person,
    ("DELETE", "/v1/programs/{program_id}/enrollments/{enrollment_id}"): w.fresh_enrollment,
    **{
        ("POST", f"/v1/programs/{{program_id}}/{step}"): w.fresh_draft_program
        for step in ("open-enrollment", "start-matching", "launch", "complete", "cancel")
    },
    ("POST", "/v1/tandems/{tandem_id}/accept"): w.fresh_proposed_tandem,
    ("POST", "/v1/tandems/{tandem_id}/decline"): w.fresh_proposed_tandem,
    **{
        ("POST", f"/v1/tandems/{{tandem_id}}/{step}"): w.fresh_active_tandem
        for step in ("pause", "complete", "dissolve")
    },
    ("POST", "/v1/tandems/{tandem_id}/resume"): w.fresh_paused_tandem,
    **{("POST", f"/v1/sessions/{{session_id}}/{step}"): w.fresh_session for step in ("hold", "cancel", "miss")},
    ("PUT", "/v1/sessions/{session_id}/feedback"): w.fresh_held_session,
    ("DELETE", "/v1/partners/{partner_id}/mentors/{external_id:path}"): w.fresh_pool_mentor,
    ("DELETE", "/v1/organizations/{org_id}/partners/{partner_id}"): w.fresh_granted_partner,
    ("POST", "/v1/partners/{partner_id}/rotate-secret"): w.fresh_granted_partner,
    ("DELETE", "/v1/webhook-endpoints/{endpoint_id}"): w.fresh_webhook_endpoint,
}

# routes with ids in the path that name no object of an organization
PARTNER_ROUTES = [route for route in ROUTE_MATRIX if route[1].startswith("/v1/partners/{partner_id}")]
CROSS_TENANT_EXEMPT: dict[RouteKey, str] = {
    route: "a partner network belongs to no organization: test_another_partner_finds_none_of_its_pool"
    for route in PARTNER_ROUTES
} | {
    route: "no access token reaches SCIM (401); a SCIM token's tenancy: tests/api/scim/test_okta_and_tenancy.py"
    for route, row in ROUTE_MATRIX.items()
    if row == SCIM_ONLY and "{" in route[1]
}
# partner routes another partner may be refused (403) on, rather than not find
CROSS_PARTNER_EXEMPT: dict[RouteKey, str] = {
    ("POST", "/v1/partners/{partner_id}/rotate-secret"): "platform admins only: every other caller gets 403",
}

# cells where the app departs from API.md; strict xfail: once fixed, they fail until removed here.
# Empty: the role checks now come after the tenant lookup, so strangers get 404 everywhere.
KNOWN_DEVIATIONS: dict[tuple[RouteKey, str], str] = {}


# enumerating the app's routes ----------------------------------------------------------------


def _registered(app: FastAPI) -> list[tuple[type, str, set[str] | None]]:
    """(kind, path, methods) of every route, included routers expanded (FastAPI ≥ 0.16x nests them)."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # older FastAPI copies included routes into app.routes
        return [(type(r), getattr(r, "path", ""), getattr(r, "methods", None)) for r in app.routes]
    return [(type(c.original_route), c.path or "", c.methods) for c in iter_route_contexts(app.routes)]


def route_keys(app: FastAPI) -> set[RouteKey]:
    """(METHOD, path template) as the app registers them; HEAD and OPTIONS ride along with GET."""
    keys: set[RouteKey] = set()
    for kind, path, methods in _registered(app):
        if issubclass(kind, WebSocketRoute):
            keys.add(("WEBSOCKET", path))
        elif issubclass(kind, Mount):  # e.g. a GraphQL app mounted rather than included
            keys.add(("POST" if path.rstrip("/") == "/graphql" else "GET", path))
        elif issubclass(kind, Route):
            keys.update((method, path) for method in methods or () if method not in {"HEAD", "OPTIONS"})
    return keys


def outcomes(route: RouteKey) -> dict[str, str]:
    return dict(zip(ROLES, ROUTE_MATRIX[route].split(), strict=True))


def _paste_line(route: RouteKey) -> str:
    method, path = route
    return f'    ("{method}", "{path}"): "401 ? ? ? ? ?",'


def test_every_route_is_classified(app: FastAPI) -> None:
    registered = route_keys(app)
    unclassified = sorted(registered - ROUTE_MATRIX.keys())
    stale = sorted(ROUTE_MATRIX.keys() - registered)
    message = []
    if unclassified:
        message += [
            f"{len(unclassified)} route(s) of the app are not in ROUTE_MATRIX; paste these lines and replace "
            f"each ? by public/401/allow/deny/hidden (columns: {' '.join(ROLES)}):",
            *map(_paste_line, unclassified),
        ]
    if stale:
        message += ["ROUTE_MATRIX classifies route(s) the app no longer has; remove:"]
        message += [f'    ("{method}", "{path}")' for method, path in stale]
    assert not message, "\n".join(message)


def test_every_cell_names_a_known_outcome() -> None:
    for route, row in ROUTE_MATRIX.items():
        cells = row.split()
        assert len(cells) == len(ROLES), f"{route}: one outcome per role ({' '.join(ROLES)}), not {row!r}"
        assert set(cells) <= OUTCOMES, f"{route}: outcomes are {sorted(OUTCOMES)}, not {row!r}"
        if cells[0] == "public":
            assert set(cells) == {"public"}, f"{route}: a public route is public for every role"
        else:
            assert cells[0] == "401" and "public" not in cells, f"{route}: anonymous gets 401 here"
    used = BODIES.keys() | QUERIES.keys() | FRESH.keys() | CROSS_TENANT_EXEMPT.keys() | CROSS_PARTNER_EXEMPT.keys()
    assert not used - ROUTE_MATRIX.keys()
    assert not {route for route, _ in KNOWN_DEVIATIONS} - ROUTE_MATRIX.keys()


# running the cells ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
async def world(app: FastAPI, engine: Any) -> World:
    return await w.build_world(w.uow_factory_of(engine, app.state.secret_box), app.state.jobs)


def _fill(template: str, ids: Ids) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in ids:
            pytest.fail(f"no object for the path parameter {{{name}}} of {template}: add one to build_world")
        return str(ids[name])

    return re.sub(r"\{(\w+)(?::\w+)?\}", value, template)


async def send(
    client: httpx.AsyncClient, world: World, route: RouteKey, who: str, headers: dict[str, str]
) -> httpx.Response:
    """The route's request as ``who``, with the world's objects; a call that changes state for
    good gets fresh objects of its own (one set per cell)."""
    method, template = route
    ids = dict(world.ids)
    if route in FRESH:
        ids |= await world.fresh((route, who), FRESH[route])
    body = BODIES[route](ids) if route in BODIES else None
    return await client.request(
        method,
        _fill(template, ids),
        params=QUERIES.get(route),
        headers=headers,
        **({"data": body} if isinstance(body, Form) else {"json": body}),
    )


def _code(response: httpx.Response) -> str | None:
    if not response.headers.get("content-type", "").startswith(PROBLEM_JSON):
        return None
    code: str | None = response.json().get("code")
    return code


def check(response: httpx.Response, expected: str, context: str) -> None:
    status = response.status_code
    detail = f"{context}: expected {expected}, got {status} {response.text[:400]}"
    if expected == "401":
        assert status == 401, detail
        assert response.headers.get("www-authenticate", "").lower().startswith("bearer"), detail
    elif expected == "public":
        assert status not in (401, 403) and status < 500, detail
    elif expected == "allow":
        assert status not in (401, 403, 404) and status < 500, detail
        # a malformed request proves nothing about authorization: the bodies must be valid
        assert _code(response) not in MALFORMED, detail
    else:
        assert status == {"deny": 403, "hidden": 404}[expected], detail
        assert _code(response), detail


async def open_socket(
    app: FastAPI, path: str, headers: dict[str, str]
) -> tuple[list[dict[str, Any]], Exception | None]:
    """A graphql-transport-ws conversation (init, one query) straight over ASGI: what the app sent.

    An exception escaping the app is returned: a real server answers the handshake with a 500.
    """
    outgoing = [{"type": "connection_init"}, {"id": "1", "type": "subscribe", "payload": {"query": "{ __typename }"}}]
    inbox: list[dict[str, Any]] = [{"type": "websocket.connect"}]
    inbox += [{"type": "websocket.receive", "text": json.dumps(message)} for message in outgoing]
    sent: list[dict[str, Any]] = []
    done = asyncio.Event()

    async def receive() -> dict[str, Any]:
        if inbox:
            return inbox.pop(0)
        await asyncio.wait_for(done.wait(), timeout=2)
        return {"type": "websocket.disconnect", "code": 1000}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)
        if message["type"] == "websocket.close" or '"complete"' in message.get("text", ""):
            done.set()

    scope = {
        "type": "websocket",
        "asgi": {"version": "3.0"},
        "scheme": "ws",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"tandem.test"), (b"sec-websocket-protocol", b"graphql-transport-ws")]
        + [(name.lower().encode(), value.encode()) for name, value in headers.items()],
        "subprotocols": ["graphql-transport-ws"],
        "client": ("127.0.0.1", 50000),
        "server": ("tandem.test", 80),
    }
    try:
        await asyncio.wait_for(app(scope, receive, send), timeout=5)
    except Exception as error:  # what a server turns into a failed handshake
        return sent, error
    return sent, None


def check_socket(sent: list[dict[str, Any]], error: Exception | None, expected: str, context: str) -> None:
    detail = f"{context}: expected {expected}, the app sent {sent} and raised {error!r}"
    assert error is None, detail
    accepted = any(message["type"] == "websocket.accept" for message in sent)
    if expected == "401":
        assert not accepted, detail
    elif expected == "closed":
        closes = [m for m in sent if m["type"] == "websocket.close"]
        assert closes and closes[0]["code"] == 4406, detail
        assert not [m for m in sent if m["type"] == "websocket.send"], detail
    else:
        answers = [json.loads(m["text"]) for m in sent if m["type"] == "websocket.send" and "text" in m]
        data = [a["payload"].get("data") for a in answers if a.get("type") == "next"]
        assert accepted and data == [{"__typename": "Query"}], detail


def _headers(bearer: Callable[[Any], dict[str, str]], caller: Any) -> dict[str, str]:
    return {} if caller is None else bearer(caller)


def _cell(route: RouteKey, role: str) -> Any:
    method, path = route
    reason = KNOWN_DEVIATIONS.get((route, role))
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(route, role, id=f"{method} {path} as {role}", marks=marks)


@pytest.mark.parametrize(("route", "role"), [_cell(route, role) for route in ROUTE_MATRIX for role in ROLES])
async def test_each_role_gets_its_classified_outcome(
    route: RouteKey, role: str, app: FastAPI, world: World, client: httpx.AsyncClient, bearer: Any
) -> None:
    if route not in route_keys(app):
        pytest.fail(f"{route} is classified but not registered: see test_every_route_is_classified")
    headers, context = _headers(bearer, world.callers[role]), f"{route[0]} {route[1]} as {role}"
    if route[0] == "WEBSOCKET":
        check_socket(*await open_socket(app, route[1], headers), outcomes(route)[role], context)
    else:
        check(await send(client, world, route, role, headers), outcomes(route)[role], context)


OBJECT_ROUTES = [
    route
    for route, row in ROUTE_MATRIX.items()
    if "{" in route[1] and not row.startswith("public") and route not in CROSS_TENANT_EXEMPT and route[0] != "WEBSOCKET"
]


@pytest.mark.parametrize(
    ("route", "stranger"),
    [
        pytest.param(
            route,
            stranger,
            id=f"{route[0]} {route[1]} as {stranger}",
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN_DEVIATIONS[(route, stranger)])]
            if (route, stranger) in KNOWN_DEVIATIONS
            else [],
        )
        for route in OBJECT_ROUTES
        for stranger in STRANGERS
    ],
)
async def test_another_organization_finds_none_of_its_objects(
    route: RouteKey, stranger: str, world: World, client: httpx.AsyncClient, bearer: Any
) -> None:
    response = await send(client, world, route, stranger, bearer(world.callers[stranger]))
    check(response, "hidden", f"{route[0]} {route[1]} as {stranger} (another organization)")


@pytest.mark.parametrize(
    "route",
    [
        pytest.param(route, id=f"{route[0]} {route[1]} as {OTHER_PARTNER}")
        for route in PARTNER_ROUTES
        if route not in CROSS_PARTNER_EXEMPT
    ],
)
async def test_another_partner_finds_none_of_its_pool(
    route: RouteKey, world: World, client: httpx.AsyncClient, bearer: Any
) -> None:
    response = await send(client, world, route, OTHER_PARTNER, bearer(world.callers[OTHER_PARTNER]))
    check(response, "hidden", f"{route[0]} {route[1]} as {OTHER_PARTNER} (another partner network)")
