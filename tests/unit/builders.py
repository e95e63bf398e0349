"""Small builders for pure domain objects: sensible defaults, every field overridable.

They construct aggregates directly (no use case, no database), so a test can put an object in
any state it needs and then exercise exactly one rule.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from app.domain.enrollment import Enrollment, ParticipantRole
from app.domain.pairing import Participant
from app.domain.person import Person
from app.domain.program import Program, ProgramRules, ProgramStatus
from app.domain.session import Feedback, Session, SessionStatus
from app.domain.tandem import Side, Tandem, TandemStatus
from app.domain.values import MeetingFormat

ORG_ID = uuid.UUID("00000000-0000-0000-0000-0000000000a1")
OTHER_ORG_ID = uuid.UUID("00000000-0000-0000-0000-0000000000b2")

# A fixed "now" for rules that take the time as an argument (health, expiry).
NOW = datetime(2030, 6, 15, 12, 0, tzinfo=UTC)

MENTOR_BIRTH_YEAR = 1998  # Gen Z, a digital native
MENTEE_BIRTH_YEAR = 1966  # Gen X, a digital immigrant


def an_id() -> uuid.UUID:
    return uuid.uuid4()


def real_now() -> datetime:
    """The wall clock, for rules that read it themselves (acceptance, holding a session)."""
    return datetime.now(UTC)


def this_year() -> int:
    return real_now().year


def a_person(**overrides: Any) -> Person:
    fields: dict[str, Any] = {"org_id": ORG_ID, "display_name": "Ada Lovelace", "birth_year": 1990}
    fields.update(overrides)
    return Person(**fields)


def a_mentor(**overrides: Any) -> Person:
    overrides.setdefault("birth_year", MENTOR_BIRTH_YEAR)
    overrides.setdefault("department", "Digital")
    return a_person(**{"display_name": "Mia Mentor", **overrides})


def a_mentee(**overrides: Any) -> Person:
    overrides.setdefault("birth_year", MENTEE_BIRTH_YEAR)
    overrides.setdefault("department", "Board")
    return a_person(**{"display_name": "Max Mentee", **overrides})


def a_program(status: ProgramStatus = ProgramStatus.ENROLLING, **overrides: Any) -> Program:
    fields: dict[str, Any] = {
        "org_id": ORG_ID,
        "title": "Reverse mentoring 2030",
        "starts_on": date(2030, 1, 1),
        "ends_on": date(2030, 10, 1),
        "status": status,
    }
    fields.update(overrides)
    return Program(**fields)


def rules(**overrides: Any) -> ProgramRules:
    return ProgramRules(**overrides)


def an_enrollment(program: Program, person: Person, role: ParticipantRole, **overrides: Any) -> Enrollment:
    """An enrollment built directly, bypassing ``enroll`` (as if the rules changed afterwards)."""
    fields: dict[str, Any] = {
        "org_id": program.org_id,
        "program_id": program.id,
        "person_id": person.id,
        "role": role,
    }
    fields.update(overrides)
    return Enrollment(**fields)


def a_participant(program: Program, person: Person, role: ParticipantRole, **overrides: Any) -> Participant:
    return Participant(an_enrollment(program, person, role, **overrides), person)


def a_pairing(
    program: Program | None = None, *, mentor: Person | None = None, mentee: Person | None = None
) -> tuple[Program, Participant, Participant]:
    """A program with a mentor and a mentee who may be paired under the default rules."""
    program = program or a_program(ProgramStatus.MATCHING)
    mentor_side = a_participant(program, mentor or a_mentor(), ParticipantRole.MENTOR)
    mentee_side = a_participant(program, mentee or a_mentee(), ParticipantRole.MENTEE)
    return program, mentor_side, mentee_side


def a_proposal(**overrides: Any) -> Tandem:
    fields: dict[str, Any] = {
        "org_id": ORG_ID,
        "program_id": an_id(),
        "mentor_enrollment_id": an_id(),
        "mentee_enrollment_id": an_id(),
        "mentor_person_id": an_id(),
        "mentee_person_id": an_id(),
        "expiry_days": 14,
        "actor_id": an_id(),
    }
    fields.update(overrides)
    return Tandem.propose(**fields)


def a_tandem(status: TandemStatus = TandemStatus.ACTIVE, **overrides: Any) -> Tandem:
    """A tandem put directly in ``status``; a proposal expires in a week unless told otherwise."""
    accepted = None if status is TandemStatus.PROPOSED else real_now() - timedelta(days=30)
    fields: dict[str, Any] = {
        "org_id": ORG_ID,
        "program_id": an_id(),
        "mentor_enrollment_id": an_id(),
        "mentee_enrollment_id": an_id(),
        "mentor_person_id": an_id(),
        "mentee_person_id": an_id(),
        "expires_at": real_now() + timedelta(days=7),
        "status": status,
        "mentor_accepted_at": accepted,
        "mentee_accepted_at": accepted,
    }
    fields.update(overrides)
    return Tandem(**fields)


def a_session(status: SessionStatus = SessionStatus.SCHEDULED, **overrides: Any) -> Session:
    """A one-hour video call that started an hour ago (so it may be held or missed)."""
    fields: dict[str, Any] = {
        "org_id": ORG_ID,
        "tandem_id": an_id(),
        "starts_at": real_now() - timedelta(hours=1),
        "duration_minutes": 60,
        "format": MeetingFormat.VIDEO_CALL,
        "status": status,
    }
    fields.update(overrides)
    return Session(**fields)


def a_feedback(rating: int = 4, *, author_person_id: uuid.UUID | None = None, side: Side = Side.MENTEE) -> Feedback:
    return Feedback(author_person_id=author_person_id or an_id(), side=side, rating=rating)


def event_types(aggregate: Any) -> list[str]:
    return [event.type for event in aggregate.pull_events()]
