"""Every stable error code Tandem answers, once, grouped by feature.

A raise site keeps its readable literal (``RuleViolation("...", code="invalid_period")``);
``tests/unit/test_error_catalog.py`` reads every raise in ``app/`` and fails for a code missing
here, or raised with another kind than the one declared. The API edge adds the few codes it
answers with no domain kind behind them (``app.api.edge_codes``), documents the catalog in the
OpenAPI document and ``docs/errors.md``, and GraphQL's ``ProblemCode`` enum is generated from it.
"""

from __future__ import annotations

from app.domain.error_catalog.audit import AUDIT
from app.domain.error_catalog.calendars import CALENDARS
from app.domain.error_catalog.common import COMMON
from app.domain.error_catalog.enrollments import ENROLLMENTS
from app.domain.error_catalog.entry import ErrorCode, Feature, Reach
from app.domain.error_catalog.events import EVENTS
from app.domain.error_catalog.goals import GOALS
from app.domain.error_catalog.identity import IDENTITY
from app.domain.error_catalog.matching import MATCHING
from app.domain.error_catalog.organizations import ORGANIZATIONS
from app.domain.error_catalog.partners import PARTNERS
from app.domain.error_catalog.people import PEOPLE
from app.domain.error_catalog.programs import PROGRAMS
from app.domain.error_catalog.scim import SCIM
from app.domain.error_catalog.sessions import SESSIONS
from app.domain.error_catalog.tandems import TANDEMS

FEATURES: tuple[Feature, ...] = (
    COMMON,
    ORGANIZATIONS,
    PEOPLE,
    PROGRAMS,
    ENROLLMENTS,
    MATCHING,
    TANDEMS,
    SESSIONS,
    GOALS,
    CALENDARS,
    PARTNERS,
    IDENTITY,
    SCIM,
    EVENTS,
    AUDIT,
)


def _index(features: tuple[Feature, ...]) -> dict[str, ErrorCode]:
    index: dict[str, ErrorCode] = {}
    for feature in features:
        for entry in feature.codes:
            if entry.code in index:
                raise ValueError(f"error code {entry.code!r} is declared twice")
            index[entry.code] = entry
    return index


BY_CODE: dict[str, ErrorCode] = _index(FEATURES)


def entry_of(code: str) -> ErrorCode:
    """The catalog's entry for ``code``; a KeyError names a code someone forgot to declare."""
    return BY_CODE[code]


__all__ = ["BY_CODE", "FEATURES", "ErrorCode", "Feature", "Reach", "entry_of"]
