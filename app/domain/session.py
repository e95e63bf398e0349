"""Session: one meeting of a tandem, with its state machine and each side's feedback."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from uuid import UUID, uuid4

from app.domain.clock import require_aware, utcnow
from app.domain.errors import Conflict, RuleViolation
from app.domain.events import DomainEvent, EventRecorder
from app.domain.states import ensure_transition
from app.domain.tandem import Side
from app.domain.values import MeetingFormat

MAX_DURATION_MINUTES = 12 * 60  # a shadowing day is the longest format


class SessionStatus(StrEnum):
    SCHEDULED = "scheduled"
    HELD = "held"
    CANCELLED = "cancelled"
    MISSED = "missed"


_ALLOWED = {
    SessionStatus.SCHEDULED: frozenset({SessionStatus.HELD, SessionStatus.CANCELLED, SessionStatus.MISSED}),
}


@dataclass(frozen=True, slots=True)
class Feedback:
    """One participant's feedback on a held session."""

    author_person_id: UUID
    side: Side
    rating: int
    learned: str = ""
    goals_covered: tuple[UUID, ...] = ()
    comment: str = ""
    id: UUID = field(default_factory=uuid4)
    created_at: datetime = field(default_factory=utcnow)

    def __post_init__(self) -> None:
        if not 1 <= self.rating <= 5:
            raise RuleViolation("rating must be 1 to 5", code="invalid_rating", field="rating")

    def without_free_text(self) -> Feedback:
        """The author's words go; rating, side and the goals covered stay as anonymous statistics."""
        return replace(self, learned="", comment="")


@dataclass(eq=False)
class Session(EventRecorder):
    org_id: UUID
    tandem_id: UUID
    starts_at: datetime
    duration_minutes: int
    format: MeetingFormat
    location: str | None = None
    video_link: str | None = None
    agenda: str = ""
    notes: str = ""
    goals_covered: tuple[UUID, ...] = ()
    status: SessionStatus = SessionStatus.SCHEDULED
    feedback: list[Feedback] = field(default_factory=list)
    id: UUID = field(default_factory=uuid4)
    version: int = 1
    created_at: datetime = field(default_factory=utcnow)
    updated_at: datetime = field(default_factory=utcnow)

    def __post_init__(self) -> None:
        EventRecorder.__init__(self)
        self.format = _format(self.format)
        self._validate()

    def _validate(self) -> None:
        try:
            self.starts_at = require_aware(self.starts_at)
        except ValueError as exc:
            raise RuleViolation("starts_at needs a time zone", code="naive_datetime", field="starts_at") from exc
        if not 5 <= self.duration_minutes <= MAX_DURATION_MINUTES:
            raise RuleViolation(
                f"duration must be 5 to {MAX_DURATION_MINUTES} minutes",
                code="invalid_duration",
                field="duration_minutes",
            )

    def record_scheduled(self) -> None:
        self.record(DomainEvent("session.scheduled", self.org_id, self.id, {"tandem_id": str(self.tandem_id)}))

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    def ensure_within(self, starts_on: date, ends_on: date) -> None:
        """Sessions take place inside the program period."""
        if not (starts_on <= self.starts_at.date() and self.ends_at.date() <= ends_on):
            raise RuleViolation(
                "the session must lie inside the program period", code="outside_program_period", field="starts_at"
            )

    def reschedule(
        self,
        *,
        starts_at: datetime | None = None,
        duration_minutes: int | None = None,
        format: MeetingFormat | str | None = None,
        location: str | None = None,
        video_link: str | None = None,
        agenda: str | None = None,
    ) -> None:
        """Change time or details (all or nothing); a rescheduled session stays scheduled."""
        if self.status is not SessionStatus.SCHEDULED:
            raise RuleViolation(f"a {self.status.value} session cannot be changed", code="session_not_scheduled")
        new_format = _format(format) if format is not None else self.format
        previous = (self.starts_at, self.duration_minutes)
        self.starts_at = starts_at or self.starts_at
        self.duration_minutes = duration_minutes if duration_minutes is not None else self.duration_minutes
        try:
            self._validate()
        except RuleViolation:
            self.starts_at, self.duration_minutes = previous
            raise
        self.format = new_format
        self.location = location if location is not None else self.location
        self.video_link = video_link if video_link is not None else self.video_link
        self.agenda = agenda if agenda is not None else self.agenda
        self.updated_at = utcnow()

    def hold(self, *, notes: str | None = None, goals_covered: tuple[UUID, ...] = ()) -> None:
        self._ensure_started("held")
        self._move(SessionStatus.HELD)
        self.notes = notes if notes is not None else self.notes
        self.goals_covered = goals_covered or self.goals_covered

    def cancel(self) -> None:
        self._move(SessionStatus.CANCELLED)

    def miss(self) -> None:
        self._ensure_started("missed")
        self._move(SessionStatus.MISSED)

    def give_feedback(self, feedback: Feedback) -> None:
        """Each participant gives feedback at most once, and only on a held session."""
        if self.status is not SessionStatus.HELD:
            raise RuleViolation("feedback is for held sessions", code="session_not_held")
        if any(f.author_person_id == feedback.author_person_id for f in self.feedback):
            raise Conflict("this participant already gave feedback on the session", code="feedback_already_given")
        self.feedback.append(feedback)
        self.updated_at = utcnow()
        self.record(
            DomainEvent(
                "feedback.submitted", self.org_id, self.id, {"side": feedback.side.value, "rating": feedback.rating}
            )
        )

    def erase_free_text(self, person_id: UUID) -> None:
        """GDPR erasure of a participant of the tandem.

        Agenda, notes, place and link were written in the tandem, most likely about both people,
        so they go whichever side wrote them; of the feedback only the erased person's own words
        go (the other side's are that person's data). Status, times and ratings stay.
        """
        self.agenda, self.notes, self.location, self.video_link = "", "", None, None
        self.feedback = [f.without_free_text() if f.author_person_id == person_id else f for f in self.feedback]
        self.updated_at = utcnow()

    def _ensure_started(self, what: str) -> None:
        if self.starts_at > utcnow():
            raise RuleViolation(f"a session cannot be {what} before it starts", code="session_not_started")

    def _move(self, target: SessionStatus) -> None:
        previous = self.status
        self.status = ensure_transition("session", self.status, target, _ALLOWED)
        self.updated_at = utcnow()
        self.record(
            DomainEvent("session.status_changed", self.org_id, self.id, {"from": previous.value, "to": target.value})
        )


def _format(value: MeetingFormat | str) -> MeetingFormat:
    try:
        return MeetingFormat(value)
    except ValueError as exc:
        choices = ", ".join(f.value for f in MeetingFormat)
        raise RuleViolation(f"format must be one of {choices}", code="invalid_format", field="format") from exc
