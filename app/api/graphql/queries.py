"""The Query root: one group of fields per feature, each calling the same use case as its REST twin.

Not found, or not visible to the caller, is null for a single object (``queries_support.or_none``);
a list whose parent the caller cannot reach is an error with REST's code and status. The
parity with REST's reads is checked by tests/api/graphql/test_read_parity.py.
"""

from __future__ import annotations

from strawberry.tools import merge_types

from app.api.graphql.queries_audit import AuditQueries
from app.api.graphql.queries_calendars import CalendarQueries
from app.api.graphql.queries_events import EventQueries
from app.api.graphql.queries_insights import InsightQueries
from app.api.graphql.queries_organizations import OrganizationQueries
from app.api.graphql.queries_partners import PartnerQueries
from app.api.graphql.queries_people import PeopleQueries
from app.api.graphql.queries_programs import ProgramQueries
from app.api.graphql.queries_rematch import RematchQueries
from app.api.graphql.queries_tandems import TandemQueries
from app.api.graphql.queries_webhooks import WebhookQueries

QUERY_GROUPS: tuple[type, ...] = (
    PeopleQueries,
    OrganizationQueries,
    ProgramQueries,
    TandemQueries,
    PartnerQueries,
    EventQueries,
    WebhookQueries,
    InsightQueries,
    AuditQueries,
    CalendarQueries,
    RematchQueries,
)

Query = merge_types("Query", QUERY_GROUPS)
