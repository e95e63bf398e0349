"""Provisioning: what an organization's identity provider says about one of its people (a SCIM
User), and what Tandem makes of it.

The provider is the source of truth for its own record, so the record is kept as it was sent:
reading it back gives the provider what it wrote. Tandem's profile takes from it what makes a
valid profile, field by field, as single sign-on does with a provider's claims: a birth year
outside 1900..now or an unknown time zone stays in the record but is not put on the profile.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from app.domain.errors import DomainError, RuleViolation
from app.domain.person import Person, normalize_email

MAX_USER_NAME_LENGTH = 320
MAX_TEXT_LENGTH = 200
MAX_EMAILS = 10
MAX_LANGUAGES_LENGTH = 500


def _text(value: str | None, name: str, *, limit: int = MAX_TEXT_LENGTH) -> str | None:
    if value is None:
        return None
    if len(value) > limit or not value.isprintable():
        raise RuleViolation(f"{name} must be at most {limit} printable characters", code="invalid_value", field=name)
    return value


@dataclass(frozen=True, slots=True)
class ProvisionedEmail:
    value: str  # addresses compare without case (RFC 7643 emails.value is caseExact false): kept lowercase
    type: str | None = None
    primary: bool = False

    def __post_init__(self) -> None:
        value = _text(self.value, "emails.value", limit=MAX_USER_NAME_LENGTH) or ""
        object.__setattr__(self, "value", value.strip().lower())
        _text(self.type, "emails.type", limit=32)


@dataclass(frozen=True, slots=True)
class ProvisionedAccount:
    """One provider record; ``user_name`` is unique in the organization, compared without case."""

    user_name: str
    external_id: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    display_name: str | None = None
    emails: tuple[ProvisionedEmail, ...] = ()
    department: str | None = None
    birth_year: int | None = None
    languages: str | None = None  # comma-separated ("en, de"): providers map one directory attribute to it
    city: str | None = None
    timezone: str | None = None
    active: bool | None = None  # as the provider sent it; absent counts as active (RFC 7643 §4.1.1)

    def __post_init__(self) -> None:
        if not self.user_name.strip():
            raise RuleViolation("userName must not be blank", code="invalid_value", field="userName")
        _text(self.user_name, "userName", limit=MAX_USER_NAME_LENGTH)
        for name in ("external_id", "given_name", "family_name", "display_name", "department", "city", "timezone"):
            _text(getattr(self, name), name)
        _text(self.languages, "languages", limit=MAX_LANGUAGES_LENGTH)
        if len(self.emails) > MAX_EMAILS:
            raise RuleViolation(f"at most {MAX_EMAILS} emails", code="invalid_value", field="emails")
        if sum(e.primary for e in self.emails) > 1:
            # RFC 7643 §2.4: "primary" true appears no more than once
            raise RuleViolation("only one email may be primary", code="invalid_value", field="emails")

    @property
    def is_active(self) -> bool:
        return self.active is not False

    @property
    def sign_in_email(self) -> str | None:
        """The address the person signs in with: the primary email, else a work one, else any,
        else the userName itself; None when none of them is an address."""
        ranked = sorted(self.emails, key=lambda e: (not e.primary, e.type != "work"))
        for candidate in [e.value for e in ranked] + [self.user_name]:
            try:
                return normalize_email(candidate)
            except RuleViolation:
                continue
        return None

    @property
    def name(self) -> str:
        """The display name Tandem shows: the provider's, else given and family name, else the userName."""
        joined = " ".join(p for p in (self.given_name, self.family_name) if p)
        return " ".join((self.display_name or joined or self.user_name).split())[:MAX_TEXT_LENGTH]

    def profile_changes(self) -> dict[str, object]:
        """The profile fields the record sets (each is checked on its own when applied)."""
        changes: dict[str, object] = {"display_name": self.name, "department": self.department, "city": self.city}
        if self.birth_year is not None:
            changes["birth_year"] = self.birth_year
        languages = tuple(part.strip() for part in (self.languages or "").split(",") if part.strip())
        if languages:
            changes["languages"] = languages
        if self.timezone:
            changes["timezone"] = self.timezone
        return changes

    def new_person(self, org_id: UUID) -> Person | None:
        """A profile for someone Tandem has none of yet: only with a usable birth year, which a
        profile needs (generations are Tandem's point); else they complete it after signing in."""
        if self.birth_year is None:
            return None
        try:
            person = Person(org_id, self.name, self.birth_year, email=self.sign_in_email)
        except DomainError:
            return None
        apply_to(self, person)
        person.pull_events()  # a new profile's first fields are part of its creation, not updates
        return person.announce()


def apply_to(account: ProvisionedAccount, person: Person) -> list[str]:
    """Put the record's fields on the person's profile, each one only if the profile takes it;
    returns the fields it left out. An erased profile takes nothing."""
    if person.erased:
        return []
    skipped = []
    for name, value in account.profile_changes().items():
        if getattr(person, name) == value:
            continue
        try:
            person.update(**{name: value})
        except DomainError:
            skipped.append(name)
    return skipped


# where an account without any address lives: RFC 2606 .invalid, never delivered, never signed in with
UNADDRESSED_DOMAIN = "scim.invalid"


@dataclass(frozen=True, slots=True)
class Match:
    """``attribute eq value``: userName and emails without case, externalId exactly (RFC 7643 caseExact)."""

    attribute: str  # "userName", "externalId" or "email"
    value: str
    email_type: str | None = None  # emails[type eq "work"].value: only addresses of this type


@dataclass(frozen=True, slots=True)
class AllOf:
    parts: tuple[Criteria, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    parts: tuple[Criteria, ...]


Criteria = Match | AllOf | AnyOf
FILTERABLE = ("userName", "externalId", "email")
