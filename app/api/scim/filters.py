"""The SCIM filters Tandem answers (RFC 7644 §3.4.2.2), parsed by scim2-models and turned into
the use cases' criteria: ``eq`` on userName, externalId and emails (``emails.value``,
``emails[type eq "work"].value``, ``emails[type eq "work" and value eq "…"]``) of Users, on
displayName, externalId and members.value of Groups, combined with
``and`` / ``or`` and parentheses. Anything else is a 400 ``invalidFilter``, not a silent miss."""

from __future__ import annotations

from scim2_models import SCIMException, ScimFilter
from scim2_models.path.expressions import (
    AttrPath,
    CompareOperator,
    Comparison,
    FilterNode,
    LogicalExpr,
    LogicalOperator,
    ValuePath,
)

from app.api.scim.errors import ScimProblem
from app.domain.provisioning import AllOf, AnyOf, Criteria, Match

CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
MAX_FILTER_LENGTH = 1000


def _invalid(detail: str) -> ScimProblem:
    return ScimProblem(400, detail, "invalidFilter")


def criteria_of(expression: str, resource: str = "User") -> Criteria:
    if len(expression) > MAX_FILTER_LENGTH:
        raise _invalid(f"a filter is at most {MAX_FILTER_LENGTH} characters")
    try:
        tree = ScimFilter(expression).ast  # type: ignore[var-annotated]
    except (SCIMException, ValueError, TypeError) as error:
        raise _invalid(f"not a valid filter: {error}") from error
    return _node(tree, resource)


def _node(node: FilterNode, resource: str) -> Criteria:
    if isinstance(node, LogicalExpr):
        parts = tuple(_node(term, resource) for term in node.terms)
        return AllOf(parts) if node.op is LogicalOperator.and_ else AnyOf(parts)
    if isinstance(node, Comparison):
        return _group_comparison(node) if resource == "Group" else _comparison(node.attr_path, node)
    if isinstance(node, ValuePath) and resource == "User":
        return _value_path(node)
    raise _invalid("only eq comparisons with and/or are supported")


def _group_comparison(node: Comparison) -> Match:
    name = _name(node.attr_path, CORE_GROUP)
    if name == "displayname":
        return Match("displayName", _value(node))
    if name == "externalid":
        return Match("externalId", _value(node))
    if name in ("members", "members.value"):
        return Match("member", _value(node))
    raise _invalid(f"cannot filter by {name}: displayName, externalId and members.value are supported")


def _name(path: AttrPath, core: str = "urn:ietf:params:scim:schemas:core:2.0:User") -> str:
    if path.uri not in (None, core):
        raise _invalid(f"cannot filter by attributes of {path.uri}")
    return path.attr.lower() + (f".{path.sub_attr.lower()}" if path.sub_attr else "")


def _value(node: Comparison) -> str:
    if node.op is not CompareOperator.eq or not isinstance(node.value, str):
        raise _invalid("only eq comparisons with a string value are supported")
    return node.value


def _comparison(path: AttrPath, node: Comparison) -> Match:
    name = _name(path)
    if name == "username":
        return Match("userName", _value(node))
    if name == "externalid":
        return Match("externalId", _value(node))
    if name in ("emails", "emails.value"):
        return Match("email", _value(node))
    raise _invalid(f"cannot filter by {name}: userName, externalId and emails are supported")


def _value_path(node: ValuePath) -> Match:
    """``emails[type eq "work"].value eq "…"`` arrives as a comparison on the value path's sub
    attribute; ``emails[type eq "work" and value eq "…"]`` as one filter inside the brackets."""
    if _name(node.attr_path) != "emails":
        raise _invalid("only emails[...] value filters are supported")
    inner = node.val_filter
    terms = inner.terms if isinstance(inner, LogicalExpr) and inner.op is LogicalOperator.and_ else (inner,)
    email_type = value = None
    for term in terms:
        if not isinstance(term, Comparison):
            raise _invalid("inside emails[...] only type eq and value eq are supported")
        if term.attr_path.attr.lower() == "type":
            email_type = _value(term)
        elif term.attr_path.attr.lower() == "value":
            value = _value(term)
        else:
            raise _invalid("inside emails[...] only type eq and value eq are supported")
    if value is None:
        raise _invalid('an emails[...] filter needs the address: emails[type eq "work"].value eq "…"')
    return Match("email", value, email_type)
