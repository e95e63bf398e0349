"""Every code the code base can answer is in the catalog, with the kind (so the status) it is raised with.

The scan reads ``app/`` as source (AST), so a new raise with a new code fails here before any
client meets it. It finds codes in
- ``code=`` keywords (``RuleViolation("...", code="invalid_period")``) and module constants they name,
- assignments to ``code`` and ``{"code": ...}`` dicts (the API edge, GraphQL extensions),
- the helpers that form codes: ``found(…, "program")`` → ``program_not_found``,
  ``scope_of(…, "program")`` → ``program_not_found``, ``ensure_transition("tandem", …)`` →
  ``tandem_invalid_transition``,
- the edge's own calls: ``problem_for("rate_limited")``, ``problem_response(429, "rate_limited")``, …

The ``DomainError`` classes' own ``code`` attributes are fallbacks for a raise without a code;
no raise may rely on them (the scan fails for a domain error raised without ``code=``).
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

import app
from app.api.edge_codes import EDGE_BY_CODE
from app.api.problem_catalog import BY_CODE as CATALOG
from app.api.problem_catalog import CATALOG as ENTRIES
from app.api.problems import status_of_code
from app.domain import errors
from app.domain.error_catalog import BY_CODE as DOMAIN_CODES
from app.domain.error_catalog import FEATURES, Reach
from app.domain.matching import constraints
from app.infra.db.errors import _BY_CONSTRAINT

APP = Path(inspect.getfile(app)).parent
KINDS: dict[str, type[errors.DomainError]] = {
    name: kind for name, kind in vars(errors).items() if isinstance(kind, type) and issubclass(kind, errors.DomainError)
}
# helpers whose argument names the object: (argument index, code it forms)
CODE_FORMING = {
    "found": (1, "{}_not_found"),
    "scope_of": (1, "{}_not_found"),
    "ensure_transition": (0, "{}_invalid_transition"),
}
FORMED_INSIDE = {("services/authz.py", "f'{what}_not_found'"), ("domain/states.py", "f'{what}_invalid_transition'")}
# edge helpers: the index of their code argument, and of their status argument where they take one
EDGE_CALLS = {
    "problem_for": (0, None),
    "status_of_code": (0, None),
    "problem_code": (0, None),
    "entry_of": (0, None),
    "problem_response": (1, 0),
    "problem_json": (1, 0),
    "_send": (1, None),
}
# ``code=`` keywords whose value is no error code, or one checked elsewhere in this file
NOT_A_RAISE = {
    ("services/sso_login.py", "code"): "the OAuth authorization code of the callback",
    ("api/auth.py", "code"): "the OAuth authorization code of the callback",
    ("infra/oidc/relying_party.py", "code"): "the OAuth authorization code sent to the provider",
    ("api/problems.py", "code"): "problem_response builds the document of a code checked at its call",
    ("api/schemas/partners.py", "e.code"): "a sync row's error: the code of a domain error raised elsewhere",
    ("api/graphql/types_partners.py", "e.code"): "a sync row's error: the code of a domain error raised elsewhere",
    ("api/schemas/enrollments.py", "outcome.refused_code"): "a refused proposal: a domain error's code",
    ("api/graphql/mutations_enrollments.py", "outcome.refused_code"): "a refused proposal: a domain error's code",
    ("infra/db/errors.py", "code"): "the constraint table, checked by test_database_constraints_map_to_catalog_codes",
    ("api/graphql/types.py", "r.code.value"): "a health reason's code (app/domain/health.py ReasonCode), not an error",
    ("api/schemas/tandems.py", "r.code"): "a health reason's code (app/domain/health.py ReasonCode), not an error",
}


@dataclass(frozen=True)
class Found:
    where: str
    code: str
    kind: type[errors.DomainError] | None = None  # the kind it is raised with, when it is a raise
    status: int | None = None  # the status written next to it, when one is


def _name(func: ast.expr) -> str:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _constants(tree: ast.Module) -> dict[str, str]:
    return {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def _string(node: ast.expr, constants: dict[str, str]) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        return constants.get(node.id)
    return None


def _strings_in(node: ast.expr) -> Iterator[str]:
    for inner in ast.walk(node):
        if isinstance(inner, ast.Constant) and isinstance(inner.value, str):
            yield inner.value


def _scan_call(node: ast.Call, where: str, rel: str, constants: dict[str, str]) -> Iterator[Found]:
    name = _name(node.func)
    kind = KINDS.get(name)
    keywords = {k.arg: k.value for k in node.keywords}
    if "code" in keywords:
        value = keywords["code"]
        code = _string(value, constants)
        if code is not None:
            yield Found(where, code, kind)
        elif isinstance(value, ast.Call) and _name(value.func) in EDGE_CALLS:
            pass  # problem_code("rate_limited"): the inner call is scanned on its own
        elif isinstance(value, ast.JoinedStr):
            assert (rel, ast.unparse(value)) in FORMED_INSIDE, (
                f"{where}: a code formed at run time: {ast.unparse(value)}"
            )
        else:
            assert (rel, ast.unparse(value)) in NOT_A_RAISE, (
                f"{where}: a code the scan cannot read: {ast.unparse(value)}"
            )
    elif kind is not None:
        pytest.fail(f"{where}: {name} raised without code=: name the catalog code it stands for")
    if name in CODE_FORMING:
        index, pattern = CODE_FORMING[name]
        if len(node.args) > index and (what := _string(node.args[index], constants)) is not None:
            formed = {"{}_not_found": errors.NotFound, "{}_invalid_transition": errors.InvalidTransition}[pattern]
            yield Found(where, pattern.format(what), formed)
    if name in EDGE_CALLS:
        code_at, status_at = EDGE_CALLS[name]
        code = _string(node.args[code_at], constants) if len(node.args) > code_at else None
        if code is not None:
            status_node = node.args[status_at] if status_at is not None else None
            status = status_node.value if isinstance(status_node, ast.Constant) else None
            yield Found(where, code, status=status if isinstance(status, int) else None)


def scan() -> list[Found]:
    found: list[Found] = []
    for path in sorted(APP.rglob("*.py")):
        rel = path.relative_to(APP).as_posix()
        if rel.startswith("domain/error_catalog/") or rel == "domain/errors.py":
            continue  # the catalog itself, and the kinds' fallback codes (see the module docstring)
        tree = ast.parse(path.read_text(), filename=str(path))
        constants = _constants(tree)
        for node in ast.walk(tree):
            where = f"app/{rel}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Call):
                found += _scan_call(node, where, rel, constants)
            elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "code" for t in node.targets):
                found += [Found(where, code) for code in _strings_in(node.value)]
            elif isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if isinstance(key, ast.Constant) and key.value == "code" and (code := _string(value, constants)):
                        found.append(Found(where, code))
    return found


@cache
def found_in_app() -> tuple[Found, ...]:
    return tuple(scan())


def test_the_scan_sees_the_raise_sites_the_edge_and_the_formed_codes() -> None:
    codes = {f.code for f in found_in_app()}
    # one of each way a code is written: a literal raise, a module constant, a formed code,
    # the edge's handlers, an ASGI middleware, GraphQL's extensions
    assert {"invalid_period", "invalid_grant", "program_not_found", "tandem_invalid_transition"} <= codes
    assert {"rate_limited", "validation_failed", "payload_too_large", "query_too_costly", "method_not_allowed"} <= codes
    assert len(found_in_app()) > 150


def test_every_code_in_the_code_is_in_the_catalog() -> None:
    missing = sorted({f"{f.code} ({f.where})" for f in found_in_app() if f.code not in CATALOG})
    assert not missing, f"add these codes to app/domain/error_catalog (or app/api/edge_codes.py): {missing}"


def test_every_raise_uses_the_kind_its_code_is_declared_with() -> None:
    wrong = [
        f"{f.where}: {f.code} raised as {f.kind.__name__}, declared as {DOMAIN_CODES[f.code].kind.__name__}"
        for f in found_in_app()
        if f.kind is not None and f.code in DOMAIN_CODES and f.kind is not DOMAIN_CODES[f.code].kind
    ]
    assert not wrong, "one code, one kind, one status: " + "; ".join(wrong)


def _status_mismatches(found: tuple[Found, ...]) -> list[str]:
    return [f"{f.where}: {f.code} with {f.status}" for f in found if f.status and f.status != status_of_code(f.code)]


def test_a_status_written_next_to_a_code_is_the_catalogs() -> None:
    assert not _status_mismatches(found_in_app())
    snippet = ast.parse('problem_response(400, "rate_limited", "slow down")').body[0]
    assert isinstance(snippet, ast.Expr) and isinstance(snippet.value, ast.Call)
    written = tuple(_scan_call(snippet.value, "snippet:1", "snippet.py", {}))
    assert _status_mismatches(written) == ["snippet:1: rate_limited with 400"]


def test_database_constraints_map_to_catalog_codes_of_their_kind() -> None:
    for constraint, (kind, code, _) in _BY_CONSTRAINT.items():
        assert code in DOMAIN_CODES, (constraint, code)
        assert DOMAIN_CODES[code].kind is kind, (constraint, code)


def test_a_pinned_pair_that_breaks_a_constraint_answers_a_catalog_code() -> None:
    # the optimizer raises whatever ``violation`` returns: the pairing rules' codes (scanned) and these
    for code in (constraints.NO_SHARED_LANGUAGE, constraints.PASSED, constraints.PAIR_EXCLUDED):
        assert code in DOMAIN_CODES, code


def test_every_catalog_entry_is_raised_somewhere() -> None:
    """No dead entries: a code nobody answers any more leaves the catalog with its last raise."""
    raised = {f.code for f in found_in_app()} | {code for _, code, _ in _BY_CONSTRAINT.values()}
    raised |= {constraints.NO_SHARED_LANGUAGE, constraints.PASSED, constraints.PAIR_EXCLUDED}
    assert not sorted(set(CATALOG) - raised)


def test_the_catalog_is_well_formed() -> None:
    codes = [entry.code for entry in ENTRIES]
    assert len(codes) == len(set(codes))
    for entry in ENTRIES:
        assert entry.code.isidentifier() and entry.code == entry.code.lower(), entry.code
        assert entry.title and entry.title[0].isupper() and not entry.title.endswith("."), entry.code
        assert entry.meaning.endswith(".") and len(entry.meaning) <= 200, entry.code
        assert entry.status is not None or entry.reach is Reach.GRAPHQL, entry.code
    assert FEATURES[0].name == "common" and all(f.codes for f in FEATURES)


def test_the_edge_declares_only_codes_no_domain_kind_stands_for() -> None:
    assert not set(EDGE_BY_CODE) & set(DOMAIN_CODES)
