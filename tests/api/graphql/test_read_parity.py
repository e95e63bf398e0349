"""Every REST read has a GraphQL twin over the same use case.

``READS`` maps each GET operation of the app's OpenAPI document to the use case its REST route
calls and the GraphQL fields that reach the same data: a Query field (``"organization"``) that
calls that very use case, then any nested fields (``"Program.rules"``) that render what it
read or reach it through a DataLoader. ``EXCLUDED`` lists the GET operations with no GraphQL
twin, each with the reason. A new REST read fails ``test_every_rest_read_has_a_graphql_twin``
until it gets a line in one of them, as a new route fails the route-by-role matrix.

The use case is checked in the code, not only named: the REST route's body and the Query
field's resolver must both call it (their calls are resolved through the modules they import).
"""

from __future__ import annotations

import ast
import inspect
import textwrap
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from strawberry.types.base import StrawberryObjectDefinition

from app.api.app import create_app
from app.api.graphql.schema import schema
from app.infra.settings import Settings


@dataclass(frozen=True)
class Twin:
    use_case: str  # module.function under app.services
    fields: tuple[str, ...]  # the Query field calling it first, then nested fields reaching the same data

    @classmethod
    def of(cls, use_case: str, *fields: str) -> Twin:
        return cls(use_case, fields)


READS: dict[str, Twin] = {
    "get_me": Twin.of("identity.who_am_i", "me"),
    "list_organizations": Twin.of("organizations.list_organizations", "organizations"),
    "get_organization": Twin.of("organizations.get_organization", "organization"),
    "get_sso": Twin.of("sso.get_sso", "ssoSettings", "Organization.ssoSettings"),
    "list_people": Twin.of("people.list_people", "people"),
    "get_person": Twin.of("people.get_person", "person", "Tandem.mentor", "Enrollment.person"),
    "get_availability": Twin.of("people.get_availability", "availability", "Person.availability"),
    "export_person": Twin.of("people.export_person", "personExport"),
    "list_programs": Twin.of("programs.list_programs", "programs"),
    "get_program": Twin.of("programs.get_program", "program", "Program.rules"),
    "list_enrollments": Twin.of("enrollments.list_enrollments", "enrollments", "Program.enrollments"),
    "get_enrollment": Twin.of("enrollments.get_enrollment", "enrollment"),
    "suggest_candidates": Twin.of("matching.suggest_candidates", "suggestions"),
    "get_matching_policy": Twin.of("matching.get_matching_policy", "matchingPolicy"),
    "list_matching_runs": Twin.of("matching_runs.list_runs", "matchingRuns", "Program.matchingRuns"),
    "get_matching_run": Twin.of("matching_runs.get_run", "matchingRun"),
    "list_rematch_candidates": Twin.of("matching.rematch_candidates", "rematchCandidates"),
    "list_tandems": Twin.of("tandems.list_tandems", "tandems", "Program.tandems"),
    "get_tandem": Twin.of("tandems.view_tandem", "tandem", "Tandem.health"),
    "get_tandem_history": Twin.of("tandems.tandem_history", "tandemHistory", "Tandem.history"),
    "suggest_slots": Twin.of("scheduling.suggest_slots", "slotSuggestions"),
    "list_goals": Twin.of("goals.list_goals", "goals", "Tandem.goals"),
    "get_goal": Twin.of("goals.get_goal", "goal"),
    "list_sessions": Twin.of("sessions.list_sessions", "sessions", "Tandem.sessions"),
    "get_session": Twin.of("sessions.get_session", "session"),
    "list_partners": Twin.of("partners.list_partners", "partners"),
    "get_partner": Twin.of("partners.get_partner", "partner"),
    "get_partner_grant": Twin.of("partners.get_partner_grant", "partnerGrant", "Partner.grant"),
    "list_partner_mentors": Twin.of("partner_mentors.list_partner_mentors", "partnerMentors"),
    "get_partner_mentor": Twin.of("partner_mentors.get_partner_mentor", "partnerMentor"),
    "list_events": Twin.of("events.list_events", "events"),
    "list_audit_events": Twin.of("audit.list_audit_events", "auditEvents"),
    "list_webhook_endpoints": Twin.of("webhooks.list_endpoints", "webhookEndpoints"),
    "get_webhook_endpoint": Twin.of("webhooks.get_endpoint", "webhookEndpoint"),
    "list_webhook_deliveries": Twin.of("webhooks.list_deliveries", "webhookDeliveries", "WebhookEndpoint.deliveries"),
    "get_program_insights": Twin.of("insights.program_insights", "programInsights", "Program.insights"),
    "get_program_report": Twin.of("reports.program_report", "programReport"),
    "list_calendar_links": Twin.of("calendars.list_calendar_links", "calendarLinks"),
}

EXCLUDED: dict[str, str] = {
    "get_health": "operations: a liveness probe for load balancers, not data",
    "get_readiness": "operations: a readiness probe for load balancers, not data",
    "get_metrics": "operations: Prometheus text for a scraper, not data",
    "get_jwks": "identity: the public keys that verify tokens, fetched by resource servers before any query",
    "start_login": "identity: a browser redirect to the organization's OpenID provider",
    "get_program_report_csv": "reports: the same rows as report.json (GraphQL programReport), as a CSV download",
    "get_calendar_feed": "calendars: iCalendar text for calendar clients (subscribed through a secret link), not data",
    "list_scim_tokens": "scim: an org admin's provisioning connections, set up once beside the SSO settings"
    " (GraphQL has no organization settings either)",
    "finish_login": "identity: the OpenID provider's redirect back, which issues the tokens GraphQL needs",
}


