"""No N+1: a nested program read costs the same number of SQL statements for 10 or 100 tandems.

Statements are counted on the app's own engine (``app.state.engine``), so the seeding through
the test engine is not counted, and only while one GraphQL request runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import FastAPI
from sqlalchemy import event

from app.domain.enrollment import ParticipantRole, enroll
from app.domain.goal import Goal
from app.domain.person import Person
from app.domain.program import Program
from app.domain.session import Feedback, Session
from app.domain.tandem import Side, Tandem
from app.domain.values import MeetingFormat
from app.services import programs
from tests.api.graphql.helpers import data
from tests.factories import UowFactory, new_org, new_program

PROGRAM_READ = """query($id: UUID!) { program(id: $id) {
    tandems {
        mentor { displayName } mentee { displayName }
        goals { title }
        sessions { status feedback { rating } }
        health { status }
    }
    enrollments { person { displayName } }
} }"""


@contextmanager
def counting_statements(app: FastAPI) -> Iterator[list[str]]:
    """Every statement the app's engine sends while the block runs."""
    statements: list[str] = []
    sync_engine = app.state.engine.sync_engine

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    event.listen(sync_engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(sync_engine, "before_cursor_execute", count)


async def seed_tandems(uow_factory: UowFactory, program: Program, count: int) -> None:
    """``count`` active tandems, each with one goal and two held sessions rated by both sides.

    Built with the domain constructors and written through the repositories in one unit of
    work: hundreds of use case calls would only slow the test down.
    """
    started = datetime.now(UTC) - timedelta(days=10)
    async with uow_factory() as uow:
        for i in range(count):
            mentor = Person(org_id=program.org_id, display_name=f"Mentor {i}", birth_year=1998)
            mentee = Person(org_id=program.org_id, display_name=f"Mentee {i}", birth_year=1966)
            mentor_e = enroll(program, mentor, ParticipantRole.MENTOR, capacity=1)
            mentee_e = enroll(program, mentee, ParticipantRole.MENTEE)
            tandem = Tandem.propose(
                org_id=program.org_id,
                program_id=program.id,
                mentor_enrollment_id=mentor_e.id,
                mentee_enrollment_id=mentee_e.id,
                mentor_person_id=mentor.id,
                mentee_person_id=mentee.id,
                expiry_days=14,
                actor_id=None,
            )
            tandem.accept(Side.MENTOR, None)
            tandem.accept(Side.MENTEE, None)
            for person in (mentor, mentee):
                await uow.people.add(person)
            for enrollment in (mentor_e, mentee_e):
                await uow.enrollments.add(enrollment)
            await uow.tandems.add(tandem)
            await uow.goals.add(Goal(org_id=program.org_id, tandem_id=tandem.id, title=f"Goal {i}"))
            for week in range(2):
                session = Session(
                    org_id=program.org_id,
                    tandem_id=tandem.id,
                    starts_at=started + timedelta(days=7 * week),
                    duration_minutes=60,
                    format=MeetingFormat.VIDEO_CALL,
                )
                session.hold()
                session.give_feedback(Feedback(author_person_id=mentor.id, side=Side.MENTOR, rating=4))
                session.give_feedback(Feedback(author_person_id=mentee.id, side=Side.MENTEE, rating=5))
                await uow.sessions.add(session)
        await uow.commit()


async def program_with_tandems(uow_factory: UowFactory, manager: Any, count: int) -> Program:
    start = datetime.now(UTC).date() - timedelta(days=60)
    program = await new_program(
        uow_factory, manager, status="enrolling", starts_on=start, ends_on=start + timedelta(days=300)
    )
    await seed_tandems(uow_factory, program, count)
    await programs.start_matching(uow_factory(), manager, program.id)
    return await programs.launch_program(uow_factory(), manager, program.id)


async def test_a_nested_program_read_costs_the_same_statements_for_10_and_100_tandems(
    app, client, bearer, uow_factory
) -> None:
    _, manager = await new_org(uow_factory)
    headers = bearer(manager)
    counts: dict[int, int] = {}
    for size in (10, 100):
        program = await program_with_tandems(uow_factory, manager, size)
        with counting_statements(app) as statements:
            result = await data(client, headers, PROGRAM_READ, id=str(program.id))
        read = result["program"]
        assert len(read["tandems"]) == size and len(read["enrollments"]) == 2 * size
        for tandem in read["tandems"]:
            assert tandem["mentor"]["displayName"].startswith("Mentor")
            assert tandem["mentee"]["displayName"].startswith("Mentee")
            assert len(tandem["goals"]) == 1
            assert [s["status"] for s in tandem["sessions"]] == ["HELD", "HELD"]
            assert all(sorted(f["rating"] for f in s["feedback"]) == [4, 5] for s in tandem["sessions"])
            assert tandem["health"]["status"] == "on_track"
        counts[size] = len(statements)
    print(f"\nSQL statements per program read: 10 tandems -> {counts[10]}, 100 tandems -> {counts[100]}")
    assert counts[10] == counts[100], counts
    # one read per relation: program, tandems + their history, enrollments, people, goals, sessions + feedback
    assert counts[100] <= 8, counts
