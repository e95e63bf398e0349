"""Domain events and the recorder the aggregates share."""

from __future__ import annotations

from datetime import UTC

from app.domain.events import DomainEvent, EventRecorder
from tests.unit.builders import ORG_ID, an_id


def test_an_event_knows_its_tenant_subject_and_time() -> None:
    subject = an_id()
    event = DomainEvent("tandem.proposed", ORG_ID, subject, {"program_id": "p"})
    assert (event.type, event.org_id, event.subject_id, event.data) == (
        "tandem.proposed",
        ORG_ID,
        subject,
        {"program_id": "p"},
    )
    assert event.occurred_at.tzinfo is UTC


def test_recorded_events_are_pulled_in_order_and_only_once() -> None:
    recorder = EventRecorder()
    first, second = DomainEvent("a.one", ORG_ID, an_id()), DomainEvent("a.two", ORG_ID, an_id())
    recorder.record(first)
    recorder.record(second)
    assert recorder.pull_events() == [first, second]
    assert recorder.pull_events() == []
