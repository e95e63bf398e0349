"""Protection against abusive queries: depth, aliases, tokens and an estimated cost.

The cost counts every field once per item its parent list may hold: ``first`` when given,
else the default page for connections (known by their type, so ``Query.enrollments`` is a
connection while ``Program.enrollments`` is a nested list), and a typical size for plain nested
lists (or their real bound where the domain has one: a session's feedback).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLNamedType,
    GraphQLObjectType,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
    get_named_type,
)
from strawberry.extensions import (
    AddValidationRules,
    MaxTokensLimiter,
    ParserCache,
    ValidationCache,
    max_aliases,
    query_depth_limiter,
)
from strawberry.extensions.base_extension import SchemaExtension

from app.services.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

MAX_DEPTH = 8
CACHED_DOCUMENTS = 256  # distinct query texts whose parse and validation are kept (LRU, per process)
MAX_ALIASES = 20
MAX_COST = 20_000
NESTED_LIST_SIZE = 20  # what a program's tandems or a tandem's sessions usually number
LIST_FIELDS = {"enrollments", "tandems", "sessions", "goals", "history", "feedback", "placements"}
KNOWN_LIST_SIZES = {"feedback": 2}  # at most one per side of the tandem (a database constraint backs it)
CONNECTION_SUFFIX = "Connection"  # a connection's edges are its `first` items: counted once, on the connection


class CostLimitRule(ValidationRule):
    def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
        root = self.context.schema.get_root_type(node.operation)
        cost = self._cost(node.selection_set, root, depth=0)
        if cost > MAX_COST:
            self.report_error(
                GraphQLError(
                    f"query cost {cost} exceeds the limit of {MAX_COST}: ask for fewer items (first) or fields",
                    node,
                    extensions={"code": "query_too_costly", "cost": cost, "limit": MAX_COST},
                )
            )

    def _cost(self, selections: SelectionSetNode | None, parent: GraphQLNamedType | None, depth: int) -> int:
        """``parent``: the type the selections are made on; None where the document names an unknown
        field (other rules report it), and the field names alone are costed below it."""
        if selections is None or depth > 2 * MAX_DEPTH:  # depth is limited separately; stop runaway fragments
            return 0
        total = 0
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                returns = _returned_type(parent, selection.name.value)
                total += 1 + _multiplier(selection, returns) * self._cost(selection.selection_set, returns, depth + 1)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self.context.schema.get_type(condition.name.value) if condition else parent
                total += self._cost(selection.selection_set, inner, depth + 1)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.context.get_fragment(selection.name.value)
                if fragment is not None:
                    inner = self.context.schema.get_type(fragment.type_condition.name.value)
                    total += self._cost(fragment.selection_set, inner, depth + 1)
        return total


def _returned_type(parent: GraphQLNamedType | None, name: str) -> GraphQLNamedType | None:
    if not isinstance(parent, GraphQLObjectType) or name not in parent.fields:
        return None
    named: GraphQLNamedType = get_named_type(parent.fields[name].type)
    return named


def _multiplier(field: FieldNode, returns: GraphQLNamedType | None) -> int:
    for argument in field.arguments or ():
        if argument.name.value == "first":
            value = argument.value
            return int(value.value) if isinstance(value, IntValueNode) else MAX_PAGE_SIZE
    if returns is not None and returns.name.endswith(CONNECTION_SUFFIX):
        return DEFAULT_PAGE_SIZE
    name = field.name.value
    return KNOWN_LIST_SIZES.get(name, NESTED_LIST_SIZE) if name in LIST_FIELDS else 1


def protections() -> list[Callable[[], SchemaExtension]]:
    """Factories, so every request validates with fresh extension instances.

    Front ends send the same few documents over and over: parsing and validating (every rule
    below included) is done once per distinct document, which is most of a small query's time.
    The caches are bounded, and a document's validity depends on its text alone.
    """
    return [
        partial(ParserCache, maxsize=CACHED_DOCUMENTS),
        partial(ValidationCache, maxsize=CACHED_DOCUMENTS),
        partial(MaxTokensLimiter, max_token_count=3000),
        partial(AddValidationRules, RULES),
    ]


# Built once: the validation cache is keyed by the rule classes too, and strawberry's
# QueryDepthLimiter and MaxAliasesLimiter would make new ones for every request.
RULES = [
    query_depth_limiter.create_validator(MAX_DEPTH, should_ignore=None),
    max_aliases.create_validator(MAX_ALIASES),
    CostLimitRule,
]
