"""The one place where database errors become what they stand for: integrity errors the domain
errors they back, and an unreachable database ``DatabaseUnavailable`` (the API answers 503)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from app.domain.errors import Conflict, DomainError, NotFound, RuleViolation, VersionMismatch

# constraint name -> the domain error it backs (names follow the metadata naming convention)
_BY_CONSTRAINT: dict[str, tuple[type[DomainError], str, str]] = {
    "uq_tandems_open_mentee": (Conflict, "mentee_already_paired", "the mentee already has an open tandem"),
    "uq_feedback_session_id_author_person_id": (
        Conflict,
        "feedback_already_given",
        "this participant already gave feedback on the session",
    ),
    "uq_organizations_slug": (Conflict, "slug_taken", "the slug is taken"),
    "uq_people_org_id_email": (Conflict, "email_taken", "another person of the organization has this email"),
    "uq_users_org_id_email": (Conflict, "user_exists", "a user with this email exists"),
    "uq_users_org_id_sso_subject": (Conflict, "user_exists", "a user of this provider subject exists"),
    "uq_enrollments_active_person": (Conflict, "already_enrolled", "the person is already enrolled"),
    "ck_feedback_rating_range": (RuleViolation, "invalid_rating", "rating must be 1 to 5"),
    "ck_enrollments_capacity_positive": (RuleViolation, "invalid_capacity", "capacity must be at least 1"),
    "ck_programs_period_order": (RuleViolation, "invalid_period", "ends_on must be after starts_on"),
    "uq_partners_name": (Conflict, "partner_name_taken", "another partner network has this name"),
    "uq_people_partner_external": (
        Conflict,
        "external_id_taken",
        "another person of the organization stands for this partner mentor",
    ),
    "ck_partner_mentors_digital_native": (
        RuleViolation,
        "not_a_digital_native",
        "partner mentors must be digital natives (born 1981 or later)",
    ),
}

SERIALIZATION_FAILURES = {"40001", "40P01"}  # serialization failure, deadlock detected

# the server is away, refuses us, or gave up on us: nothing the request did is at fault
UNAVAILABLE_SQLSTATES = {
    "53300",  # too_many_connections
    "57014",  # query_canceled: a statement timeout
    "57P01",  # admin_shutdown
    "57P02",  # crash_shutdown
    "57P03",  # cannot_connect_now: starting up, shutting down, in recovery
    "57P05",  # idle_session_timeout
}


class DatabaseUnavailable(Exception):
    """The database cannot serve this request now (down, unreachable, out of connections, too slow).

    Not a domain error: no rule was broken and the request may be retried as it is. Whatever the
    request had written is rolled back with its transaction; the API answers 503 with Retry-After.
    """

    def __init__(self, detail: str = "the database is not reachable right now; retry shortly") -> None:
        super().__init__(detail)
        self.detail = detail


def is_unavailable(error: BaseException) -> bool:
    """Whether ``error`` (or what caused it) says the database is away rather than the request wrong."""
    seen: BaseException | None = error
    for _ in range(5):  # the driver's error, SQLAlchemy's wrapper, and at most a few more
        if seen is None:
            return False
        if isinstance(seen, DatabaseUnavailable | PoolTimeout | OSError):  # OSError: refused, reset, timed out
            return True
        if isinstance(seen, DBAPIError) and seen.connection_invalidated:
            return True  # SQLAlchemy saw the connection die, and invalidated the pool behind it
        state = getattr(seen, "sqlstate", None)
        if isinstance(state, str) and (state.startswith("08") or state in UNAVAILABLE_SQLSTATES):
            return True  # class 08: connection exceptions
        seen = seen.__cause__ or (seen.orig if isinstance(seen, DBAPIError) else None)
    return False


@contextmanager
def unavailable_as_error() -> Iterator[None]:
    """Raise ``DatabaseUnavailable`` for an unreachable database inside the block; other errors pass."""
    try:
        yield
    except DatabaseUnavailable:
        raise
    except Exception as error:
        if is_unavailable(error):
            raise DatabaseUnavailable() from error
        raise


def constraint_name(error: DBAPIError) -> str | None:
    cause = getattr(error.orig, "__cause__", None)
    return getattr(cause, "constraint_name", None) or getattr(error.orig, "constraint_name", None)


def sqlstate(error: DBAPIError) -> str | None:
    cause = getattr(error.orig, "__cause__", None)
    return getattr(cause, "sqlstate", None) or getattr(error.orig, "sqlstate", None)


def translate(error: DBAPIError) -> DomainError | None:
    """The domain error for a database error, or None when it is not one we expect."""
    if sqlstate(error) in SERIALIZATION_FAILURES:
        return VersionMismatch("a concurrent change got there first; retry", code="concurrent_update")
    if not isinstance(error, IntegrityError):
        return None
    name = constraint_name(error)
    if name in _BY_CONSTRAINT:
        kind, code, detail = _BY_CONSTRAINT[name]
        return kind(detail, code=code)
    if name and name.startswith("fk_"):
        return NotFound("a referenced object does not exist", code="reference_not_found")
    return None
