"""Candidates: each participant of a run as the matching engine sees them.

A candidate joins an enrollment, its person and the person's likes and passes, and derives once
what scoring compares: case-folded topics, interests and languages, the background, the
meeting formats and the weekly availability in UTC quarter-hours.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from app.domain.availability import WeeklyWindow
from app.domain.enrollment import Enrollment, ParticipantRole
from app.domain.pairing import Participant
from app.domain.person import Person
from app.domain.preference import Choice, Preference
from app.domain.values import MeetingFormat, Topic

# Weekly windows are wall-clock times; they are compared in UTC during a winter week (no DST change).
REFERENCE_MONDAY = date(2030, 1, 14)
QUARTER = timedelta(minutes=15)
QUARTERS_PER_WEEK = 7 * 24 * 4
ALL_FORMATS = frozenset(MeetingFormat)
IN_PERSON = frozenset({MeetingFormat.ON_SITE, MeetingFormat.SHADOWING_DAY})  # need the same city


def fold(label: str | None) -> str | None:
    """Case-insensitive key of a label; blank counts as unknown."""
    if label is None or not label.strip():
        return None
    return label.strip().casefold()


def weekly_quarters(windows: Sequence[WeeklyWindow], timezone: str) -> frozenset[int]:
    """The quarter-hours of the reference week (0 = Monday 00:00 UTC) that the windows cover entirely."""
    tz = ZoneInfo(timezone)
    epoch = datetime.combine(REFERENCE_MONDAY, time(0), UTC)
    covered: set[int] = set()
    for window in windows:
        day = REFERENCE_MONDAY + timedelta(days=window.weekday)
        start = (datetime.combine(day, window.start, tz) - epoch) / QUARTER
        end = (datetime.combine(day, window.end, tz) - epoch) / QUARTER
        covered.update(q % QUARTERS_PER_WEEK for q in range(math.ceil(start), math.floor(end)))
    return frozenset(covered)


def _topics(topics: Iterable[Topic]) -> dict[str, tuple[str, int]]:
    """Case-folded name -> (name as written, highest priority given)."""
    out: dict[str, tuple[str, int]] = {}
    for topic in topics:
        key = topic.name.strip().casefold()
        if key not in out or out[key][1] < topic.priority:
            out[key] = (topic.name.strip(), topic.priority)
    return out


@dataclass(frozen=True, eq=False, slots=True)
class Candidate:
    enrollment: Enrollment
    person: Person
    likes: frozenset[UUID] = frozenset()  # enrollment ids this participant liked
    passes: frozenset[UUID] = frozenset()  # enrollment ids this participant passed on
    open_tandems: int = 0  # open tandems the enrollment already has in the program
    needs: dict[str, tuple[str, int]] = field(init=False)
    offers: dict[str, tuple[str, int]] = field(init=False)
    interests: dict[str, str] = field(init=False)
    languages: frozenset[str] = field(init=False)
    department: str | None = field(init=False)
    city: str | None = field(init=False)
    origin: str = field(init=False)  # "internal", or the partner network the person comes from
    formats: frozenset[MeetingFormat] = field(init=False)  # no preference: every format
    quarters: frozenset[int] = field(init=False)

    def __post_init__(self) -> None:
        person = self.person
        derived: dict[str, object] = {
            "needs": _topics(self.enrollment.needs),
            "offers": _topics(self.enrollment.offers),
            "interests": {label.casefold(): label for label in person.interests},
            "languages": frozenset(lang.casefold() for lang in person.languages),
            "department": fold(person.department),
            "city": fold(person.city),
            "origin": f"partner:{person.partner_id}" if person.partner_id else person.source.casefold(),
            "formats": frozenset(person.preferred_formats) or ALL_FORMATS,
            "quarters": weekly_quarters(person.availability, person.timezone),
        }
        for name, value in derived.items():
            object.__setattr__(self, name, value)

    @property
    def id(self) -> UUID:
        return self.enrollment.id

    @property
    def role(self) -> ParticipantRole:
        return self.enrollment.role

    @property
    def participant(self) -> Participant:
        return Participant(self.enrollment, self.person)

    @property
    def free_capacity(self) -> int:
        """Tandems this participant can still take in the run."""
        return max(self.enrollment.capacity - self.open_tandems, 0)

    def likes_back(self, other: Candidate) -> bool:
        return other.id in self.likes and self.id in other.likes

    def passed_either_way(self, other: Candidate) -> bool:
        return other.id in self.passes or self.id in other.passes

    def __repr__(self) -> str:
        return f"Candidate({self.role.value} {self.person.display_name!r}, {self.id})"


def build_candidates(
    enrollments: Iterable[Enrollment],
    people: Mapping[UUID, Person],
    preferences: Iterable[Preference] = (),
    open_tandems: Mapping[UUID, int] | None = None,
) -> tuple[list[Candidate], list[Candidate]]:
    """(mentees, mentors) of the active enrollments of living people, with their likes and passes.

    ``open_tandems`` counts the open tandems per enrollment id (a mentee with one takes no part).
    """
    likes: dict[UUID, set[UUID]] = defaultdict(set)
    passes: dict[UUID, set[UUID]] = defaultdict(set)
    for preference in preferences:
        chosen = likes if preference.choice is Choice.LIKE else passes
        chosen[preference.author_enrollment_id].add(preference.candidate_enrollment_id)
    open_counts = open_tandems or {}
    mentees: list[Candidate] = []
    mentors: list[Candidate] = []
    for enrollment in enrollments:
        person = people[enrollment.person_id]
        if not enrollment.is_active or person.erased:
            continue
        candidate = Candidate(
            enrollment,
            person,
            likes=frozenset(likes[enrollment.id]),
            passes=frozenset(passes[enrollment.id]),
            open_tandems=open_counts.get(enrollment.id, 0),
        )
        (mentors if enrollment.role is ParticipantRole.MENTOR else mentees).append(candidate)
    return mentees, mentors
