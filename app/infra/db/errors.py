"""The one place where database integrity errors become the domain errors they stand for."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, IntegrityError

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
