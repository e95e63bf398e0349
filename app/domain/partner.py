"""Partner networks: their machine client, the organizations that grant them access, and their mentor pool.

A partner syncs its pool of external mentors (digital natives) by its own ids (``external_id``).
Every organization that granted the partner access gets a Person per pool mentor, so that its
programs can enroll them like anyone else.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field, fields
from datetime import datetime
from enum import StrEnum
from uuid import UUID, uuid4

from app.domain.access import Scope
from app.domain.clock import utcnow
from app.domain.errors import BadRequest, RuleViolation
from app.domain.events import DomainEvent, EventRecorder
from app.domain.generations import DIGITAL_NATIVE_FROM, Generation, generation_of, is_digital_native
from app.domain.organization import validate_name
from app.domain.person import ERASED_NAME, Person, clean_profile
from app.domain.values import MeetingFormat

CLIENT_ID_PREFIX = "ptn_"
MAX_CLIENT_ID_LENGTH = 64
MAX_EXTERNAL_ID_LENGTH = 200
PARTNER_SOURCE = "partner"  # people.source of the Persons a partner's mentors become
ALL_SCOPES = frozenset(Scope)


def new_client_id() -> str:
    return CLIENT_ID_PREFIX + secrets.token_hex(12)


def new_client_secret() -> str:
    return secrets.token_urlsafe(32)


def digest_secret(secret: str) -> str:
    """SHA-256 suffices: the secret is 256 random bits, nothing a guesser could enumerate.

    (A slow password hash protects low-entropy human passwords; it would add nothing here.)
    """
    return hashlib.sha256(secret.encode()).hexdigest()


# compared against when the client id is unknown, so both failures cost the same time
_NO_CLIENT_DIGEST = digest_secret(secrets.token_urlsafe(32))


def secret_matches(stored_digest: str | None, secret: str) -> bool:
    """Constant-time comparison of digests; ``None`` (no such client) never matches."""
    matched = hmac.compare_digest(stored_digest or _NO_CLIENT_DIGEST, digest_secret(secret))
    return matched and stored_digest is not None


def parse_scopes(values: tuple[str, ...] | list[str] | frozenset[str]) -> frozenset[Scope]:
    known = {s.value for s in Scope}
    unknown = sorted(set(values) - known)
    if unknown:
        raise RuleViolation(f"unknown scopes: {', '.join(unknown)}", code="unknown_scope", field="allowed_scopes")
    return frozenset(Scope(v) for v in values)


@dataclass(eq=False)
class Partner:
    """A partner network and its OAuth client. Only a digest of the client secret is ever kept."""

    name: str
    client_id: str
    client_secret_digest: str
    allowed_scopes: frozenset[Scope] = ALL_SCOPES
    id: UUID = field(default_factory=uuid4)
    version: int = 1
    created_at: datetime = field(default_factory=utcnow)
    updated_at: datetime = field(default_factory=utcnow)

    def __post_init__(self) -> None:
        self.name = validate_name(self.name)
        self.allowed_scopes = parse_scopes(frozenset(self.allowed_scopes))
        if not self.allowed_scopes:
            raise RuleViolation("a partner needs at least one scope", code="scopes_required", field="allowed_scopes")

    @classmethod
    def register(cls, name: str, allowed_scopes: frozenset[Scope] = ALL_SCOPES) -> tuple[Partner, str]:
        """A new partner and its client secret, which the caller shows once and forgets."""
        secret = new_client_secret()
        partner = cls(
            name=name,
            client_id=new_client_id(),
            client_secret_digest=digest_secret(secret),
            allowed_scopes=allowed_scopes,
        )
        return partner, secret

    def rotate_secret(self) -> str:
        """Replace the secret; the old one stops working at once. Returns the new one (shown once)."""
        secret = new_client_secret()
        self.client_secret_digest = digest_secret(secret)
        self.updated_at = utcnow()
        return secret

    @property
    def credential_tag(self) -> str:
        """Names the current client secret without revealing it; changes with every rotation."""
        return digest_secret(self.client_secret_digest)[:16]

    def verify_secret(self, secret: str) -> bool:
        return secret_matches(self.client_secret_digest, secret)

    def grant_scopes(self, requested: str | None) -> frozenset[Scope]:
        """Narrow a space-separated OAuth ``scope`` to the partner's; none asked means all it may have."""
        asked = (requested or "").split()
        if not asked:
            return self.allowed_scopes
        refused = sorted({s for s in asked if s not in {a.value for a in self.allowed_scopes}})
        if refused:
            raise BadRequest(f"scope not allowed for this client: {' '.join(refused)}", code="invalid_scope")
        return frozenset(Scope(s) for s in asked)


@dataclass(frozen=True, slots=True)
class PartnerGrant:
    """An organization lets a partner network supply mentors to its programs."""

    org_id: UUID
    partner_id: UUID
    granted_by: UUID | None = None
    created_at: datetime = field(default_factory=utcnow)


class SyncStatus(StrEnum):
    """What one row of a pool sync did."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    ERROR = "error"


def validate_external_id(value: str) -> str:
    """The partner's own id of a mentor, as synced and as looked up (PostgreSQL text holds no NUL)."""
    value = value.strip()
    if not value or len(value) > MAX_EXTERNAL_ID_LENGTH or "\x00" in value:
        raise RuleViolation(
            f"external_id must be 1 to {MAX_EXTERNAL_ID_LENGTH} characters without NUL",
            code="invalid_external_id",
            field="external_id",
        )
    return value


