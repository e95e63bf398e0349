"""Tandem: one mentor and one mentee in one program, with its state machine and history."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING
from uuid import UUID, uuid4

from app.domain.clock import utcnow
from app.domain.errors import InvalidTransition, RuleViolation
from app.domain.events import DomainEvent, EventRecorder
from app.domain.placement import PlacementStage, PoolMentorRef, placement_event
from app.domain.states import ensure_transition
from app.domain.values import MeetingFormat

if TYPE_CHECKING:  # health reads tandems; a tandem only carries its stored health
    from app.domain.health import HealthAssessment

MAX_REASON = 2000


class TandemStatus(StrEnum):
    PROPOSED = "proposed"
    ACTIVE = "active"
    PAUSED = "paused"
    DECLINED = "declined"
    EXPIRED = "expired"
    COMPLETED = "completed"
    DISSOLVED = "dissolved"


# The one definition of "open" (a mentee has at most one such tandem per program) and of
# "matched" (both sides said yes at some point); the database's partial indexes and queries
# are written from these tuples.
OPEN_STATUSES = (TandemStatus.PROPOSED, TandemStatus.ACTIVE, TandemStatus.PAUSED)
MATCHED_STATUSES = (TandemStatus.ACTIVE, TandemStatus.PAUSED, TandemStatus.COMPLETED)

_ALLOWED = {
    TandemStatus.PROPOSED: frozenset({TandemStatus.ACTIVE, TandemStatus.DECLINED, TandemStatus.EXPIRED}),
    TandemStatus.ACTIVE: frozenset({TandemStatus.PAUSED, TandemStatus.COMPLETED, TandemStatus.DISSOLVED}),
    TandemStatus.PAUSED: frozenset({TandemStatus.ACTIVE, TandemStatus.COMPLETED, TandemStatus.DISSOLVED}),
}

# What the mentor's partner hears of a move; pausing and resuming leave the placement as it is.
_PLACEMENT_STAGES = {
    TandemStatus.DECLINED: PlacementStage.DECLINED,
    TandemStatus.EXPIRED: PlacementStage.EXPIRED,
    TandemStatus.COMPLETED: PlacementStage.COMPLETED,
    TandemStatus.DISSOLVED: PlacementStage.DISSOLVED,
}


class Side(StrEnum):
    MENTOR = "mentor"
    MENTEE = "mentee"


@dataclass(frozen=True, slots=True)
class Transition:
    """One entry of the history: who moved the tandem, when, and why."""

    from_status: TandemStatus | None
    to_status: TandemStatus
    actor_id: UUID | None
    at: datetime
    reason: str | None = None
    id: UUID = field(default_factory=uuid4)


@dataclass(eq=False)
class Tandem(EventRecorder):
    org_id: UUID
    program_id: UUID
    mentor_enrollment_id: UUID
    mentee_enrollment_id: UUID
    mentor_person_id: UUID
    mentee_person_id: UUID
    expires_at: datetime
    formats: tuple[MeetingFormat, ...] = ()
    status: TandemStatus = TandemStatus.PROPOSED
    mentor_accepted_at: datetime | None = None
    mentee_accepted_at: datetime | None = None
    fit_mentor: bool | None = None
    fit_mentee: bool | None = None
    rematch_flagged: bool = False
    end_reason: str | None = None
    never_pair_again: bool = False
    # the partner's pool mentor the mentor is (while the organization grants the partner): the
    # tandem's moves are then also that partner's events; not stored with the tandem
    mentor_pool: PoolMentorRef | None = None
    history: list[Transition] = field(default_factory=list)
    # the stored health (None while closed) and when it last changed: written by the health
    # refresh alone (app/services/health.py), never by saving the tandem
    health: HealthAssessment | None = None
    health_changed_at: datetime | None = None
    id: UUID = field(default_factory=uuid4)
    version: int = 1
    created_at: datetime = field(default_factory=utcnow)
    updated_at: datetime = field(default_factory=utcnow)

    def __post_init__(self) -> None:
        EventRecorder.__init__(self)
        self.formats = tuple(dict.fromkeys(MeetingFormat(f) for f in self.formats))

    @classmethod
    def propose(
        cls,
        *,
        org_id: UUID,
        program_id: UUID,
        mentor_enrollment_id: UUID,
        mentee_enrollment_id: UUID,
        mentor_person_id: UUID,
        mentee_person_id: UUID,
        expiry_days: int,
        actor_id: UUID | None,
        formats: tuple[MeetingFormat, ...] = (),
        reason: str | None = None,
        mentor_pool: PoolMentorRef | None = None,
    ) -> Tandem:
        """A new proposal. Callers check the pairing rules first (``pairing.check_pair``)."""
        now = utcnow()
        tandem = cls(
            org_id=org_id,
            program_id=program_id,
            mentor_enrollment_id=mentor_enrollment_id,
            mentee_enrollment_id=mentee_enrollment_id,
            mentor_person_id=mentor_person_id,
            mentee_person_id=mentee_person_id,
            expires_at=now + timedelta(days=expiry_days),
            formats=formats,
            mentor_pool=mentor_pool,
            created_at=now,
            updated_at=now,
        )
        tandem.history.append(Transition(None, TandemStatus.PROPOSED, actor_id, now, reason))
        tandem.record(DomainEvent("tandem.proposed", org_id, tandem.id, {"program_id": str(program_id)}))
        tandem._tell_partner(PlacementStage.PROPOSED)
        return tandem

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def ensure_can_schedule(self) -> None:
        """Sessions, and the slots to plan them, are for active tandems: not proposed, paused or ended."""
        if self.status is not TandemStatus.ACTIVE:
            raise RuleViolation(
                f"sessions are planned for active tandems, not {self.status.value} ones", code="tandem_not_active"
            )

    def side_of(self, person_id: UUID | None) -> Side | None:
        """Which side ``person_id`` is on, or None for anyone else."""
        if person_id is not None and person_id == self.mentor_person_id:
            return Side.MENTOR
        if person_id is not None and person_id == self.mentee_person_id:
            return Side.MENTEE
        return None

    def accepted_by(self, side: Side) -> bool:
        return (self.mentor_accepted_at if side is Side.MENTOR else self.mentee_accepted_at) is not None

    def accept(self, side: Side, actor_id: UUID | None) -> None:
        """Each side accepts once; the second acceptance activates the tandem."""
        self._ensure_not_expired()
        if self.status is not TandemStatus.PROPOSED:
            raise InvalidTransition(
                f"a {self.status.value} tandem cannot be accepted", code="tandem_invalid_transition"
            )
        now = utcnow()
        if side is Side.MENTOR:
            self.mentor_accepted_at = self.mentor_accepted_at or now
        else:
            self.mentee_accepted_at = self.mentee_accepted_at or now
        self.updated_at = now
        if self.mentor_accepted_at and self.mentee_accepted_at:
            self._move(TandemStatus.ACTIVE, actor_id, "both sides accepted")

    def decline(self, side: Side, actor_id: UUID | None, reason: str | None = None) -> None:
        self._ensure_not_expired()
        self._move(TandemStatus.DECLINED, actor_id, _reason(reason) or f"declined by the {side.value}")

    def pause(self, actor_id: UUID | None, reason: str | None = None) -> None:
        self._move(TandemStatus.PAUSED, actor_id, _reason(reason))

    def resume(self, actor_id: UUID | None, reason: str | None = None) -> None:
        if self.status is not TandemStatus.PAUSED:
            raise InvalidTransition("only a paused tandem can resume", code="tandem_invalid_transition")
        self._move(TandemStatus.ACTIVE, actor_id, _reason(reason))

    def complete(self, actor_id: UUID | None, reason: str | None = None) -> None:
        self._move(TandemStatus.COMPLETED, actor_id, _reason(reason))

    def dissolve(self, actor_id: UUID | None, reason: str, never_pair_again: bool = False) -> None:
        """End early. A reason is required; both people become free for a rematch."""
        text = _reason(reason)
        if not text:
            raise RuleViolation("dissolving a tandem needs a reason", code="reason_required", field="reason")
        self._move(TandemStatus.DISSOLVED, actor_id, text)
        self.end_reason = text
        self.never_pair_again = never_pair_again

    def end(self, actor_id: UUID | None, reason: str) -> None:
        """End an open tandem whatever its state: a proposal is declined, a running one dissolved."""
        if self.status is TandemStatus.PROPOSED:
            self._move(TandemStatus.DECLINED, actor_id, reason)
        elif self.is_open:
            self.dissolve(actor_id, reason)

    def close_with_program(self, actor_id: UUID | None, program_cancelled: bool) -> None:
        """The program ended: running tandems complete (or dissolve), unanswered proposals expire."""
        if self.status is TandemStatus.PROPOSED:
            self._move(TandemStatus.EXPIRED, actor_id, "the program ended")
        elif program_cancelled and self.is_open:
            self.dissolve(actor_id, "the program was cancelled")
        elif self.is_open:
            self._move(TandemStatus.COMPLETED, actor_id, "the program was completed")

    def expire_if_due(self, now: datetime) -> bool:
        """A proposal that neither side answered in time expires. Returns True when it did."""
        if self.status is TandemStatus.PROPOSED and now >= self.expires_at:
            self._move(TandemStatus.EXPIRED, None, "nobody answered the proposal in time")
            return True
        return False

    def answer_fit_check(self, side: Side, fits: bool, held_sessions: int) -> None:
        """After the first held session each side says whether the pairing fits."""
        if self.status not in (TandemStatus.ACTIVE, TandemStatus.PAUSED):
            raise RuleViolation("only a running tandem has a fit check", code="tandem_not_active")
        if held_sessions < 1:
            raise RuleViolation("the fit check opens after the first held session", code="fit_check_too_early")
        if side is Side.MENTOR:
            self.fit_mentor = fits
        else:
            self.fit_mentee = fits
        self.updated_at = utcnow()
        if not fits and not self.rematch_flagged:
            self.rematch_flagged = True
            self.record(DomainEvent("tandem.fit_flagged", self.org_id, self.id, {"side": side.value}))

    def erase_free_text(self, person_id: UUID | None = None) -> None:
        """GDPR erasure of a participant: the reasons people wrote (ending, history) go; who moved
        the tandem when, and to which status, stays. When ``person_id`` is the mentor, what the
        tandem does next is no longer told to their partner under the partner's id for them."""
        if person_id is not None and person_id == self.mentor_person_id:
            self.mentor_pool = None
        self.end_reason = None
        self.history = [replace(tr, reason=None) for tr in self.history]
        self.updated_at = utcnow()

    @property
    def failed_fit_check(self) -> bool:
        return self.fit_mentor is False or self.fit_mentee is False

    def _ensure_not_expired(self) -> None:
        if self.status is TandemStatus.PROPOSED and utcnow() >= self.expires_at:
            raise RuleViolation("the proposal has expired", code="proposal_expired")

    def _move(self, target: TandemStatus, actor_id: UUID | None, reason: str | None) -> None:
        previous = self.status
        self.status = ensure_transition("tandem", self.status, target, _ALLOWED)
        now = utcnow()
        self.updated_at = now
        self.history.append(Transition(previous, target, actor_id, now, reason))
        self.record(
            DomainEvent("tandem.status_changed", self.org_id, self.id, {"from": previous.value, "to": target.value})
        )
        if target is TandemStatus.ACTIVE and previous is TandemStatus.PROPOSED:
            self._tell_partner(PlacementStage.MATCHED)
        elif target in _PLACEMENT_STAGES:
            self._tell_partner(_PLACEMENT_STAGES[target])

    def _tell_partner(self, stage: PlacementStage) -> None:
        if self.mentor_pool is not None:
            self.record(
                placement_event(
                    self.mentor_pool, stage, org_id=self.org_id, program_id=self.program_id, tandem_id=self.id
                )
            )


def _reason(reason: str | None) -> str | None:
    if reason is None:
        return None
    text = reason.strip()
    if len(text) > MAX_REASON:
        raise RuleViolation(f"a reason has at most {MAX_REASON} characters", code="too_long", field="reason")
    return text or None
