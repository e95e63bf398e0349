"""Bodies the stateful fuzz runs can build on.

A generated ``POST /v1/programs`` or ``/v1/people`` body is almost never acceptable to the
business rules that JSON Schema cannot say (a program runs 6 to 12 months; a time zone is an
IANA name; an email is unique in the organization), so without help a stateful run stops at
its first step with a documented 422 and never follows a link. These hooks repair only what
the rules need and leave every other generated field as it was; the stateless phases keep
fuzzing the refused values.

The repairs draw nothing, and an email is unique per call, so a replayed step answers as it
did the first time: hypothesis requires that to shrink a failure.
"""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

_emails = itertools.count()

# the same calendar arithmetic as app/domain/program.py, kept to whole months well inside 6..12
_PROGRAM_MONTHS = 8


def _months_later(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    return date(year, month % 12 + 1, min(day.day, 28))


def program_body(body: dict[str, Any]) -> dict[str, Any]:
    """A period the rules accept, starting on the generated day (moved into this century)."""
    starts = date.fromisoformat(body["starts_on"]) if isinstance(body.get("starts_on"), str) else date(2027, 1, 1)
    starts = date(2027 + starts.year % 20, starts.month, min(starts.day, 28))
    rules = body.get("rules")
    if isinstance(rules, dict):
        # a tandem is at risk only once a check-in is overdue (ProgramRules)
        check_in = rules.get("needs_check_in_after_days", 21)
        if isinstance(check_in, int) and isinstance(rules.get("at_risk_after_days"), int):
            rules["at_risk_after_days"] = max(rules["at_risk_after_days"], check_in)
    return body | {"starts_on": starts.isoformat(), "ends_on": _months_later(starts, _PROGRAM_MONTHS).isoformat()}


def person_body(body: dict[str, Any]) -> dict[str, Any]:
    """A unique email, a real time zone and a birth year on either side of 1981."""
    repaired = person_patch(body) | {"timezone": "Europe/Berlin", "email": f"fuzz-{next(_emails)}@demo.example"}
    if isinstance(body.get("birth_year"), int):
        repaired["birth_year"] = 1950 + body["birth_year"] % 55
    return repaired


def person_patch(body: dict[str, Any]) -> dict[str, Any]:
    """A generated email or external id would be taken the second time a step is replayed."""
    repaired = dict(body)
    if isinstance(body.get("email"), str):
        repaired["email"] = f"fuzz-{next(_emails)}@demo.example"
    if isinstance(body.get("external_id"), str):
        repaired["external_id"] = f"fuzz-{next(_emails)}"
    return repaired


REPAIRS = {"create_program": program_body, "create_person": person_body, "update_person": person_patch}


def without_idempotency_key(headers: dict[str, Any] | None) -> dict[str, Any] | None:
    """A key remembered from an earlier example replays that example's answer (or refuses a
    different body), so a step would not answer the same twice; the stateless phases fuzz it."""
    if headers is None:
        return None
    return {name: value for name, value in headers.items() if name.lower() != "idempotency-key"}


def repaired(operation_id: str | None, body: Any) -> Any:
    repair = REPAIRS.get(operation_id or "")
    return repair(body) if repair and isinstance(body, dict) else body