@dataclass(eq=False)
class PartnerMentor(EventRecorder):
    """One mentor of a partner's pool, keyed by the partner's own ``external_id``.

    Mentors of the pool must be digital natives: a partner supplies the young side of a tandem.
    Its events are the partner's alone (``org_id`` None): they name the mentor by ``external_id``
    and the fields that changed, never the values, which the partner sent itself.
    """

    partner_id: UUID
    external_id: str
    display_name: str
    birth_year: int
    email: str | None = None
    bio: str = ""
    interests: tuple[str, ...] = ()
    languages: tuple[str, ...] = ("en",)
    city: str | None = None
    timezone: str = "UTC"
    preferred_formats: tuple[MeetingFormat, ...] = ()
    withdrawn_at: datetime | None = None
    id: UUID = field(default_factory=uuid4)
    version: int = 1
    created_at: datetime = field(default_factory=utcnow)
    updated_at: datetime = field(default_factory=utcnow)

    def __post_init__(self) -> None:
        EventRecorder.__init__(self)
        self.external_id = validate_external_id(self.external_id)
        clean_profile(self)
        if not is_digital_native(self.birth_year):
            raise RuleViolation(
                f"partner mentors must be digital natives (born {DIGITAL_NATIVE_FROM} or later)",
                code="not_a_digital_native",
                field="birth_year",
            )

    @property
    def generation(self) -> Generation:
        return generation_of(self.birth_year)

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def withdraw(self) -> bool:
        """Take the mentor out of the pool; False when they already were (withdrawing is idempotent)."""
        if not self._leave_pool():
            return False
        self._tell_partner("partner_mentor.withdrawn", {"external_id": self.external_id})
        return True

    def synced(self, status: SyncStatus, stored: PartnerMentor | None) -> None:
        """This row of a sync was stored with ``status`` over ``stored`` (the row as it was, None
        when there was none): a created or changed mentor is ``partner_mentor.upserted``."""
        if status not in (SyncStatus.CREATED, SyncStatus.UPDATED):
            return
        changed = [name for name in SYNCED_FIELDS if stored is None or getattr(stored, name) != getattr(self, name)]
        data: dict[str, object] = {"external_id": self.external_id, "status": status.value, "changed": changed}
        self._tell_partner("partner_mentor.upserted", data)

    def _leave_pool(self) -> bool:
        if self.withdrawn:
            return False
        self.withdrawn_at = self.updated_at = utcnow()
        return True

    def _tell_partner(self, kind: str, data: dict[str, object]) -> None:
        self.record(DomainEvent(kind, None, self.id, data, partner_id=self.partner_id))

    def erase(self) -> None:
        """GDPR erasure of the mentor's Person: the pool row loses the profile and leaves the pool.

        The partner's ``external_id`` may be anything the partner chose (an address even), so it is
        replaced too; a later sync of that id is a new mentor, as the partner then sends it again.
        Birth year and languages stay, as for a Person. No event is recorded: it would have to
        name the mentor by the id that goes.
        """
        self._leave_pool()
        self.external_id = f"erased-{self.id}"
        self.display_name, self.email, self.bio, self.interests, self.city = ERASED_NAME, None, "", (), None
        self.updated_at = utcnow()

    def profile(self) -> dict[str, object]:
        """The fields a sync may set: everything but identity, bookkeeping and withdrawal."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name in PROFILE_FIELDS}

    def as_person(self, org_id: UUID) -> Person:
        """The mentor as a Person of a granting organization (source ``partner``)."""
        return Person(
            org_id=org_id,
            source=PARTNER_SOURCE,
            partner_id=self.partner_id,
            **self.profile(),  # type: ignore[arg-type]
        )


PROFILE_FIELDS = (
    "external_id",
    "display_name",
    "birth_year",
    "email",
    "bio",
    "interests",
    "languages",
    "city",
    "timezone",
    "preferred_formats",
)
# what a sync writes over a stored mentor: the profile but its key, and a withdrawn mentor is back
SYNCED_FIELDS = (*(name for name in PROFILE_FIELDS if name != "external_id"), "withdrawn_at")


class MentorStage(StrEnum):
    """How far a pool mentor got in one granting organization."""

    AVAILABLE = "available"  # a Person of the organization, not enrolled in any program
    ENROLLED = "enrolled"  # enrolled as a mentor, no tandem yet
    PROPOSED = "proposed"  # a tandem is proposed and awaits both sides
    MATCHED = "matched"  # in a tandem that both sides accepted (active, paused or completed)


@dataclass(frozen=True, slots=True)
class Placement:
    """A pool mentor's Person in one granting organization, and what happened to it there."""

    org_id: UUID
    organization_name: str
    person_id: UUID
    active_enrollments: int = 0
    proposed_tandems: int = 0
    matched_tandems: int = 0

    @property
    def stage(self) -> MentorStage:
        if self.matched_tandems:
            return MentorStage.MATCHED
        if self.proposed_tandems:
            return MentorStage.PROPOSED
        if self.active_enrollments:
            return MentorStage.ENROLLED
        return MentorStage.AVAILABLE
