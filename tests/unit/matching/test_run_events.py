"""A matching run records its outcome as an event: counts for a completed run, never the error text."""

from __future__ import annotations

from app.domain.matching.optimizer import MatchingResult
from app.domain.matching.run import MatchingRun
from app.domain.matching_policy import Objective
from tests.unit.builders import ORG_ID, an_id


def a_run() -> MatchingRun:
    return MatchingRun(org_id=ORG_ID, program_id=an_id())


def test_starting_and_reporting_progress_record_nothing() -> None:
    run = a_run()
    run.start()
    run.report(50)
    assert run.pull_events() == []


def test_a_completed_run_records_how_many_it_proposed_and_left_unmatched() -> None:
    run = a_run()
    run.start()
    run.complete(MatchingResult(Objective.MAX_TOTAL_SCORE, (), ()))
    [event] = run.pull_events()
    assert (event.type, event.org_id, event.subject_id, event.data) == (
        "matching_run.completed",
        ORG_ID,
        run.id,
        {"program_id": str(run.program_id), "proposals": 0, "unmatched": 0},
    )


def test_a_failed_run_records_where_it_failed_but_not_why() -> None:
    run = a_run()
    run.fail("pinned_breaks_rules: Jane Doe is not a digital native")
    [event] = run.pull_events()
    assert (event.type, event.data) == ("matching_run.failed", {"program_id": str(run.program_id), "from": "queued"})
