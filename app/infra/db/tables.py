"""SQLModel tables. They serve persistence only: the domain never sees them, the API never
returns them. Constraints here back the invariants that concurrent requests could break."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar
from uuid import UUID

from sqlalchemy import BigInteger, CheckConstraint, Column, ForeignKey, Identity, Index, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field

from app.domain.generations import DIGITAL_NATIVE_FROM
from app.domain.tandem import OPEN_STATUSES
from app.infra.db.base import Table, Versioned, Xid8, json_list, json_object, ref, table_of, tenant, timestamp

# "open" as the domain defines it; the text is what migration 0001 created the indexes with
OPEN_TANDEM = text("status IN (" + ", ".join(f"'{status.value}'" for status in OPEN_STATUSES) + ")")


class OrganizationRow(Versioned, table=True):
    __tablename__: ClassVar[str] = "organizations"  # type: ignore[misc]
    name: str = Field(max_length=200)
    slug: str = Field(max_length=63, unique=True)


class UserRow(Versioned, table=True):
    __tablename__: ClassVar[str] = "users"  # type: ignore[misc]
    # the provider's subject identifies a returning user even after an email address changes
    __table_args__ = (
        UniqueConstraint("org_id", "email"),
        UniqueConstraint("org_id", "sso_subject"),
        # SCIM: a userName is the organization's once, whatever its case; externalId lookups
        Index(
            "uq_users_org_scim_user_name",
            "org_id",
            text("lower(scim_user_name)"),
            unique=True,
            postgresql_where=text("scim_user_name IS NOT NULL"),
        ),
        Index(
            "ix_users_org_scim_external_id",
            "org_id",
            "scim_external_id",
            postgresql_where=text("scim_external_id IS NOT NULL"),
        ),
    )
    org_id: UUID | None = ref("organizations.id", nullable=True)
    email: str = Field(max_length=320)
    role: str = Field(max_length=32)
    person_id: UUID | None = ref("people.id", nullable=True)
    sso_subject: str | None = Field(default=None, max_length=255)
    sso_issuer: str | None = Field(default=None, max_length=500)
    display_name: str | None = Field(default=None, max_length=200)
    last_login_at: datetime | None = timestamp(default=None, nullable=True)
    # the identity provider's SCIM record: userName and externalId for its filters, the rest as sent
    scim_user_name: str | None = Field(default=None, max_length=320)
    scim_external_id: str | None = Field(default=None, max_length=200)
    scim: dict[str, Any] | None = Field(default=None, sa_type=JSONB, nullable=True)  # type: ignore[call-overload]
    deactivated_at: datetime | None = timestamp(default=None, nullable=True)


class PersonRow(Versioned, table=True):
    __tablename__: ClassVar[str] = "people"  # type: ignore[misc]
    __table_args__ = (
        UniqueConstraint("org_id", "email"),
        # one Person per partner mentor and organization, however many syncs race; partner_id
        # leads so that the pool's reads (by partner and external_id) use the index too
        Index(
            "uq_people_partner_external",
            "partner_id",
            "external_id",
            "org_id",
            unique=True,
            postgresql_where=text("partner_id IS NOT NULL"),
        ),
    )
    org_id: UUID = tenant()
    display_name: str = Field(max_length=200)
    email: str | None = Field(default=None, max_length=320)
    birth_year: int
    bio: str = ""
    interests: list[str] = json_list()
    languages: list[str] = json_list()
    department: str | None = Field(default=None, max_length=200)
    seniority: str | None = Field(default=None, max_length=100)
    city: str | None = Field(default=None, max_length=200)
    timezone: str = Field(max_length=64)
    preferred_formats: list[str] = json_list()
    availability: list[dict[str, Any]] = json_list()
    source: str = Field(max_length=64)
    partner_id: UUID | None = ref("partners.id", nullable=True, index=False)
    external_id: str | None = Field(default=None, max_length=200)
    erased_at: datetime | None = timestamp(default=None, nullable=True)
    deactivated_at: datetime | None = timestamp(default=None, nullable=True)


class ProgramRow(Versioned, table=True):
    __tablename__: ClassVar[str] = "programs"  # type: ignore[misc]
    __table_args__ = (CheckConstraint("ends_on > starts_on", name="period_order"),)
    org_id: UUID = tenant()
    title: str = Field(max_length=200)
    description: str = ""
    starts_on: date
    ends_on: date
    status: str = Field(max_length=32)
    rules: dict[str, Any] = json_object()
    matching_policy: dict[str, Any] = json_object()  # weights and objective; {} = the defaults


class EnrollmentRow(Versioned, table=True):
    __tablename__: ClassVar[str] = "enrollments"  # type: ignore[misc]
    __table_args__ = (
        # one enrollment per person and program; withdrawn ones stay for the record
        Index(
            "uq_enrollments_active_person",
            "program_id",
            "person_id",
            unique=True,
            postgresql_where=text("status = 'active'"),
        ),
        CheckConstraint("capacity >= 1", name="capacity_positive"),
    )
    org_id: UUID = tenant()
    program_id: UUID = ref("programs.id")
    person_id: UUID = ref("people.id")
    role: str = Field(max_length=16)
    needs: list[dict[str, Any]] = json_list()
    offers: list[dict[str, Any]] = json_list()
    key_questions: list[str] = json_list()
    capacity: int
    status: str = Field(max_length=16)


class TandemRow(Versioned, table=True):
    __tablename__: ClassVar[str] = "tandems"  # type: ignore[misc]
    __table_args__ = (
        # the database itself refuses a mentee's second open tandem in a program, whatever races
        Index("uq_tandems_open_mentee", "mentee_enrollment_id", unique=True, postgresql_where=OPEN_TANDEM),
        Index("ix_tandems_open_mentor", "mentor_enrollment_id", postgresql_where=OPEN_TANDEM),
        Index("ix_tandems_program_created", "program_id", "created_at", "id"),
        # "which tandems of the program need me?": the list filtered by stored health
        Index("ix_tandems_program_health", "program_id", "health"),
    )
    org_id: UUID = tenant()
    program_id: UUID = ref("programs.id", index=False)
    mentor_enrollment_id: UUID = ref("enrollments.id", index=False)
    mentee_enrollment_id: UUID = ref("enrollments.id", index=False)
    mentor_person_id: UUID = ref("people.id")
    mentee_person_id: UUID = ref("people.id")
    status: str = Field(max_length=16)
    formats: list[str] = json_list()
    expires_at: datetime = timestamp()
    mentor_accepted_at: datetime | None = timestamp(default=None, nullable=True)
    mentee_accepted_at: datetime | None = timestamp(default=None, nullable=True)
    fit_mentor: bool | None = None
    fit_mentee: bool | None = None
    rematch_flagged: bool = False
    end_reason: str | None = None
    never_pair_again: bool = False
    # stored health (app/domain/health.py): null while the tandem is closed (and until first assessed)
    health: str | None = Field(default=None, max_length=16)
    health_reasons: list[dict[str, str]] | None = Field(default=None, sa_type=JSONB, nullable=True)  # type: ignore[call-overload]
    health_changed_at: datetime | None = timestamp(default=None, nullable=True)


class TandemTransitionRow(Table, table=True):
    __tablename__: ClassVar[str] = "tandem_transitions"  # type: ignore[misc]
    id: UUID = Field(primary_key=True)
    org_id: UUID = tenant()
    tandem_id: UUID = ref("tandems.id")
    from_status: str | None = Field(default=None, max_length=16)
    to_status: str = Field(max_length=16)
    actor_id: UUID | None = None
    reason: str | None = None
    at: datetime = timestamp()


class PairExclusionRow(Table, table=True):
    """Pairs dissolved with never_pair_again: excluded from every later matching of the org."""

    __tablename__: ClassVar[str] = "pair_exclusions"  # type: ignore[misc]
    org_id: UUID = Field(primary_key=True, foreign_key="organizations.id")
    mentor_person_id: UUID = Field(primary_key=True, foreign_key="people.id")
    mentee_person_id: UUID = Field(primary_key=True, foreign_key="people.id")
    created_at: datetime = timestamp()


class GoalRow(Versioned, table=True):
    __tablename__: ClassVar[str] = "goals"  # type: ignore[misc]
    org_id: UUID = tenant()
    tandem_id: UUID = ref("tandems.id")
    title: str = Field(max_length=300)
    description: str = ""
    status: str = Field(max_length=16)


class SessionRow(Versioned, table=True):
    __tablename__: ClassVar[str] = "sessions"  # type: ignore[misc]
    __table_args__ = (CheckConstraint("duration_minutes > 0", name="duration_positive"),)
    org_id: UUID = tenant()
    tandem_id: UUID = ref("tandems.id")
    starts_at: datetime = timestamp()
    duration_minutes: int
    format: str = Field(max_length=16)
    location: str | None = Field(default=None, max_length=500)
    video_link: str | None = Field(default=None, max_length=2000)
    agenda: str = ""
    notes: str = ""
    goals_covered: list[str] = json_list()
    status: str = Field(max_length=16)


class FeedbackRow(Table, table=True):
    __tablename__: ClassVar[str] = "feedback"  # type: ignore[misc]
    __table_args__ = (
        # one feedback per participant and session, even when both submit at the same moment
        UniqueConstraint("session_id", "author_person_id"),
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
    )
    id: UUID = Field(primary_key=True)
    org_id: UUID = tenant()
    session_id: UUID = ref("sessions.id", index=False)
    author_person_id: UUID = ref("people.id")
    side: str = Field(max_length=16)
    rating: int
    learned: str = ""
    goals_covered: list[str] = json_list()
    comment: str = ""
    created_at: datetime = timestamp()


class PreferenceRow(Table, table=True):
    """Likes and passes; the primary key keeps one current choice per author and candidate."""

    __tablename__: ClassVar[str] = "preferences"  # type: ignore[misc]
    author_enrollment_id: UUID = Field(primary_key=True, foreign_key="enrollments.id")
    candidate_enrollment_id: UUID = Field(primary_key=True, foreign_key="enrollments.id", index=True)
    org_id: UUID = tenant()
    program_id: UUID = ref("programs.id")
    choice: str = Field(max_length=8)
    created_at: datetime = timestamp()
    updated_at: datetime = timestamp()


class SsoConfigRow(Table, table=True):
    """One identity provider per organization; the client secret only ever encrypted."""

    __tablename__: ClassVar[str] = "sso_configs"  # type: ignore[misc]
    org_id: UUID = Field(primary_key=True, foreign_key="organizations.id")
    issuer: str = Field(max_length=500)
    client_id: str = Field(max_length=500)
    client_secret_encrypted: str
    allowed_email_domains: list[str] = json_list()
    role_claim: str = Field(max_length=100)
    role_mapping: dict[str, Any] = json_object()
    default_role: str = Field(max_length=32)
    frontend_url: str | None = Field(default=None, max_length=500)
    version: int = Field(default=1)
    created_at: datetime = timestamp()
    updated_at: datetime = timestamp()


class LoginAttemptRow(Table, table=True):
    """An authorization request in flight; found by the digest of its state, consumed once."""

    __tablename__: ClassVar[str] = "login_attempts"  # type: ignore[misc]
    state_digest: str = Field(primary_key=True, max_length=64)
    org_id: UUID = tenant()
    browser_digest: str = Field(max_length=64)
    nonce: str = Field(max_length=100)
    code_verifier: str = Field(max_length=128)
    redirect_uri: str = Field(max_length=600)
    client_code_challenge: str | None = Field(default=None, max_length=128)
    created_at: datetime = timestamp()
    expires_at: datetime = timestamp(index=True)
    consumed_at: datetime | None = timestamp(default=None, nullable=True)


class LoginCodeRow(Table, table=True):
    """A one-time code for a front end, exchanged at /oauth/token within a minute."""

    __tablename__: ClassVar[str] = "login_codes"  # type: ignore[misc]
    code_digest: str = Field(primary_key=True, max_length=64)
    user_id: UUID = ref("users.id")
    code_challenge: str | None = Field(default=None, max_length=128)
    expires_at: datetime = timestamp(index=True)
    used_at: datetime | None = timestamp(default=None, nullable=True)


class SignInRow(Table, table=True):
    """A refresh-token family. Access tokens name it (``sid``), so revoking it ends them too."""

    __tablename__: ClassVar[str] = "signins"  # type: ignore[misc]
    id: UUID = Field(primary_key=True)
    user_id: UUID = ref("users.id")
    org_id: UUID | None = ref("organizations.id", nullable=True)
    created_at: datetime = timestamp()
    expires_at: datetime = timestamp()
    revoked_at: datetime | None = timestamp(default=None, nullable=True)
    revoked_reason: str | None = Field(default=None, max_length=64)


class RefreshTokenRow(Table, table=True):
    __tablename__: ClassVar[str] = "refresh_tokens"  # type: ignore[misc]
    token_digest: str = Field(primary_key=True, max_length=64)
    signin_id: UUID = ref("signins.id")
    issued_at: datetime = timestamp()
    expires_at: datetime = timestamp()
    used_at: datetime | None = timestamp(default=None, nullable=True)


class IdempotencyKeyRow(Table, table=True):
    """The first response to a POST with an Idempotency-Key, replayed to retries of the same caller."""

    __tablename__: ClassVar[str] = "idempotency_keys"  # type: ignore[misc]
    scope: str = Field(primary_key=True, max_length=200)
    key: str = Field(primary_key=True, max_length=200)
    request_hash: str = Field(max_length=64)
    status_code: int | None = None
    response_headers: list[Any] = json_list()
    response_body: bytes | None = None
    created_at: datetime = timestamp(index=True)
    completed_at: datetime | None = timestamp(default=None, nullable=True)


class OutboxRow(Table, table=True):
    """Domain events, written in the same transaction as the change; the feed and webhooks read them.

    ``xact_id`` (the writing transaction) and ``seq`` order the feed: see ``FeedPosition``.
    An event with a ``partner_id`` is addressed to that partner only (``org_id`` may then be None).
    """

    __tablename__: ClassVar[str] = "outbox"  # type: ignore[misc]
    __table_args__ = (
        Index("ix_outbox_org_position", "org_id", "xact_id", "seq", postgresql_where=text("partner_id IS NULL")),
        Index(
            "ix_outbox_partner_position",
            "partner_id",
            "xact_id",
            "seq",
            postgresql_where=text("partner_id IS NOT NULL"),
        ),
    )
    id: UUID = Field(primary_key=True)
    org_id: UUID | None = Field(default=None, sa_column_args=[ForeignKey("organizations.id")], index=True)
    partner_id: UUID | None = ref("partners.id", nullable=True, index=False)
    type: str = Field(max_length=64)
    subject_id: UUID
    data: dict[str, Any] = json_object()
    occurred_at: datetime = timestamp()
    published_at: datetime | None = timestamp(default=None, nullable=True, index=True)
    xact_id: int = Field(sa_column=Column(Xid8(), nullable=False, server_default=text("pg_current_xact_id()")))
    seq: int = Field(sa_column=Column(BigInteger, Identity(always=False), nullable=False))


class MatchingRunRow(Versioned, table=True):
    """A matching run (a job): its status, progress, and the proposals a manager reviews."""

    __tablename__: ClassVar[str] = "matching_runs"  # type: ignore[misc]
    __table_args__ = (
        Index("ix_matching_runs_program_created", "program_id", "created_at", "id"),
        CheckConstraint("progress >= 0 AND progress <= 100", name="progress_range"),
    )
    org_id: UUID = tenant()
    program_id: UUID = ref("programs.id", index=False)
    status: str = Field(max_length=16)
    progress: int = Field(default=0)
    pinned: list[dict[str, Any]] = json_list()
    proposals: list[dict[str, Any]] = json_list()
    unmatched: list[dict[str, Any]] = json_list()
    error: str | None = None
    accepted_proposal_ids: list[int] = json_list()


transitions = table_of(TandemTransitionRow)
pair_exclusions = table_of(PairExclusionRow)
feedback = table_of(FeedbackRow)
tandems = table_of(TandemRow)
outbox = table_of(OutboxRow)
preferences = table_of(PreferenceRow)
sso_configs = table_of(SsoConfigRow)
idempotency_keys = table_of(IdempotencyKeyRow)
matching_runs = table_of(MatchingRunRow)
login_attempts = table_of(LoginAttemptRow)
login_codes = table_of(LoginCodeRow)
signins = table_of(SignInRow)
refresh_tokens = table_of(RefreshTokenRow)


class PartnerRow(Versioned, table=True):
    """A partner network and its OAuth client; the client secret only ever as a SHA-256 digest."""

    __tablename__: ClassVar[str] = "partners"  # type: ignore[misc]
    name: str = Field(max_length=200, unique=True)
    client_id: str = Field(max_length=64, unique=True)
    client_secret_digest: str = Field(max_length=64)
    allowed_scopes: list[str] = json_list()


class PartnerGrantRow(Table, table=True):
    """An organization's grant to a partner network: the primary key keeps one per pair."""

    __tablename__: ClassVar[str] = "partner_grants"  # type: ignore[misc]
    org_id: UUID = Field(primary_key=True, foreign_key="organizations.id")
    partner_id: UUID = Field(primary_key=True, foreign_key="partners.id", index=True)
    granted_by: UUID | None = None
    created_at: datetime = timestamp()