@pytest.fixture(scope="module")
def rest_reads(tmp_path_factory: pytest.TempPathFactory) -> dict[str, APIRoute]:
    """The GET operations of the app as it serves them, by operationId; no database is touched."""
    data_dir: Path = tmp_path_factory.mktemp("parity")
    app = create_app(Settings(data_dir=data_dir), database_url="postgresql+asyncpg://unused/none")
    documented = {
        operation["operationId"]
        for operations in app.openapi()["paths"].values()
        for method, operation in operations.items()
        if method == "get"
    }
    routes = {r.operation_id: r for r in _api_routes(app) if "GET" in r.methods}
    assert documented <= routes.keys(), "every documented GET has its route"
    return {operation_id: routes[operation_id] for operation_id in documented}


def _api_routes(app: FastAPI) -> list[APIRoute]:
    """Every operation's route, included routers expanded (FastAPI 0.16x nests them)."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # older FastAPI copies included routes into app.routes
        return [r for r in app.routes if isinstance(r, APIRoute)]
    return [c.original_route for c in iter_route_contexts(app.routes) if isinstance(c.original_route, APIRoute)]


def test_every_rest_read_has_a_graphql_twin(rest_reads: dict[str, APIRoute]) -> None:
    missing = sorted(rest_reads.keys() - READS.keys() - EXCLUDED.keys())
    assert not missing, (
        f"REST reads without a GraphQL twin: {missing}. Add a Query field (and nested fields where natural) "
        "over the same use case and list it in READS, or list the operation in EXCLUDED with the reason."
    )


def test_the_table_names_only_rest_reads_and_each_once(rest_reads: dict[str, APIRoute]) -> None:
    assert not READS.keys() & EXCLUDED.keys(), "an operation is either twinned or excluded"
    stale = sorted((READS.keys() | EXCLUDED.keys()) - rest_reads.keys())
    assert not stale, f"no longer REST GET operations, remove them here: {stale}"
    assert all(reason.strip() for reason in EXCLUDED.values()), "every exclusion says why"


def _field(path: str) -> Any:
    """The strawberry field a path names: ``name`` on Query, or ``Type.name``."""
    type_name, name = path.split(".") if "." in path else ("Query", path)
    definition = schema.get_type_by_name(type_name)
    assert isinstance(definition, StrawberryObjectDefinition), f"{path}: no object type {type_name} in the schema"
    for field in definition.fields:
        if schema.config.name_converter.get_graphql_name(field) == name:
            return field
    raise AssertionError(f"{path}: the schema's {type_name} has no field {name}")


@pytest.mark.parametrize("operation_id", sorted(READS))
def test_each_named_graphql_field_exists(operation_id: str) -> None:
    twin = READS[operation_id]
    assert twin.fields, f"{operation_id}: name at least one GraphQL field"
    assert "." not in twin.fields[0], f"{operation_id}: the first twin is a Query field calling {twin.use_case}"
    for path in twin.fields:
        _field(path)


def _called(function: Callable[..., Any]) -> set[str]:
    """Qualified names of what ``function``'s body calls, resolved through its module's imports."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    [definition] = tree.body
    assert isinstance(definition, ast.FunctionDef | ast.AsyncFunctionDef)
    scope = function.__globals__
    return {name for statement in definition.body for name in _call_names(statement, scope)}


def _call_names(node: ast.AST, scope: dict[str, Any]) -> Iterator[str]:
    for call in (n for n in ast.walk(node) if isinstance(n, ast.Call)):
        target = call.func
        if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
            owner = scope.get(target.value.id)
            if isinstance(owner, types.ModuleType):
                yield f"{owner.__name__}.{target.attr}"
        elif isinstance(target, ast.Name):
            found = scope.get(target.id)
            if callable(found) and hasattr(found, "__module__"):
                yield f"{found.__module__}.{getattr(found, '__name__', target.id)}"


@pytest.mark.parametrize("operation_id", sorted(READS))
def test_rest_and_graphql_call_the_same_use_case(operation_id: str, rest_reads: dict[str, APIRoute]) -> None:
    twin = READS[operation_id]
    use_case = f"app.services.{twin.use_case}"
    module, function = use_case.rsplit(".", 1)
    assert callable(getattr(__import__(module, fromlist=[function]), function, None)), f"{use_case} does not exist"
    assert use_case in _called(rest_reads[operation_id].endpoint), f"REST's {operation_id} does not call {use_case}"
    resolver = _field(twin.fields[0]).base_resolver
    assert resolver is not None, f"{twin.fields[0]} has no resolver"
    assert use_case in _called(resolver.wrapped_func), f"GraphQL's {twin.fields[0]} does not call {use_case}"


def test_the_use_case_check_sees_a_mismatch() -> None:
    """The check above can fail: a resolver calling a different use case is told apart."""
    resolver = _field("program").base_resolver
    assert resolver is not None
    called = _called(resolver.wrapped_func)
    assert "app.services.programs.get_program" in called
    assert "app.services.programs.list_programs" not in called
