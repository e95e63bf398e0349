"""The GraphQL schema: queries and mutations over the same use cases as REST."""

from __future__ import annotations

import strawberry
from strawberry.tools import merge_types

from app.api.graphql.limits import protections
from app.api.graphql.mutations import ProgramMutations
from app.api.graphql.queries import Query

MUTATION_GROUPS: tuple[type, ...] = (ProgramMutations,)

Mutation = merge_types("Mutation", MUTATION_GROUPS)

schema = strawberry.Schema(query=Query, mutation=Mutation, extensions=protections())