class PartnerMentorRow(Versioned, table=True):
    """A partner's pool: one row per external_id of the partner, even when two syncs race."""

    __tablename__: ClassVar[str] = "partner_mentors"  # type: ignore[misc]
    __table_args__ = (
        UniqueConstraint("partner_id", "external_id"),
        # incremental syncs page by (updated_at, id) within a partner
        Index("ix_partner_mentors_partner_updated", "partner_id", "updated_at", "id"),
        CheckConstraint(f"birth_year >= {DIGITAL_NATIVE_FROM}", name="digital_native"),
    )
    partner_id: UUID = ref("partners.id", index=False)
    external_id: str = Field(max_length=200)
    display_name: str = Field(max_length=200)
    email: str | None = Field(default=None, max_length=320)
    birth_year: int
    bio: str = ""
    interests: list[str] = json_list()
    languages: list[str] = json_list()
    city: str | None = Field(default=None, max_length=200)
    timezone: str = Field(max_length=64)
    preferred_formats: list[str] = json_list()
    withdrawn_at: datetime | None = timestamp(default=None, nullable=True)


partners = table_of(PartnerRow)
partner_grants = table_of(PartnerGrantRow)
partner_mentors = table_of(PartnerMentorRow)


class WebhookEndpointRow(Versioned, table=True):
    """An organization's or a partner's receiver; secrets sealed (``SecretBox``), never plain."""

    __tablename__: ClassVar[str] = "webhook_endpoints"  # type: ignore[misc]
    __table_args__ = (CheckConstraint("(org_id IS NULL) <> (partner_id IS NULL)", name="one_owner"),)
    org_id: UUID | None = ref("organizations.id", nullable=True)
    partner_id: UUID | None = ref("partners.id", nullable=True)
    url: str = Field(max_length=2000)
    description: str = Field(default="", max_length=500)
    event_types: list[str] = json_list()
    enabled: bool = True
    disabled_reason: str | None = Field(default=None, max_length=500)
    secret_sealed: str
    previous_secret_sealed: str | None = None
    previous_secret_expires_at: datetime | None = timestamp(default=None, nullable=True)
    failing_since: datetime | None = timestamp(default=None, nullable=True)


