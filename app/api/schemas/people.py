"""People: profiles and their weekly availability."""

from __future__ import annotations

from datetime import datetime, time
from typing import Annotated, Any, Self
from uuid import UUID

from pydantic import BaseModel, Field, StringConstraints

from app.api.schemas.base import Body, Keep, PageOut, Resource
from app.domain.availability import MAX_WINDOWS, WeeklyWindow
from app.domain.generations import Generation
from app.domain.person import Person
from app.domain.values import MeetingFormat
from app.services.people import NewProfile, ProfileChanges

DisplayName = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Email = Annotated[str, StringConstraints(min_length=3, max_length=320)]
Bio = Annotated[str, StringConstraints(max_length=5000)]
Interest = Annotated[str, StringConstraints(min_length=1, max_length=100)]
Language = Annotated[
    str, StringConstraints(min_length=2, max_length=8, pattern=r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,4})?$")
]
Department = Annotated[str, StringConstraints(max_length=200)]
Seniority = Annotated[str, StringConstraints(max_length=100)]
City = Annotated[str, StringConstraints(max_length=200)]
TimeZone = Annotated[str, StringConstraints(min_length=1, max_length=64)]
ExternalId = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Interests = Annotated[list[Interest], Field(max_length=50)]
Languages = Annotated[list[Language], Field(max_length=20, description="language codes such as en, de, pt-BR")]
Formats = Annotated[list[MeetingFormat], Field(max_length=len(MeetingFormat))]
BirthYear = Annotated[int, Field(description="1900 up to this year; a later year is a 422 invalid_birth_year")]
WallClock = Annotated[str, StringConstraints(pattern=r"^(?:[01]\d|2[0-3]):[0-5]\d$")]


class PersonIn(Body):
    display_name: DisplayName
    email: Email | None = None
    birth_year: BirthYear
    bio: Bio = ""
    interests: Interests = Field(default_factory=list)
    languages: Languages = Field(default_factory=lambda: ["en"])
    department: Department | None = None
    seniority: Seniority | None = None
    city: City | None = None
    timezone: TimeZone = Field(default="UTC", description="IANA time zone, e.g. Europe/Berlin")
    preferred_formats: Formats = Field(default_factory=list)
    external_id: ExternalId | None = None

    def command(self) -> NewProfile:
        return NewProfile(**_tuples(self.model_dump()))


class PersonPatch(Body):
    """Change only the fields sent. Nullable fields are cleared with null."""

    display_name: Keep[DisplayName] = None
    email: Email | None = None
    birth_year: Keep[BirthYear] = None
    bio: Keep[Bio] = None
    interests: Keep[Interests] = None
    languages: Keep[Languages] = None
    department: Department | None = None
    seniority: Seniority | None = None
    city: City | None = None
    timezone: Keep[TimeZone] = None
    preferred_formats: Keep[Formats] = None
    external_id: ExternalId | None = None

    def command(self) -> ProfileChanges:
        """The fields sent, null included: it clears a nullable field (Keep refuses it elsewhere)."""
        return ProfileChanges(**_tuples(self.model_dump(exclude_unset=True)))


class PersonOut(Resource):
    org_id: UUID
    display_name: str
    email: str | None
    birth_year: int
    generation: Generation = Field(description="derived from birth_year")
    digital_native: bool = Field(description="derived: born 1981 or later")
    bio: str
    interests: list[str]
    languages: list[str]
    department: str | None
    seniority: str | None
    city: str | None
    timezone: str
    preferred_formats: list[MeetingFormat]
    source: str = Field(description="internal, or the partner network that supplied the person")
    partner_id: UUID | None
    external_id: str | None
    erased_at: datetime | None = Field(description="set once the personal data was erased (GDPR)")
    active: bool = Field(
        default=True, description="false once the organization's identity provider deactivated the person (SCIM)"
    )
    deactivated_at: datetime | None = Field(default=None, description="when the identity provider deactivated them")

    @classmethod
    def of(cls, p: Person) -> Self:
        return cls(
            id=p.id,
            org_id=p.org_id,
            display_name=p.display_name,
            email=p.email,
            birth_year=p.birth_year,
            generation=p.generation,
            digital_native=p.digital_native,
            bio=p.bio,
            interests=list(p.interests),
            languages=list(p.languages),
            department=p.department,
            seniority=p.seniority,
            city=p.city,
            timezone=p.timezone,
            preferred_formats=list(p.preferred_formats),
            source=p.source,
            partner_id=p.partner_id,
            external_id=p.external_id,
            erased_at=p.erased_at,
            active=p.active,
            deactivated_at=p.deactivated_at,
            created_at=p.created_at,
            updated_at=p.updated_at,
        )


class PersonPage(PageOut[PersonOut]):
    pass


class WindowModel(BaseModel):
    """A weekly window in the person's time zone: weekday 0 = Monday … 6 = Sunday, start before end."""

    model_config = {"extra": "forbid"}
    weekday: int = Field(ge=0, le=6)
    start: WallClock = Field(description="HH:MM, wall-clock time")
    end: WallClock = Field(description="HH:MM, after start on the same day")

    def domain(self) -> WeeklyWindow:
        return WeeklyWindow(self.weekday, time.fromisoformat(self.start), time.fromisoformat(self.end))

    @classmethod
    def of(cls, w: WeeklyWindow) -> Self:
        return cls(weekday=w.weekday, start=w.start.isoformat("minutes"), end=w.end.isoformat("minutes"))


class AvailabilityIn(Body):
    """Replaces every window. Overlapping or touching windows of a day are merged."""

    windows: list[WindowModel] = Field(max_length=MAX_WINDOWS)

    def domain(self) -> tuple[WeeklyWindow, ...]:
        return tuple(w.domain() for w in self.windows)


class AvailabilityOut(BaseModel):
    person_id: UUID
    timezone: str = Field(description="read-only: the person's time zone, set on the profile")
    windows: list[WindowModel]

    @classmethod
    def of(cls, p: Person) -> Self:
        return cls(person_id=p.id, timezone=p.timezone, windows=[WindowModel.of(w) for w in p.availability])


def _tuples(values: dict[str, Any]) -> dict[str, Any]:
    """The domain holds sequences as tuples."""
    return {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}
