"""A hand-built running program whose every figure is known: the insights and report tests read it.

Written through the repositories with chosen timestamps (a tandem created 50 days ago, a session
held 10 days ago), which the use cases, running on today's clock, could not produce.

| tandem | mentor → mentee | status | sessions | health |
|---|---|---|---|---|
| t1 | Lena → Jürgen | active, 30 days | held 10 and 3 days ago (video, on site), one upcoming | on_track |
| t2 | =Max → Dorothea | active, 50 days, fit check failed | one missed (phone) | at_risk |
| t3 | Chris → Franz | proposed 12 days ago, expires in 2 days | — | too_early |
| t4 | Chris → Gisela | dissolved | — | — |
| t5 | Lena → Gisela | active, 35 days | held 30 days ago (phone) | needs_check_in |
| t6 | =Max → Ingrid | proposed 15 days ago, expired yesterday | — | too_early |
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from app.domain.enrollment import ParticipantRole, enroll
from app.domain.goal import Goal, GoalStatus
from app.domain.person import Person
from app.domain.session import Feedback, Session, SessionStatus
from app.domain.tandem import Side, Tandem, TandemStatus
from app.domain.values import MeetingFormat
from app.services import programs
from tests.factories import UowFactory, new_org, new_program

NAMES = {
    "lena": 'Lena "Lee" Koch',  # quotes
    "max": '=HYPERLINK("http://evil.example")',  # a formula
    "chris": "Chris Jansen",
    "juergen": "Jürgen Müller",  # umlauts
    "dorothea": "Weiß, Dorothea",  # a comma
    "franz": "Franz Öztürk",
    "gisela": "Gisela Straße",
    "ingrid": "+Ingrid Brandt",
    "hans": "Hans Withdrawn",
}
BIRTH_YEARS = {
    "lena": 1998,
    "max": 1990,
    "chris": 2000,
    "juergen": 1966,
    "dorothea": 1960,
    "franz": 1970,
    "gisela": 1955,
    "ingrid": 1962,
    "hans": 1950,
}
MENTORS = ("lena", "max", "chris")


def days_ago(days: float) -> datetime:
    return datetime.now(UTC) - timedelta(days=days)


async def program_world(uow_factory: UowFactory) -> dict[str, Any]:
    org, manager = await new_org(uow_factory)
    start = datetime.now(UTC).date() - timedelta(days=90)
    program = await new_program(
        uow_factory, manager, status="enrolling", starts_on=start, ends_on=start + timedelta(days=300)
    )
    people = {
        key: Person(org_id=org.id, display_name=NAMES[key], birth_year=year, timezone="Europe/Berlin")
        for key, year in BIRTH_YEARS.items()
    }
    enrollments = {
        key: enroll(
            program,
            person,
            ParticipantRole.MENTOR if key in MENTORS else ParticipantRole.MENTEE,
            capacity=2 if key in MENTORS else 1,
        )
        for key, person in people.items()
    }
    enrollments["hans"].withdraw()

    def tandem(mentor: str, mentee: str, status: TandemStatus, created: float, **fields: Any) -> Tandem:
        accepted = None if status is TandemStatus.PROPOSED else days_ago(created - 1)
        return Tandem(
            org_id=org.id,
            program_id=program.id,
            mentor_enrollment_id=enrollments[mentor].id,
            mentee_enrollment_id=enrollments[mentee].id,
            mentor_person_id=people[mentor].id,
            mentee_person_id=people[mentee].id,
            expires_at=fields.pop("expires_at", days_ago(created - 14)),
            status=status,
            mentor_accepted_at=accepted,
            mentee_accepted_at=accepted,
            created_at=days_ago(created),
            **fields,
        )

    tandems = {
        "t1": tandem("lena", "juergen", TandemStatus.ACTIVE, 30, fit_mentor=True, fit_mentee=True),
        "t2": tandem(
            "max", "dorothea", TandemStatus.ACTIVE, 50, fit_mentor=True, fit_mentee=False, rematch_flagged=True
        ),
        "t3": tandem("chris", "franz", TandemStatus.PROPOSED, 12, expires_at=days_ago(-2)),
        "t4": tandem("chris", "gisela", TandemStatus.DISSOLVED, 40, end_reason="no time"),
        "t5": tandem("lena", "gisela", TandemStatus.ACTIVE, 35),
        "t6": tandem("max", "ingrid", TandemStatus.PROPOSED, 15, expires_at=days_ago(1)),
    }

    def session(key: str, ago: float, fmt: MeetingFormat, status: SessionStatus, *feedback: Feedback) -> Session:
        return Session(
            org_id=org.id,
            tandem_id=tandems[key].id,
            starts_at=days_ago(ago),
            duration_minutes=60,
            format=fmt,
            location="Zentrale, Raum 1" if fmt is MeetingFormat.ON_SITE else None,
            status=status,
            feedback=list(feedback),
        )

    def rated(who: str, side: Side, rating: int, learned: str) -> Feedback:
        return Feedback(author_person_id=people[who].id, side=side, rating=rating, learned=learned)

    held, mentor, mentee = SessionStatus.HELD, Side.MENTOR, Side.MENTEE
    sessions = [
        session(
            "t1",
            10,
            MeetingFormat.VIDEO_CALL,
            held,
            rated("lena", mentor, 4, "TikTok, Reels"),
            rated("juergen", mentee, 5, "TikTok, Patience, Podcasts, Memes, Discord"),
        ),
        session(
            "t1",
            3,
            MeetingFormat.ON_SITE,
            held,
            rated("lena", mentor, 3, "Reels"),
            rated("juergen", mentee, 5, "TikTok; Hybrid work"),
        ),
        session("t1", -5, MeetingFormat.VIDEO_CALL, SessionStatus.SCHEDULED),
        session("t2", 20, MeetingFormat.PHONE, SessionStatus.MISSED),
        session("t5", 30, MeetingFormat.PHONE, held, rated("lena", mentor, 2, " reels ;Leadership")),
    ]
    goals = [
        Goal(org_id=org.id, tandem_id=tandems["t1"].id, title="TikTok", status=GoalStatus.ACHIEVED),
        Goal(org_id=org.id, tandem_id=tandems["t1"].id, title="Reels", status=GoalStatus.IN_PROGRESS),
        Goal(org_id=org.id, tandem_id=tandems["t1"].id, title="Discord", status=GoalStatus.OPEN),
        Goal(org_id=org.id, tandem_id=tandems["t2"].id, title="Podcasts", status=GoalStatus.OPEN),
    ]
    async with uow_factory() as uow:
        for person in people.values():
            await uow.people.add(person)
        for enrollment in enrollments.values():
            await uow.enrollments.add(enrollment)
        for t in tandems.values():
            await uow.tandems.add(t)
        for s in sessions:
            await uow.sessions.add(s)
        for g in goals:
            await uow.goals.add(g)
        await uow.commit()
    await programs.start_matching(uow_factory(), manager, program.id)
    program = await programs.launch_program(uow_factory(), manager, program.id)
    return {"org": org, "manager": manager, "program": program, "people": people, "tandems": tandems}