class WebhookDeliveryRow(Table, table=True):
    """One event to one endpoint (a ping has no stored event); ``seq`` keeps the fan-out order."""

    __tablename__: ClassVar[str] = "webhook_deliveries"  # type: ignore[misc]
    __table_args__ = (
        UniqueConstraint("endpoint_id", "event_id"),
        Index("ix_webhook_deliveries_due", "next_attempt_at", postgresql_where=text("status = 'pending'")),
        Index("ix_webhook_deliveries_endpoint_created", "endpoint_id", "created_at", "id"),
    )
    id: UUID = Field(primary_key=True)
    seq: int = Field(sa_column=Column(BigInteger, Identity(always=False), nullable=False))
    endpoint_id: UUID = Field(sa_column_args=[ForeignKey("webhook_endpoints.id", ondelete="CASCADE")])
    event_id: UUID = Field(index=True)
    event_type: str = Field(max_length=64)
    status: str = Field(max_length=16)
    attempts: int = 0
    next_attempt_at: datetime | None = timestamp(default=None, nullable=True)
    last_attempt_at: datetime | None = timestamp(default=None, nullable=True)
    last_status_code: int | None = None
    last_duration_ms: int | None = None
    last_error: str | None = Field(default=None, max_length=500)
    created_at: datetime = timestamp()
    updated_at: datetime = timestamp()


