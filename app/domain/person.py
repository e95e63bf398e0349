"""Person: a profile, mentor or mentee alike. Generation and digital-native are derived."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Protocol
from uuid import UUID, uuid4

from app.domain.availability import WeeklyWindow, normalize_windows
from app.domain.clock import today, utcnow
from app.domain.errors import RuleViolation
from app.domain.events import DomainEvent, EventRecorder
from app.domain.generations import Generation, generation_of, is_digital_native
from app.domain.organization import validate_name
from app.domain.values import MeetingFormat, clean_labels, validate_timezone

EARLIEST_BIRTH_YEAR = 1900
# deliberately simple: one @, no spaces, a dotted domain; deliverability is the IdP's business
_EMAIL = re.compile(r"[^@\s]{1,64}@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+")
ERASED_NAME = "Erased person"
MAX_DISPLAY_NAME_LENGTH = 200


def validate_birth_year(year: int) -> int:
    if not EARLIEST_BIRTH_YEAR <= year <= today().year:
        raise RuleViolation(
            f"birth year must be between {EARLIEST_BIRTH_YEAR} and this year",
            code="invalid_birth_year",
            field="birth_year",
        )
    return year


def normalize_email(email: str | None) -> str | None:
    if email is None:
        return None
    email = email.strip().lower()
    if not _EMAIL.fullmatch(email):
        raise RuleViolation("not a valid email address", code="invalid_email", field="email")
    return email


class Profile(Protocol):
    display_name: str
    birth_year: int
    email: str | None
    interests: tuple[str, ...]
    languages: tuple[str, ...]
    timezone: str
    preferred_formats: tuple[MeetingFormat, ...]


def clean_profile(profile: Profile) -> None:
    """Validate and normalize the self-description a person (or a partner's mentor) gives."""
    profile.display_name = validate_name(profile.display_name, "display_name")
    if len(profile.display_name) > MAX_DISPLAY_NAME_LENGTH:
        raise RuleViolation(
            f"display_name is longer than {MAX_DISPLAY_NAME_LENGTH} characters", code="too_long", field="display_name"
        )
    validate_birth_year(profile.birth_year)
    profile.email = normalize_email(profile.email)
    profile.interests = clean_labels(profile.interests, "interests")
    profile.languages = tuple(lang.lower() for lang in clean_labels(profile.languages, "languages"))
    validate_timezone(profile.timezone)
    profile.preferred_formats = tuple(dict.fromkeys(MeetingFormat(f) for f in profile.preferred_formats))


@dataclass(eq=False)
class Person(EventRecorder):
    org_id: UUID
    display_name: str
    birth_year: int
    email: str | None = None
    bio: str = ""
    interests: tuple[str, ...] = ()
    languages: tuple[str, ...] = ("en",)
    department: str | None = None
    seniority: str | None = None
    city: str | None = None
    timezone: str = "UTC"
    preferred_formats: tuple[MeetingFormat, ...] = ()
    availability: tuple[WeeklyWindow, ...] = ()
    source: str = "internal"
    partner_id: UUID | None = None
    external_id: str | None = None
    erased_at: datetime | None = None
    deactivated_at: datetime | None = None  # the organization's identity provider deactivated them
    id: UUID = field(default_factory=uuid4)
    version: int = 1
    created_at: datetime = field(default_factory=utcnow)
    updated_at: datetime = field(default_factory=utcnow)

    def __post_init__(self) -> None:
        EventRecorder.__init__(self)
        clean_profile(self)
        self.availability = normalize_windows(self.availability)

    @property
    def generation(self) -> Generation:
        return generation_of(self.birth_year)

    @property
    def digital_native(self) -> bool:
        return is_digital_native(self.birth_year)

    @property
    def erased(self) -> bool:
        return self.erased_at is not None

    @property
    def active(self) -> bool:
        return self.deactivated_at is None

    def announce(self) -> Person:
        """A new profile made by someone (a manager, the person, the company's provisioning):
        ``person.created``, with where it came from. Not for profiles read back from storage."""
        self.record(DomainEvent("person.created", self.org_id, self.id, {"source": self.source}))
        return self

    def deactivate(self) -> bool:
        """The organization's identity provider says the person left: the profile stays (for the
        program's records, until erased), marked. True when this changed anything."""
        if self.deactivated_at is not None:
            return False
        self.deactivated_at = self.updated_at = utcnow()
        self.record(DomainEvent("person.deactivated", self.org_id, self.id))
        return True

    def reactivate(self) -> bool:
        """Back from deactivation: the person may sign in again (what ended stays ended)."""
        if self.deactivated_at is None:
            return False
        self.deactivated_at = None
        self.updated_at = utcnow()
        self.record(DomainEvent("person.reactivated", self.org_id, self.id))
        return True

    def update(self, **changes: object) -> None:
        """Apply profile changes and re-validate the whole profile (all or nothing)."""
        if self.erased:
            raise RuleViolation("an erased person cannot be edited", code="person_erased")
        unknown = set(changes) - _EDITABLE
        if unknown:
            raise RuleViolation(f"not editable: {', '.join(sorted(unknown))}", code="not_editable")
        candidate = Person(**{**_fields_of(self), **changes})  # type: ignore[arg-type]  # validates first
        changed = sorted(name for name in changes if getattr(self, name) != getattr(candidate, name))
        for name in changes:
            setattr(self, name, getattr(candidate, name))
        self.updated_at = utcnow()
        if changed:
            self._record_changed(changed)

    def _record_changed(self, names: list[str]) -> None:
        """``person.updated`` with the names of the changed fields, never their values; changes
        made one field at a time in one unit of work (provisioning) make one event."""
        pending = self.pending_events()
        if pending and pending[-1].type == "person.updated":
            names = sorted({*pending[-1].data["changed"], *names})
            self.drop_last_event()
        self.record(DomainEvent("person.updated", self.org_id, self.id, {"changed": names}))

    def set_availability(self, windows: tuple[WeeklyWindow, ...]) -> None:
        """Weekly windows in the person's own time zone; overlapping ones are merged."""
        if self.erased:
            raise RuleViolation("an erased person cannot be edited", code="person_erased")
        self.availability = normalize_windows(windows)
        self.updated_at = utcnow()

    def erase(self) -> None:
        """GDPR erasure: drop everything that identifies the person.

        The birth year stays so that anonymous statistics (generation mix) survive; on its own
        it identifies nobody.
        """
        if self.erased:
            return
        self.display_name = ERASED_NAME
        self.email = None
        self.bio = ""
        self.interests = ()
        self.department = None
        self.seniority = None
        self.city = None
        self.external_id = None
        self.availability = ()
        self.erased_at = utcnow()
        self.updated_at = self.erased_at
        self.record(DomainEvent("person.erased", self.org_id, self.id))


_EDITABLE = {
    "display_name",
    "email",
    "birth_year",
    "bio",
    "interests",
    "languages",
    "department",
    "seniority",
    "city",
    "timezone",
    "preferred_formats",
    "external_id",
}


def _fields_of(person: Person) -> dict[str, object]:
    return {f.name: getattr(person, f.name) for f in fields(person) if not f.name.startswith("_")}
