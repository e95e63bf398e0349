"""Builders, random instances and an exhaustive reference solver for the matching tests."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import time
from functools import cache
from typing import Any
from uuid import UUID

from hypothesis import strategies as st

from app.domain.availability import WeeklyWindow
from app.domain.enrollment import EnrollmentStatus, ParticipantRole
from app.domain.matching import Candidate, MatchingPolicy, Objective, Weights, score, violation
from app.domain.matching.constraints import exclusions
from app.domain.program import Program, ProgramRules, ProgramStatus
from app.domain.values import MeetingFormat, Topic
from tests.unit.builders import a_mentee, a_mentor, a_person, a_program, an_enrollment

MENTOR, MENTEE = ParticipantRole.MENTOR, ParticipantRole.MENTEE
TOPICS = ("AI", "TikTok", "Podcasts", "Gaming", "Remote work", "tiktok")
INTERESTS = ("cycling", "Jazz", "cooking", "chess", "hiking")
DEPARTMENTS = (None, "IT", "HR", "Sales", "it")
CITIES = (None, "Berlin", "Hamburg", "berlin")
LANGUAGES = ("de", "en", "fr")
ZONES = ("Europe/Berlin", "UTC", "America/New_York")
BIRTH_YEARS = (1952, 1960, 1968, 1976, 1983, 1992, 1999, 2005)
WINDOWS = (
    WeeklyWindow(0, time(9), time(11)),
    WeeklyWindow(1, time(17), time(19, 30)),
    WeeklyWindow(2, time(12), time(13)),
    WeeklyWindow(4, time(8, 10), time(9, 50)),
)


def candidate(
    program: Program,
    role: ParticipantRole,
    *,
    person: Any = None,
    needs: tuple[Topic, ...] = (),
    offers: tuple[Topic, ...] = (),
    capacity: int = 1,
    likes: frozenset[UUID] = frozenset(),
    passes: frozenset[UUID] = frozenset(),
    open_tandems: int = 0,
    **person_fields: Any,
) -> Candidate:
    """A candidate of ``program``; a fresh mentor/mentee-like person unless ``person`` is given."""
    if person is None:
        person = (a_mentor if role is MENTOR else a_mentee)(**person_fields)
    enrollment = an_enrollment(program, person, role, needs=needs, offers=offers, capacity=capacity)
    return Candidate(enrollment, person, likes=likes, passes=passes, open_tandems=open_tandems)


def a_matching_program(**rule_changes: Any) -> Program:
    return a_program(ProgramStatus.MATCHING, rules=ProgramRules(**rule_changes))


@dataclass
class Instance:
    program: Program
    mentees: list[Candidate]
    mentors: list[Candidate]
    policy: MatchingPolicy
    pinned: list[tuple[UUID, UUID]] = field(default_factory=list)
    excluded: list[tuple[UUID, UUID]] = field(default_factory=list)


WEIGHTS = st.builds(Weights, *(st.integers(0, 10) for _ in range(5)))
RULES = st.builds(
    ProgramRules,
    mentor_must_be_digital_native=st.booleans(),
    mentee_must_be_digital_immigrant=st.booleans(),
    min_generation_gap=st.integers(0, 2),
    forbid_same_department=st.booleans(),
)


def _random_person(rng: random.Random, young: bool) -> Any:
    """Mostly a fitting age for the side (young mentors, older mentees), sometimes not."""
    years = BIRTH_YEARS[4:] if young else BIRTH_YEARS[:4]
    return a_person(
        birth_year=rng.choice(years if rng.random() < 0.85 else BIRTH_YEARS),
        department=rng.choice(DEPARTMENTS),
        city=rng.choice(CITIES),
        languages=("de", *rng.sample(LANGUAGES, rng.randint(0, 1))) if rng.random() < 0.8 else (rng.choice(LANGUAGES),),
        interests=tuple(rng.sample(INTERESTS, rng.randint(0, 3))),
        preferred_formats=tuple(rng.sample(list(MeetingFormat), rng.choice((0, 0, 1, 2)))),
        availability=tuple(rng.sample(WINDOWS, rng.randint(0, 2))),
        timezone=rng.choice(ZONES),
        partner_id=rng.choice((None, None, UUID(int=7))),
    )


def _random_topics(rng: random.Random) -> tuple[Topic, ...]:
    return tuple(Topic(name, rng.randint(1, 5)) for name in rng.sample(TOPICS, rng.randint(0, 3)))


@st.composite
def instances(draw: st.DrawFn, max_mentees: int = 7, max_mentors: int = 7, pins: bool = True) -> Instance:
    """Sizes, rules, weights and objective are drawn (and shrink); the profiles come from a drawn seed.

    Profiles from few values each (a handful of topics, departments, cities, years) make ties,
    shared departments, language gaps and passes common, so the constraints bite.
    """
    program = a_program(ProgramStatus.MATCHING, rules=draw(RULES))
    policy = MatchingPolicy(weights=draw(WEIGHTS), objective=draw(st.sampled_from(list(Objective))))
    n_mentors, n_mentees = draw(st.sampled_from(range(max_mentors + 1))), draw(st.sampled_from(range(max_mentees + 1)))
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    mentor_people = [_random_person(rng, young=True) for _ in range(n_mentors)]
    mentee_people = [_random_person(rng, young=False) for _ in range(n_mentees)]
    if mentor_people and mentee_people and rng.random() < 0.1:
        mentee_people[0] = mentor_people[0]  # one person on both sides: same_person
    enrollments = [
        an_enrollment(program, p, MENTOR, offers=_random_topics(rng), capacity=rng.randint(1, 3)) for p in mentor_people
    ] + [an_enrollment(program, p, MENTEE, needs=_random_topics(rng)) for p in mentee_people]
    for enrollment in enrollments:
        if rng.random() < 0.05:
            enrollment.status = EnrollmentStatus.WITHDRAWN
    ids = {role: [e.id for e in enrollments if e.role is role] for role in (MENTOR, MENTEE)}
    cands = []
    for enrollment, person in zip(enrollments, mentor_people + mentee_people, strict=True):
        others = ids[MENTEE if enrollment.role is MENTOR else MENTOR]
        chosen = rng.sample(others, min(len(others), rng.randint(0, 3)))
        split = rng.randint(0, len(chosen))
        likes, passes = frozenset(chosen[:split]), frozenset(chosen[split:] if rng.random() < 0.5 else ())
        open_tandems = 1 if rng.random() < 0.1 else 0
        cands.append(Candidate(enrollment, person, likes=likes, passes=passes, open_tandems=open_tandems))
    mentors, mentees = cands[:n_mentors], cands[n_mentors:]
    instance = Instance(program, mentees, mentors, policy)
    pairs = [(e.person.id, m.person.id) for e in mentees for m in mentors]
    instance.excluded = rng.sample(pairs, min(len(pairs), rng.randint(0, 2)))
    if pins:
        instance.pinned = _pins(rng, instance)
    return instance


def _pins(rng: random.Random, instance: Instance) -> list[tuple[UUID, UUID]]:
    """Up to two valid pinned pairs: feasible, mentee free, mentor with room."""
    room = {m.id: m.free_capacity for m in instance.mentors}
    pinned: list[tuple[UUID, UUID]] = []
    excluded = exclusions(instance.excluded)
    for mentee in instance.mentees:
        if len(pinned) == 2 or mentee.free_capacity == 0 or rng.random() < 0.6:
            continue
        options = [
            m for m in instance.mentors if room[m.id] and violation(instance.program, mentee, m, excluded) is None
        ]
        if options:
            mentor = rng.choice(options)
            room[mentor.id] -= 1
            pinned.append((mentee.id, mentor.id))
    return pinned


def brute_force(instance: Instance) -> tuple[int, float]:
    """The best (pairs, total score) by exhaustive search over every assignment, pins kept.

    Pair values come from the reference ``violation`` and ``score``, not from the engine's
    matrices; the search is memoized on (mentee, remaining capacities).
    """
    excluded = exclusions(instance.excluded)
    weights = instance.policy.weights
    room = {m.id: m.free_capacity for m in instance.mentors}
    by_id = {c.id: c for c in (*instance.mentees, *instance.mentors)}
    pinned_total = 0.0
    for mentee_id, mentor_id in instance.pinned:
        room[mentor_id] -= 1
        pinned_total += score(by_id[mentee_id], by_id[mentor_id], weights).value
    pinned_mentees = {mentee_id for mentee_id, _ in instance.pinned}
    free = [e for e in instance.mentees if e.id not in pinned_mentees and e.free_capacity > 0]
    values = [
        [
            score(e, m, weights).value if violation(instance.program, e, m, excluded) is None else None
            for m in instance.mentors
        ]
        for e in free
    ]
    participation = instance.policy.objective is Objective.MAX_PARTICIPATION

    def key(option: tuple[int, float]) -> tuple[int, float] | float:
        return option if participation else option[1]

    @cache
    def best(i: int, rooms: tuple[int, ...]) -> tuple[int, float]:
        if i == len(free):
            return 0, 0.0
        options = [best(i + 1, rooms)]
        for j, value in enumerate(values[i]):
            if value is not None and rooms[j] > 0:
                count, total = best(i + 1, (*rooms[:j], rooms[j] - 1, *rooms[j + 1 :]))
                options.append((count + 1, total + value))
        return max(options, key=key)

    count, total = best(0, tuple(room[m.id] for m in instance.mentors))
    return count + len(instance.pinned), total + pinned_total


def structured(n_mentees: int, n_mentors: int, seed: int) -> Instance:
    """A seeded instance of realistic shape: popular topics, a few departments and cities."""
    rng = random.Random(seed)
    program = a_matching_program()
    topics = [f"topic {k}" for k in range(40)]
    popularity = [1 / (k + 1) for k in range(len(topics))]

    def person(young: bool) -> Any:
        return a_person(
            birth_year=rng.randint(1985, 2004) if young else rng.randint(1958, 1979),
            department=rng.choice(("IT", "HR", "Sales", "Finance", "Legal", "Board", None)),
            city=rng.choices(("Berlin", "Hamburg", "Munich", "Remote"), (5, 2, 2, 1))[0],
            languages=("de", "en") if rng.random() < 0.7 else (rng.choice(("de", "en", "fr")),),
            interests=tuple(rng.sample(INTERESTS, rng.randint(0, 3))),
            preferred_formats=tuple(rng.sample(list(MeetingFormat), rng.randint(0, 2))),
            availability=tuple(rng.sample(WINDOWS, rng.randint(0, 2))),
        )

    def picks() -> tuple[Topic, ...]:
        names = set(rng.choices(topics, popularity, k=rng.randint(1, 5)))
        return tuple(Topic(n, rng.randint(1, 5)) for n in sorted(names))

    mentors = [
        Candidate(an_enrollment(program, p, MENTOR, offers=picks(), capacity=rng.choice((1, 1, 1, 2, 3))), p)
        for p in (person(True) for _ in range(n_mentors))
    ]
    mentee_people = [person(False) for _ in range(n_mentees)]
    mentees = [Candidate(an_enrollment(program, p, MENTEE, needs=picks()), p) for p in mentee_people]
    policy = MatchingPolicy(objective=Objective.MAX_TOTAL_SCORE)
    return Instance(program, mentees, mentors, policy)
