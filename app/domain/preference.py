"""Preferences: a participant's like or pass on a candidate of the other side, as on a dating app.

A pass is a hard exclusion and private to its author; a mutual like proposes the tandem at once
when the program allows self-matching.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from app.domain.clock import utcnow
from app.domain.enrollment import Enrollment
from app.domain.errors import RuleViolation


class Choice(StrEnum):
    LIKE = "like"
    PASS = "pass"  # noqa: S105  (a choice, not a password)


@dataclass(eq=False)
class Preference:
    org_id: UUID
    program_id: UUID
    author_enrollment_id: UUID
    candidate_enrollment_id: UUID
    choice: Choice
    created_at: datetime = field(default_factory=utcnow)
    updated_at: datetime = field(default_factory=utcnow)


def express(author: Enrollment, candidate: Enrollment, choice: Choice) -> Preference:
    """A preference is about someone of the other side of the same program."""
    if author.program_id != candidate.program_id:
        raise RuleViolation("the candidate takes part in another program", code="enrollment_not_in_program")
    if author.role is candidate.role:
        raise RuleViolation("preferences are about the other side (mentor ↔ mentee)", code="wrong_role")
    if not (author.is_active and candidate.is_active):
        raise RuleViolation("a withdrawn enrollment cannot like or be liked", code="enrollment_withdrawn")
    return Preference(
        org_id=author.org_id,
        program_id=author.program_id,
        author_enrollment_id=author.id,
        candidate_enrollment_id=candidate.id,
        choice=Choice(choice),
    )
