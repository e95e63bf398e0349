"""What a partner hears of its pool mentor: the placement events of tandems, enrollments and the pool."""

from __future__ import annotations

from uuid import UUID

import pytest

from app.domain.enrollment import ParticipantRole, enroll
from app.domain.events import DomainEvent
from app.domain.partner import PartnerMentor, SyncStatus
from app.domain.placement import PoolMentorRef
from app.domain.program import ProgramStatus
from app.domain.tandem import Side, TandemStatus
from tests.unit.builders import a_mentee, a_mentor, a_program, a_proposal, a_tandem, an_enrollment, an_id

POOL = PoolMentorRef(partner_id=an_id(), mentor_id=an_id(), external_id="ngt-1")


def _partners(events: list[DomainEvent]) -> list[tuple[str, str | None]]:
    return [(e.type, e.data.get("stage")) for e in events if e.partner_id is not None]


def test_a_proposal_of_a_pool_mentor_tells_the_partner_beside_the_organization() -> None:
    tandem = a_proposal(mentor_pool=POOL)
    org_event, partner_event = tandem.pull_events()
    assert (org_event.type, org_event.partner_id) == ("tandem.proposed", None)
    assert (partner_event.type, partner_event.org_id, partner_event.partner_id, partner_event.subject_id) == (
        "partner_mentor.placement_changed",
        tandem.org_id,
        POOL.partner_id,
        POOL.mentor_id,
    )
    assert partner_event.data == {
        "external_id": "ngt-1",
        "program_id": str(tandem.program_id),
        "stage": "proposed",
        "tandem_id": str(tandem.id),
    }


def test_a_tandem_of_an_internal_mentor_tells_no_partner() -> None:
    tandem = a_proposal()
    tandem.accept(Side.MENTOR, None)
    tandem.accept(Side.MENTEE, None)
    assert _partners(tandem.pull_events()) == []


def test_both_sides_accepting_is_the_match_and_pausing_or_resuming_is_no_news() -> None:
    tandem = a_proposal(mentor_pool=POOL)
    tandem.pull_events()
    tandem.accept(Side.MENTOR, None)
    assert _partners(tandem.pull_events()) == []
    tandem.accept(Side.MENTEE, None)
    assert _partners(tandem.pull_events()) == [("partner_mentor.matched", "matched")]
    tandem.pause(None)
    tandem.resume(None)
    assert _partners(tandem.pull_events()) == []


@pytest.mark.parametrize(
    ("status", "end", "stage"),
    [
        (TandemStatus.ACTIVE, lambda t: t.complete(None), "completed"),
        (TandemStatus.PAUSED, lambda t: t.dissolve(None, "moved abroad"), "dissolved"),
        (TandemStatus.PROPOSED, lambda t: t.decline(Side.MENTEE, None), "declined"),
        (TandemStatus.ACTIVE, lambda t: t.close_with_program(None, program_cancelled=False), "completed"),
    ],
    ids=["completed", "dissolved", "declined", "program completed"],
)
def test_an_ending_tells_the_partner_how(status: TandemStatus, end, stage: str) -> None:
    tandem = a_tandem(status, mentor_pool=POOL)
    end(tandem)
    [event] = [e for e in tandem.pull_events() if e.partner_id is not None]
    assert (event.type, event.data["stage"]) == ("partner_mentor.placement_changed", stage)
    assert "moved abroad" not in str(event.data)


def test_erasing_the_mentor_silences_the_partner_and_erasing_the_mentee_does_not() -> None:
    mentee_erased = a_tandem(TandemStatus.ACTIVE, mentor_pool=POOL)
    mentee_erased.erase_free_text(mentee_erased.mentee_person_id)
    mentee_erased.end(None, "erased")
    assert _partners(mentee_erased.pull_events()) == [("partner_mentor.placement_changed", "dissolved")]

    mentor_erased = a_tandem(TandemStatus.ACTIVE, mentor_pool=POOL)
    mentor_erased.erase_free_text(mentor_erased.mentor_person_id)
    mentor_erased.end(None, "erased")
    assert _partners(mentor_erased.pull_events()) == []


def test_a_pool_mentor_enrolled_as_a_mentor_and_leaving_tells_the_partner() -> None:
    program = a_program(ProgramStatus.ENROLLING)
    enrollment = enroll(program, a_mentor(), ParticipantRole.MENTOR, pool_mentor=POOL)
    assert _partners(enrollment.pull_events()) == [("partner_mentor.placement_changed", "enrolled")]
    enrollment.withdraw()
    [event] = [e for e in enrollment.pull_events() if e.partner_id is not None]
    assert event.data == {"external_id": "ngt-1", "program_id": str(program.id), "stage": "withdrawn"}


def test_a_pool_person_on_the_mentee_side_or_erased_tells_nothing() -> None:
    program = a_program(ProgramStatus.ENROLLING)
    as_mentee = an_enrollment(program, a_mentee(), ParticipantRole.MENTEE, pool_mentor=POOL)
    as_mentee.withdraw()
    erased = an_enrollment(program, a_mentor(), ParticipantRole.MENTOR, pool_mentor=POOL)
    erased.erase()
    assert _partners(as_mentee.pull_events()) == _partners(erased.pull_events()) == []


def _pool_mentor(partner_id: UUID, **fields: object) -> PartnerMentor:
    profile = {"external_id": "ngt-1", "display_name": "Mia", "birth_year": 1999} | fields
    return PartnerMentor(partner_id=partner_id, **profile)  # type: ignore[arg-type]


def test_a_synced_mentor_names_the_changed_fields_and_an_unchanged_one_tells_nothing() -> None:
    partner_id = an_id()
    stored = _pool_mentor(partner_id, city="Bonn")
    sent = _pool_mentor(partner_id, city="Köln", bio="New bio")
    sent.synced(SyncStatus.UPDATED, stored)
    [event] = sent.pull_events()
    assert (event.type, event.org_id, event.partner_id) == ("partner_mentor.upserted", None, partner_id)
    assert event.data == {"external_id": "ngt-1", "status": "updated", "changed": ["bio", "city"]}
    again = _pool_mentor(partner_id, city="Köln")
    again.synced(SyncStatus.UNCHANGED, stored)
    assert again.pull_events() == []


def test_withdrawing_tells_the_partner_once_and_erasing_tells_nothing() -> None:
    mentor = _pool_mentor(an_id())
    assert mentor.withdraw() and not mentor.withdraw()
    assert [(e.type, e.data) for e in mentor.pull_events()] == [("partner_mentor.withdrawn", {"external_id": "ngt-1"})]
    erased = _pool_mentor(an_id())
    erased.erase()
    assert erased.withdrawn and erased.pull_events() == []
