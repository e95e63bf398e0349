"""The GraphQL schema: queries and mutations over the same use cases as REST."""

from __future__ import annotations

import strawberry
from strawberry.tools import merge_types

from app.api.graphql.error_codes import ErrorCodes
from app.api.graphql.limits import protections
from app.api.graphql.mutations import ProgramMutations
from app.api.graphql.mutations_calendars import CalendarMutations
from app.api.graphql.mutations_enrollments import EnrollmentMutations
from app.api.graphql.mutations_goals import GoalMutations
from app.api.graphql.mutations_matching import MatchingMutations
from app.api.graphql.mutations_organizations import OrganizationMutations
from app.api.graphql.mutations_partners import PartnerMutations
from app.api.graphql.mutations_people import PeopleMutations
from app.api.graphql.mutations_sessions import SessionMutations
from app.api.graphql.mutations_tandems import TandemMutations
from app.api.graphql.mutations_webhooks import WebhookMutations
from app.api.graphql.queries import Query

MUTATION_GROUPS: tuple[type, ...] = (
    OrganizationMutations,
    PeopleMutations,
    ProgramMutations,
    EnrollmentMutations,
    TandemMutations,
    GoalMutations,
    SessionMutations,
    MatchingMutations,
    PartnerMutations,
    WebhookMutations,
    CalendarMutations,
)

Mutation = merge_types("Mutation", MUTATION_GROUPS)

schema = strawberry.Schema(query=Query, mutation=Mutation, extensions=[*protections(), ErrorCodes])