class WebhookRelayRow(Table, table=True):
    """The relay's place in the event feed: one row, locked by the relay fanning out."""

    __tablename__: ClassVar[str] = "webhook_relay"  # type: ignore[misc]
    id: int = Field(primary_key=True)
    xact_id: int = Field(sa_column=Column(Xid8(), nullable=False))
    seq: int = Field(sa_column=Column(BigInteger, nullable=False))


class CalendarLinkRow(Table, table=True):
    """A person's secret calendar feed link; only the token's SHA-256 digest is stored."""

    __tablename__: ClassVar[str] = "calendar_links"  # type: ignore[misc]
    id: UUID = Field(primary_key=True)
    org_id: UUID = tenant()
    person_id: UUID = ref("people.id")
    token_digest: str = Field(max_length=64, unique=True)
    created_by: UUID | None = None
    created_at: datetime = timestamp()


webhook_endpoints = table_of(WebhookEndpointRow)
webhook_deliveries = table_of(WebhookDeliveryRow)
webhook_relay = table_of(WebhookRelayRow)
calendar_links = table_of(CalendarLinkRow)


class AuditEventRow(Table, table=True):
    """The audit trail (``app.domain.audit``): appended in the change's own transaction, never
    updated; a trigger (migration 0012) refuses UPDATE and DELETE except the retention prune."""

    __tablename__: ClassVar[str] = "audit_events"  # type: ignore[misc]
    __table_args__ = (
        Index("ix_audit_events_org_time", "org_id", "occurred_at", "id"),
        Index("ix_audit_events_org_target", "org_id", "target_id"),
    )
    id: UUID = Field(primary_key=True)
    # no foreign keys: an entry outlives what it names (an erased person, a pruned event)
    org_id: UUID | None = None
    occurred_at: datetime = timestamp(index=True)
    actor_type: str = Field(max_length=16)
    actor_id: UUID | None = None
    actor_role: str | None = Field(default=None, max_length=32)
    action: str = Field(max_length=64)
    target_type: str = Field(max_length=32)
    target_id: UUID
    request_id: str | None = Field(default=None, max_length=128)


audit_events = table_of(AuditEventRow)


class ScimTokenRow(Table, table=True):
    """An organization's SCIM bearer token; only the secret's SHA-256 digest is stored."""

    __tablename__: ClassVar[str] = "scim_tokens"  # type: ignore[misc]
    id: UUID = Field(primary_key=True)
    org_id: UUID = tenant()
    name: str = Field(max_length=100)
    description: str = Field(default="", max_length=500)
    token_digest: str = Field(max_length=64, unique=True)
    created_by: UUID | None = None
    created_at: datetime = timestamp()


scim_tokens = table_of(ScimTokenRow)


class ScimGroupRow(Versioned, table=True):
    """A group of the organization's identity provider (SCIM); members are user ids."""

    __tablename__: ClassVar[str] = "scim_groups"  # type: ignore[misc]
    __table_args__ = (Index("uq_scim_groups_org_display_name", "org_id", text("lower(display_name)"), unique=True),)
    org_id: UUID = tenant()
    display_name: str = Field(max_length=200)
    external_id: str | None = Field(default=None, max_length=200)
    member_ids: list[str] = json_list()


scim_groups = table_of(ScimGroupRow)
