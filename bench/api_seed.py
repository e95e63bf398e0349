"""Realistic data for ``bench.api``, made through the use cases so every rule and write path applies.

One organization; ``programs`` running programs (started four months ago, ten months long), each
with its share of the people enrolled (half mentors born 1985-2004 in digital departments, half
mentees born 1955-1979 elsewhere); ``tandems`` pairs per program proposed by a program manager
and accepted by both sides; per tandem ``sessions`` sessions in the past, held, with feedback from
both sides. Use cases run concurrently (a semaphore as wide as the connection pool), directly on
the database, as the API would call them.
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from app.domain.access import Caller, Role
from app.domain.enrollment import ParticipantRole
from app.domain.person import Person
from app.domain.program import Program
from app.domain.tandem import Tandem
from app.domain.values import MeetingFormat, Topic
from app.infra.db.engine import make_db_factory, make_engine
from app.infra.db.unit_of_work import SqlUnitOfWork
from app.services import enrollments, organizations, people, programs, sessions, tandems
from app.services.ports import UnitOfWork

T = TypeVar("T")
SLUG = "bench"
PLATFORM_ADMIN = Caller(user_id=uuid.uuid4(), role=Role.PLATFORM_ADMIN)
MENTOR_DEPARTMENTS = ("Digital", "IT", "Marketing", "Product", "Data")
MENTEE_DEPARTMENTS = ("Board", "Finance", "Legal", "Operations", "Sales", "HR")
CITIES = ("Berlin", "Hamburg", "Munich", "Cologne", "Vienna", "Zurich")
TOPICS = ("TikTok", "Generative AI", "Remote work", "Podcasts", "Gaming", "Cybersecurity", "Data literacy")
FIRST = ("Anna", "Ben", "Clara", "David", "Elif", "Felix", "Greta", "Hannes", "Ida", "Jonas", "Lea", "Mats")
LAST = ("Becker", "Schmidt", "Yilmaz", "Novak", "Weber", "Fischer", "Wagner", "Rossi", "Kaya", "Meyer")
FORMATS = (MeetingFormat.VIDEO_CALL, MeetingFormat.ON_SITE, MeetingFormat.PHONE)


@dataclass(frozen=True)
class Size:
    programs: int = 10
    people_per_program: int = 200  # half mentors, half mentees; all enrolled
    tandems: int = 50  # per program
    sessions: int = 10  # per tandem, each held with feedback from both sides

    @property
    def people(self) -> int:
        return self.programs * self.people_per_program


FULL = Size()
QUICK = Size(programs=2, people_per_program=100, tandems=50, sessions=3)


@dataclass
class Seeded:
    org_id: uuid.UUID
    slug: str
    program_ids: list[uuid.UUID]
    tandem_ids: list[list[uuid.UUID]]  # per program, in proposal order
    calls: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def read_program(self) -> uuid.UUID:
        """The program the list and nested figures read: exactly ``tandems`` tandems."""
        return self.program_ids[0]

    @property
    def read_tandem(self) -> uuid.UUID:
        return self.tandem_ids[0][0]

    @property
    def write_tandems(self) -> list[uuid.UUID]:
        """Where the write benchmarks schedule: the other programs, so the read figures stay put."""
        others = [t for ids in self.tandem_ids[1:] for t in ids]
        return others or self.tandem_ids[0]

    def as_json(self) -> dict[str, Any]:
        return {
            "org_id": str(self.org_id),
            "slug": self.slug,
            "programs": len(self.program_ids),
            "tandems": sum(len(t) for t in self.tandem_ids),
            "use_case_calls": self.calls,
            "seconds": {k: round(v, 1) for k, v in self.seconds.items()},
        }


class Runner:
    """Calls use cases, each with its own unit of work, at most ``width`` at once."""

    def __init__(self, factory: Callable[[], UnitOfWork], width: int) -> None:
        self.uow = factory
        self.gate = asyncio.Semaphore(width)
        self.calls = 0

    async def __call__(self, use_case: Callable[..., Awaitable[T]], *args: Any, **kw: Any) -> T:
        async with self.gate:
            self.calls += 1
            return await use_case(self.uow(), *args, **kw)


def member(person: Person) -> Caller:
    return Caller(user_id=uuid.uuid4(), role=Role.MEMBER, org_id=person.org_id, person_id=person.id)


async def _person(run: Runner, manager: Caller, rng: random.Random, n: int, *, mentor: bool) -> Person:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    profile = people.NewProfile(
        display_name=f"{first} {last}",
        email=f"{first.lower()}.{last.lower()}.{n}@bench.example",
        birth_year=rng.randint(1985, 2004) if mentor else rng.randint(1955, 1979),
        bio="Reverse mentoring participant",
        interests=tuple(rng.sample(TOPICS, 2)),
        languages=("de", "en") if rng.random() < 0.8 else ("en",),
        department=rng.choice(MENTOR_DEPARTMENTS if mentor else MENTEE_DEPARTMENTS),
        seniority="junior" if mentor else "executive",
        city=rng.choice(CITIES),
        timezone="Europe/Berlin",
        preferred_formats=tuple(rng.sample(FORMATS, 2)),
    )
    return await run(people.create_person, manager, profile)


async def _program(run: Runner, manager: Caller, k: int, starts_on: date) -> Program:
    program = await run(
        programs.create_program,
        manager,
        title=f"Reverse mentoring wave {k + 1}",
        description="Digital natives mentor executives, one hour a week",
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=300),
    )
    return await run(programs.open_enrollment, manager, program.id)


async def _enroll(run: Runner, manager: Caller, program: Program, person: Person, *, mentor: bool) -> uuid.UUID:
    role = ParticipantRole.MENTOR if mentor else ParticipantRole.MENTEE
    topics = tuple(Topic(t, 3) for t in person.interests)
    enrollment = await run(
        enrollments.enroll_person,
        manager,
        program.id,
        person_id=person.id,
        role=role,
        offers=topics if mentor else (),
        needs=() if mentor else topics,
    )
    return enrollment.id


async def _pair(
    run: Runner, manager: Caller, program: Program, mentor: tuple[Person, uuid.UUID], mentee: tuple[Person, uuid.UUID]
) -> Tandem:
    tandem = await run(
        tandems.propose_tandem, manager, program.id, mentor_enrollment_id=mentor[1], mentee_enrollment_id=mentee[1]
    )
    await run(tandems.accept_tandem, member(mentor[0]), tandem.id)
    return await run(tandems.accept_tandem, member(mentee[0]), tandem.id)


async def _session_history(
    run: Runner, manager: Caller, tandem: Tandem, pair: tuple[Person, Person], when: datetime, rng: random.Random
) -> None:
    session = await run(
        sessions.schedule_session,
        manager,
        tandem.id,
        starts_at=when,
        duration_minutes=rng.choice((45, 60, 90)),
        format=rng.choice(FORMATS),
        agenda="Check-in, one new tool, next steps",
    )
    await run(sessions.hold_session, manager, session.id, notes="Went through the agenda")
    for person in pair:
        await run(
            sessions.give_feedback,
            member(person),
            session.id,
            rating=rng.choices((2, 3, 4, 5), weights=(1, 3, 6, 5))[0],
            learned="Something new about how the other generation works",
        )


async def seed(url: str, size: Size, *, width: int = 10, seed_value: int = 2031) -> Seeded:
    engine = make_engine(url, pool_size=width)
    factory = make_db_factory(engine)
    run = Runner(lambda: SqlUnitOfWork(factory), width)
    rng = random.Random(seed_value)
    timings: dict[str, float] = {}
    try:
        t0 = time.perf_counter()
        org = await run(organizations.create_organization, PLATFORM_ADMIN, name="Bench Corp", slug=SLUG)
        manager = Caller(user_id=uuid.uuid4(), role=Role.PROGRAM_MANAGER, org_id=org.id)
        half = size.people_per_program // 2
        if size.tandems > half:
            raise ValueError(f"{size.tandems} tandems need {2 * size.tandems} people per program")
        starts_on = datetime.now(UTC).date() - timedelta(days=120)
        program_list = list(await asyncio.gather(*(_program(run, manager, k, starts_on) for k in range(size.programs))))
        everyone = await asyncio.gather(*(_person(run, manager, rng, n, mentor=n % 2 == 0) for n in range(size.people)))
        timings["people"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        groups: list[tuple[list[Person], list[Person]]] = []
        for k in range(size.programs):
            share = everyone[k * size.people_per_program : (k + 1) * size.people_per_program]
            groups.append((share[0::2], share[1::2]))
        enrolled = await asyncio.gather(
            *(
                asyncio.gather(
                    *(_enroll(run, manager, program, p, mentor=True) for p in mentors),
                    *(_enroll(run, manager, program, p, mentor=False) for p in mentees),
                )
                for program, (mentors, mentees) in zip(program_list, groups, strict=True)
            )
        )
        for program in program_list:
            await run(programs.start_matching, manager, program.id)
            await run(programs.launch_program, manager, program.id)
        timings["enrollments"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        pairs: list[list[tuple[Tandem, tuple[Person, Person]]]] = []
        for program, (mentors, mentees), ids in zip(program_list, groups, enrolled, strict=True):
            mentor_ids, mentee_ids = ids[: len(mentors)], ids[len(mentors) :]
            made = await asyncio.gather(
                *(
                    _pair(run, manager, program, (mentors[i], mentor_ids[i]), (mentees[i], mentee_ids[i]))
                    for i in range(size.tandems)
                )
            )
            pairs.append([(t, (mentors[i], mentees[i])) for i, t in enumerate(made)])
        timings["tandems"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
        histories = []
        for j, (tandem, pair) in enumerate(p for group in pairs for p in group):
            for k in range(size.sessions):
                # every ten days, the last one two to six days ago: recent enough for most to be on track
                days_back = 2 + (size.sessions - 1 - k) * 10 + j % 5
                when = (now - timedelta(days=days_back)).replace(hour=8 + j % 9)
                histories.append(_session_history(run, manager, tandem, pair, when, random.Random(j * 1000 + k)))
        await asyncio.gather(*histories)
        timings["sessions"] = time.perf_counter() - t0
    finally:
        await engine.dispose()
    return Seeded(
        org_id=org.id,
        slug=SLUG,
        program_ids=[p.id for p in program_list],
        tandem_ids=[[t.id for t, _ in group] for group in pairs],
        calls=run.calls,
        seconds=timings,
    )
