"""People mutations: profiles, GDPR erasure and weekly availability, as REST's /v1/people.

Each calls the same use case as its REST twin; arguments are checked by REST's body models
(PersonIn, PersonPatch, AvailabilityIn), so the bounds are the same. Refusals are Problems.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import strawberry

from app.api.graphql.errors import Problem, attempt
from app.api.graphql.inputs import command, deferred, parse
from app.api.graphql.types import Ctx, MeetingFormat, Person
from app.api.graphql.types_availability import Availability
from app.api.schemas.people import AvailabilityIn, PersonIn, PersonPatch
from app.services import people


@strawberry.input(description="a new profile; bounds as REST's PersonIn")
class PersonInput:
    display_name: str = strawberry.field(description="1 to 200 characters")
    birth_year: int = strawberry.field(description="1900 up to this year; generation and digitalNative follow it")
    email: str | None = strawberry.field(default=None, description="3 to 320 characters, unique in the organization")
    bio: str = strawberry.field(default="", description="up to 5000 characters")
    interests: list[str] = strawberry.field(default_factory=list, description="up to 50, each 1 to 100 characters")
    languages: list[str] = strawberry.field(default_factory=lambda: ["en"], description="up to 20 codes: en, pt-BR")
    department: str | None = None
    seniority: str | None = None
    city: str | None = None
    timezone: str = strawberry.field(default="UTC", description="IANA time zone, e.g. Europe/Berlin")
    preferred_formats: list[MeetingFormat] = strawberry.field(default_factory=list)  # type: ignore[valid-type]
    external_id: str | None = None


@strawberry.input(description="the fields to change: left out keeps the value; null clears a nullable field")
class PersonPatchInput:
    display_name: str | None = strawberry.UNSET
    email: str | None = strawberry.UNSET
    birth_year: int | None = strawberry.UNSET
    bio: str | None = strawberry.UNSET
    interests: list[str] | None = strawberry.UNSET
    languages: list[str] | None = strawberry.UNSET
    department: str | None = strawberry.UNSET
    seniority: str | None = strawberry.UNSET
    city: str | None = strawberry.UNSET
    timezone: str | None = strawberry.UNSET
    preferred_formats: list[MeetingFormat] | None = strawberry.UNSET  # type: ignore[valid-type]
    external_id: str | None = strawberry.UNSET


@strawberry.input(description="a weekly window in the person's time zone: weekday 0 = Monday … 6 = Sunday")
class WindowInput:
    weekday: int
    start: str = strawberry.field(description="HH:MM, wall-clock time")
    end: str = strawberry.field(description="HH:MM, after start on the same day")


PersonResult = Annotated[Person | Problem, strawberry.union("PersonResult")]
AvailabilityResult = Annotated[Availability | Problem, strawberry.union("AvailabilityResult")]


@strawberry.type
class PeopleMutations:
    @command("Create a profile (program managers, org admins).")
    async def create_person(self, info: Ctx, person: PersonInput) -> PersonResult:
        body = parse(PersonIn, person, "person")
        if isinstance(body, Problem):
            return body
        ctx = info.context
        return await attempt(people.create_person(ctx.uow, ctx.caller, body.command()), Person.of)

    @command("Edit a profile: the person themself or a manager.")
    async def update_person(
        self, info: Ctx, id: UUID, changes: PersonPatchInput, expected_version: int | None = None
    ) -> PersonResult:
        body = parse(PersonPatch, changes, "changes")
        if isinstance(body, Problem):
            return body
        ctx = info.context
        return await attempt(
            people.update_person(ctx.uow, ctx.caller, id, body.command(), expected_version=expected_version),
            Person.of,
        )

    @command(
        "GDPR erasure (the person themself or a manager): personal data is dropped, "
        "enrollments withdrawn, open tandems ended; the birth year stays for statistics."
    )
    async def erase_person(self, info: Ctx, id: UUID, expected_version: int | None = None) -> PersonResult:
        ctx = info.context
        return await attempt(people.erase_person(ctx.uow, ctx.caller, id, expected_version=expected_version), Person.of)

    @command("Replace the weekly windows (the person themself or a manager).")
    async def set_availability(
        self, info: Ctx, person_id: UUID, windows: list[WindowInput], expected_version: int | None = None
    ) -> AvailabilityResult:
        body = parse(AvailabilityIn, {"windows": windows}, "")
        if isinstance(body, Problem):
            return body
        ctx = info.context
        return await attempt(
            deferred(
                lambda: people.set_availability(
                    ctx.uow, ctx.caller, person_id, body.domain(), expected_version=expected_version
                )
            ),
            Availability.of,
        )
