"""Enrollment: a person taking part in a program as mentor or mentee."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from uuid import UUID, uuid4

from app.domain.clock import utcnow
from app.domain.errors import Conflict, RuleViolation
from app.domain.events import DomainEvent, EventRecorder
from app.domain.person import Person
from app.domain.placement import PlacementStage, PoolMentorRef, placement_event
from app.domain.program import Program
from app.domain.values import Topic, clean_labels

MAX_CAPACITY = 20
MAX_TOPICS = 30


class ParticipantRole(StrEnum):
    MENTOR = "mentor"
    MENTEE = "mentee"


class EnrollmentStatus(StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"


@dataclass(eq=False)
class Enrollment(EventRecorder):
    org_id: UUID
    program_id: UUID
    person_id: UUID
    role: ParticipantRole
    needs: tuple[Topic, ...] = ()
    offers: tuple[Topic, ...] = ()
    key_questions: tuple[str, ...] = ()
    capacity: int = 1
    status: EnrollmentStatus = EnrollmentStatus.ACTIVE
    # the partner's pool mentor the person is (while the organization grants the partner): a
    # mentor's enrolling and leaving are then also that partner's events; not stored here
    pool_mentor: PoolMentorRef | None = None
    id: UUID = field(default_factory=uuid4)
    version: int = 1
    created_at: datetime = field(default_factory=utcnow)
    updated_at: datetime = field(default_factory=utcnow)

    def __post_init__(self) -> None:
        EventRecorder.__init__(self)
        self._validate()

    def _validate(self) -> None:
        if len(self.needs) > MAX_TOPICS or len(self.offers) > MAX_TOPICS:
            raise RuleViolation(f"at most {MAX_TOPICS} topics", code="too_many_items", field="needs")
        self.key_questions = clean_labels(self.key_questions, "key_questions")
        if self.role is ParticipantRole.MENTEE and self.capacity != 1:
            raise RuleViolation("a mentee takes part in one tandem", code="invalid_capacity", field="capacity")
        if not 1 <= self.capacity <= MAX_CAPACITY:
            raise RuleViolation(
                f"capacity must be between 1 and {MAX_CAPACITY}", code="invalid_capacity", field="capacity"
            )

    @property
    def is_active(self) -> bool:
        return self.status is EnrollmentStatus.ACTIVE

    def update(
        self,
        *,
        needs: tuple[Topic, ...] | None = None,
        offers: tuple[Topic, ...] | None = None,
        key_questions: tuple[str, ...] | None = None,
        capacity: int | None = None,
    ) -> None:
        if not self.is_active:
            raise RuleViolation("a withdrawn enrollment cannot be edited", code="enrollment_withdrawn")
        snapshot = (self.needs, self.offers, self.key_questions, self.capacity)
        self.needs = needs if needs is not None else self.needs
        self.offers = offers if offers is not None else self.offers
        self.key_questions = key_questions if key_questions is not None else self.key_questions
        self.capacity = capacity if capacity is not None else self.capacity
        try:
            self._validate()
        except RuleViolation:
            self.needs, self.offers, self.key_questions, self.capacity = snapshot
            raise
        self.updated_at = utcnow()

    def ensure_capacity_covers(self, capacity: int, open_tandems: int) -> None:
        """A mentor's capacity may shrink, but not below the open tandems that already use it."""
        if capacity < open_tandems:
            raise Conflict(
                f"the mentor has {open_tandems} open tandem(s); capacity cannot drop below that",
                code="capacity_below_open_tandems",
                field="capacity",
            )

    def ensure_free_to_leave(self, open_tandems: int) -> None:
        """Leaving a program is for participants without an open tandem: they end it first."""
        if open_tandems:
            raise Conflict("the enrollment has an open tandem; end it first", code="enrollment_has_open_tandem")

    def withdraw(self) -> None:
        if not self.is_active:
            return
        self.status = EnrollmentStatus.WITHDRAWN
        self.updated_at = utcnow()
        self.record(DomainEvent("enrollment.withdrawn", self.org_id, self.id, {"program_id": str(self.program_id)}))
        self._tell_partner(PlacementStage.WITHDRAWN)

    def _tell_partner(self, stage: PlacementStage) -> None:
        """A pool mentor's placement as a mentor is news for the partner (on the mentee side it is not)."""
        if self.pool_mentor is not None and self.role is ParticipantRole.MENTOR:
            self.record(placement_event(self.pool_mentor, stage, org_id=self.org_id, program_id=self.program_id))

    def erase(self) -> None:
        """GDPR erasure of the person: withdrawn, and what they wrote about themselves goes.

        Needs, offers and key questions are the person's own words; role, capacity, status and
        dates stay for the program's anonymous statistics. The partner is not told under its id
        for the erased person.
        """
        self.pool_mentor = None
        self.withdraw()
        if self.needs or self.offers or self.key_questions:
            self.needs, self.offers, self.key_questions = (), (), ()
            self.updated_at = utcnow()


def enroll(
    program: Program,
    person: Person,
    role: ParticipantRole,
    *,
    needs: tuple[Topic, ...] = (),
    offers: tuple[Topic, ...] = (),
    key_questions: tuple[str, ...] = (),
    capacity: int | None = None,
    pool_mentor: PoolMentorRef | None = None,
) -> Enrollment:
    """Enroll ``person`` in ``program``; the program's generation rules apply at once.

    ``pool_mentor`` is the partner's pool mentor the person is, if the organization grants the partner.
    """
    program.ensure_enrollable()
    if person.org_id != program.org_id:
        raise RuleViolation("the person belongs to another organization", code="wrong_organization")
    if person.erased:
        raise RuleViolation("an erased person cannot take part", code="person_erased")
    if not person.active:
        # the organization's identity provider deactivated them (SCIM): they left, or are suspended
        raise RuleViolation("a deactivated person cannot take part", code="person_deactivated")
    rules = program.rules
    if role is ParticipantRole.MENTOR and rules.mentor_must_be_digital_native and not person.digital_native:
        raise RuleViolation(
            "mentors must be digital natives (born 1981 or later)", code="mentor_not_digital_native", field="role"
        )
    if role is ParticipantRole.MENTEE and rules.mentee_must_be_digital_immigrant and person.digital_native:
        raise RuleViolation(
            "mentees must be digital immigrants (born before 1981)", code="mentee_not_digital_immigrant", field="role"
        )
    if capacity is None:
        capacity = rules.default_mentor_capacity if role is ParticipantRole.MENTOR else 1
    enrollment = Enrollment(
        org_id=program.org_id,
        program_id=program.id,
        person_id=person.id,
        role=role,
        needs=needs,
        offers=offers,
        key_questions=key_questions,
        capacity=capacity,
        pool_mentor=pool_mentor,
    )
    enrollment.record(
        DomainEvent(
            "enrollment.created", program.org_id, enrollment.id, {"program_id": str(program.id), "role": role.value}
        )
    )
    enrollment._tell_partner(PlacementStage.ENROLLED)
    return enrollment
