"""Ports: what the use cases need from persistence. The database adapter implements them.

Every lookup of tenant data takes the tenant (``org_id``): a row of another organization is
simply not found.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from types import TracebackType
from typing import Literal, Protocol, Self, TypeVar
from uuid import UUID

from app.domain.access import Caller
from app.domain.audit import AuditEntry, AuditFilter
from app.domain.calendar_link import CalendarLink
from app.domain.delivery import Delivery, Outcome
from app.domain.enrollment import Enrollment
from app.domain.events import Audience, EventRecorder, FeedPosition, StoredEvent
from app.domain.goal import Goal
from app.domain.health import Health, HealthAssessment, HealthInput
from app.domain.insights import ProgramFigures
from app.domain.matching.run import MatchingRun
from app.domain.organization import Organization
from app.domain.partner import Partner, PartnerGrant, PartnerMentor, Placement, SyncStatus
from app.domain.person import Person
from app.domain.placement import PoolMentorRef
from app.domain.preference import Preference
from app.domain.program import Program
from app.domain.provisioned_group import ProvisionedGroup
from app.domain.provisioning import Criteria
from app.domain.report import TandemReportRow
from app.domain.scim_token import ScimToken
from app.domain.session import Feedback, Session
from app.domain.signin import LoginAttempt, LoginCode, RefreshToken, SignIn
from app.domain.sso import NO_HINTS, LoginHints, ProviderIdentity, ProviderLogout, SsoConfig
from app.domain.tandem import Tandem
from app.domain.user import User
from app.domain.webhook import WebhookEndpoint
from app.services.pagination import Page, PageRequest

T = TypeVar("T")


class BatchReads(Protocol[T]):
    """Reads of many objects of one tenant at once, so GraphQL's DataLoaders stay N+1-free."""

    async def get_many(self, org_id: UUID, ids: Sequence[UUID]) -> list[T]: ...
    async def children_of(
        self, org_id: UUID, parent_column: str, parent_ids: Sequence[UUID], *, with_children: bool = True
    ) -> list[T]: ...


class OrganizationRepository(Protocol):
    async def get(self, org_id: UUID) -> Organization | None: ...
    async def get_by_slug(self, slug: str) -> Organization | None: ...
    async def add(self, org: Organization) -> None: ...
    async def save(self, org: Organization) -> None: ...
    async def page(self, request: PageRequest) -> Page[Organization]: ...


class PersonRepository(BatchReads[Person], Protocol):
    async def get(self, org_id: UUID, person_id: UUID) -> Person | None: ...
    async def get_by_email(self, org_id: UUID, email: str) -> Person | None: ...
    async def add(self, person: Person) -> None: ...
    async def save(self, person: Person) -> None: ...
    async def page(self, org_id: UUID, request: PageRequest) -> Page[Person]: ...
    async def count(self, org_id: UUID) -> int: ...


class ProgramRepository(BatchReads[Program], Protocol):
    async def get(self, org_id: UUID, program_id: UUID, *, for_update: bool = False) -> Program | None: ...
    async def add(self, program: Program) -> None: ...
    async def save(self, program: Program) -> None: ...
    async def page(self, org_id: UUID, request: PageRequest) -> Page[Program]: ...
    async def due_for_completion(self, today: date, *, limit: int) -> list[Program]:
        """Running programs past their end, of every organization, locked (SKIP LOCKED)."""
        ...


class EnrollmentRepository(BatchReads[Enrollment], Protocol):
    async def get(self, org_id: UUID, enrollment_id: UUID, *, for_update: bool = False) -> Enrollment | None: ...
    async def lock(self, org_id: UUID, enrollment_ids: list[UUID]) -> dict[UUID, Enrollment]: ...
    async def find(self, org_id: UUID, program_id: UUID, person_id: UUID) -> Enrollment | None: ...
    async def add(self, enrollment: Enrollment) -> None: ...
    async def save(self, enrollment: Enrollment) -> None: ...
    async def page(
        self, org_id: UUID, program_id: UUID, request: PageRequest, *, person_id: UUID | None = None
    ) -> Page[Enrollment]: ...
    async def for_person(self, org_id: UUID, person_id: UUID) -> list[Enrollment]: ...


class TandemRepository(BatchReads[Tandem], Protocol):
    async def get(self, org_id: UUID, tandem_id: UUID, *, for_update: bool = False) -> Tandem | None: ...
    async def add(self, tandem: Tandem) -> None: ...
    async def save(self, tandem: Tandem) -> None: ...
    async def count_open(
        self, org_id: UUID, *, mentor_enrollment_id: UUID | None = None, mentee_enrollment_id: UUID | None = None
    ) -> int: ...
    async def open_in_program(self, org_id: UUID, program_id: UUID) -> list[Tandem]: ...
    async def health_inputs(self, org_id: UUID, tandem_ids: list[UUID], *, lock: bool = False) -> list[HealthInput]:
        """Each tandem's health inputs and stored health, in one read; ``lock`` takes their rows."""
        ...

    async def health_sweep_batch(self, *, after: UUID | None, limit: int) -> list[HealthInput]:
        """Open tandems of every organization past ``after`` (by id), locked; rows another
        transaction holds are skipped."""
        ...

    async def store_health(
        self,
        found: HealthInput,
        assessment: HealthAssessment | None,
        changed_at: datetime | None,
        *,
        note: EventRecorder | None = None,
    ) -> bool:
        """Compare and set: write unless the stored health is no longer what ``found`` read.
        The ``note``'s events are stored with the transaction only when the write happened."""
        ...

    async def due_for_expiry(self, now: datetime, *, limit: int) -> list[Tandem]: ...
    async def page(
        self,
        org_id: UUID,
        program_id: UUID,
        request: PageRequest,
        *,
        person_id: UUID | None = None,
        health: Health | None = None,
        rematch_flagged: bool | None = None,
    ) -> Page[Tandem]: ...
    async def for_person(self, org_id: UUID, person_id: UUID) -> list[Tandem]: ...
    async def save_history_text(self, tandem: Tandem) -> None:
        """Write back the reasons of history entries already stored (erasure blanks them)."""
        ...

    async def is_excluded(self, org_id: UUID, mentor_person_id: UUID, mentee_person_id: UUID) -> bool: ...
    async def exclude_pair(self, org_id: UUID, mentor_person_id: UUID, mentee_person_id: UUID) -> None: ...
    async def exclusions_among(self, org_id: UUID, person_ids: list[UUID]) -> list[tuple[UUID, UUID]]:
        """The never_pair_again (mentor, mentee) person pairs with both people among ``person_ids``."""
        ...

    async def exclusions_of(self, org_id: UUID, person_id: UUID) -> list[tuple[UUID, UUID]]:
        """The (mentor, mentee) person pairs dissolved with never_pair_again that include the person."""
        ...


class GoalRepository(BatchReads[Goal], Protocol):
    async def get(self, org_id: UUID, goal_id: UUID) -> Goal | None: ...
    async def add(self, goal: Goal) -> None: ...
    async def save(self, goal: Goal) -> None: ...
    async def page(self, org_id: UUID, tandem_id: UUID, request: PageRequest) -> Page[Goal]: ...


class SessionRepository(BatchReads[Session], Protocol):
    async def get(self, org_id: UUID, signin_id: UUID, *, for_update: bool = False) -> Session | None: ...
    async def add(self, session: Session) -> None: ...
    async def save(self, session: Session) -> None: ...
    async def page(self, org_id: UUID, tandem_id: UUID, request: PageRequest) -> Page[Session]: ...
    async def for_tandem(self, org_id: UUID, tandem_id: UUID) -> list[Session]: ...
    async def for_person(self, org_id: UUID, person_id: UUID) -> list[Session]: ...
    async def save_feedback_text(self, session: Session) -> None:
        """Write back the words of feedback already stored (erasure blanks them)."""
        ...

    async def feedback_of(self, org_id: UUID, session_ids: Sequence[UUID]) -> list[tuple[UUID, Feedback]]:
        """(session id, feedback) of many sessions in one read, each session's in its order."""
        ...


class PreferenceRepository(Protocol):
    """Likes and passes; one current choice per author and candidate enrollment."""

    async def get(
        self, org_id: UUID, author_enrollment_id: UUID, candidate_enrollment_id: UUID
    ) -> Preference | None: ...
    async def upsert(self, preference: Preference) -> Preference:
        """Insert or change the choice; returns the stored preference (``created_at`` of the first choice)."""
        ...

    async def passed_between(self, org_id: UUID, enrollment_id: UUID, other_enrollment_id: UUID) -> bool:
        """Whether either enrollment passed on the other."""
        ...

    async def authored_by(self, org_id: UUID, author_enrollment_ids: list[UUID]) -> list[Preference]: ...
    async def involving(self, org_id: UUID, enrollment_id: UUID) -> list[Preference]:
        """Every preference the enrollment gave or received, in one read."""
        ...

    async def remove_involving(self, org_id: UUID, enrollment_ids: list[UUID]) -> int:
        """Drop every preference the enrollments gave or received; returns how many."""
        ...


class MatchingRunRepository(Protocol):
    async def get(self, org_id: UUID, run_id: UUID, *, for_update: bool = False) -> MatchingRun | None: ...
    async def get_any(self, run_id: UUID, *, for_update: bool = False) -> MatchingRun | None:
        """By id alone: for the background worker, which holds no caller."""
        ...

    async def add(self, run: MatchingRun) -> None: ...
    async def save(self, run: MatchingRun) -> None: ...
    async def page(self, org_id: UUID, program_id: UUID, request: PageRequest) -> Page[MatchingRun]: ...
    async def involving(self, org_id: UUID, person_id: UUID) -> list[MatchingRun]:
        """The runs with a proposal naming the person, locked for update."""
        ...


class JobQueue(Protocol):
    """Background work, run by the worker processes (``tandem worker``), never on the request's loop."""

    async def run_matching(self, run_id: UUID) -> None:
        """Queue the matching run; any worker picks it up."""
        ...


class PartnerRepository(Protocol):
    """Partner networks (not tenant data: a partner serves many organizations) and their grants."""

    async def get(self, partner_id: UUID, *, lock: Literal["share", "update"] | None = None) -> Partner | None:
        """``share`` while a pool sync runs, ``update`` while a grant is made: a grant waits for
        running syncs and later syncs wait for the grant, so no mentor misses its Person there."""
        ...

    async def get_by_client_id(self, client_id: str) -> Partner | None: ...
    async def add(self, partner: Partner) -> None: ...
    async def save(self, partner: Partner) -> None: ...
    async def page(self, request: PageRequest, *, granted_by_org: UUID | None = None) -> Page[Partner]: ...
    async def add_grant(self, grant: PartnerGrant) -> bool:
        """Store the grant unless the organization already granted the partner; True when new."""
        ...

    async def get_grant(self, org_id: UUID, partner_id: UUID) -> PartnerGrant | None: ...
    async def remove_grant(self, org_id: UUID, partner_id: UUID) -> bool: ...
    async def granting_orgs(self, partner_id: UUID) -> list[UUID]: ...


class PartnerMentorRepository(Protocol):
    """A partner's mentor pool, and the Persons its mentors become in granting organizations."""

    async def sync(
        self, partner_id: UUID, mentors: Sequence[PartnerMentor]
    ) -> dict[str, tuple[SyncStatus, PartnerMentor | None]]:
        """Insert or update by (partner_id, external_id), the stored rows locked until the commit;
        a mentor equal to the stored one is left alone (``unchanged``).

        Per external id: the status, and for an updated mentor the mentor as it was stored.
        Written mentors get their stored id, version and created_at. External ids are unique in
        ``mentors``.
        """
        ...

    async def pool_mentor_of(self, person_id: UUID) -> PoolMentorRef | None:
        """The pool mentor a Person is, while the Person's organization grants the partner."""
        ...

    async def get(self, partner_id: UUID, external_id: str, *, for_update: bool = False) -> PartnerMentor | None: ...
    async def save(self, mentor: PartnerMentor) -> None: ...
    async def page(
        self, partner_id: UUID, request: PageRequest, *, updated_since: datetime | None = None
    ) -> Page[PartnerMentor]:
        """Ordered by (updated_at, id): a mentor changed while a client pages shows up again later."""
        ...

    async def active(self, partner_id: UUID) -> list[PartnerMentor]: ...
    async def placements(self, partner_id: UUID, external_ids: Sequence[str]) -> dict[str, list[Placement]]:
        """Per external id, the mentor's Persons in the organizations that currently grant the partner."""
        ...

    async def email_owners(
        self, org_ids: Sequence[UUID], emails: Sequence[str]
    ) -> dict[tuple[UUID, str], tuple[UUID | None, str | None]]:
        """(org_id, email) → (partner_id, external_id) of the Person holding that email there."""
        ...

    async def project(self, people: Sequence[Person]) -> None:
        """Insert or update partner Persons by (org_id, partner_id, external_id)."""
        ...


class SsoConfigRepository(Protocol):
    async def get(self, org_id: UUID) -> SsoConfig | None: ...
    async def save(self, config: SsoConfig) -> None: ...


class UserRepository(Protocol):
    async def get(self, user_id: UUID, *, for_update: bool = False) -> User | None: ...
    async def find(self, org_id: UUID | None, email: str) -> User | None: ...
    async def find_by_subject(self, org_id: UUID, subject: str) -> User | None: ...
    async def bound_to(self, org_id: UUID, person_id: UUID, *, lock: bool) -> list[User]:
        """The organization's users bound to the person (``lock``: for update)."""
        ...

    async def add(self, user: User) -> None: ...
    async def save(self, user: User) -> None: ...
    async def provisioned(
        self, org_id: UUID, criteria: Criteria | None, *, offset: int, limit: int
    ) -> tuple[int, list[User]]:
        """The organization's accounts its identity provider provisions (SCIM), matching
        ``criteria``, oldest first: how many match, and the page from ``offset``."""
        ...


class SignInRepository(Protocol):
    """Login attempts, one-time codes, sessions and refresh tokens; ``take_*`` locks the row."""

    async def add_login_attempt(self, attempt: LoginAttempt) -> None: ...
    async def take_login_attempt(self, state_digest: str) -> LoginAttempt | None: ...
    async def consume_login_attempt(self, state_digest: str, now: datetime) -> None: ...
    async def add_login_code(self, code: LoginCode) -> None: ...
    async def take_login_code(self, code_digest: str) -> LoginCode | None: ...
    async def use_login_code(self, code_digest: str, now: datetime) -> None: ...
    async def void_login_codes_of(self, user_id: UUID, now: datetime) -> None: ...
    async def add(self, signin: SignIn) -> None: ...
    async def get(self, signin_id: UUID, *, for_update: bool = False) -> SignIn | None: ...
    async def save(self, signin: SignIn) -> None: ...
    async def revoke_signins_of(self, user_id: UUID, reason: str, now: datetime) -> int: ...
    async def add_refresh_token(self, token: RefreshToken) -> None: ...
    async def take_refresh_token(self, token_digest: str) -> RefreshToken | None: ...
    async def use_refresh_token(self, token_digest: str, now: datetime) -> None: ...
    async def purge_expired(self, now: datetime) -> int: ...


class EventLog(Protocol):
    """The stored domain events (the outbox)."""

    async def keep_only(self, org_id: UUID, subject_ids: Sequence[UUID], keys: Collection[str]) -> int:
        """Reduce the data of the events about ``subject_ids`` to ``keys``; returns the events changed."""
        ...

    async def keep_only_of_partner(self, partner_id: UUID, subject_ids: Sequence[UUID], keys: Collection[str]) -> int:
        """``keep_only`` for the events addressed to a partner network."""
        ...

    async def feed(
        self, audience: Audience, after: FeedPosition | None, *, types: Collection[str] = (), limit: int
    ) -> list[StoredEvent]:
        """The audience's events after ``after`` in commit order, never one that could still be
        preceded by a transaction not yet committed (no gaps for a reader that moves on)."""
        ...


class WebhookEndpointRepository(Protocol):
    """Endpoints by owner: another owner's endpoint is not found. Secrets are kept so that they
    can sign (sealed at rest)."""

    async def get(self, owner: Audience, endpoint_id: UUID, *, for_update: bool = False) -> WebhookEndpoint | None: ...
    async def get_many(self, endpoint_ids: Sequence[UUID]) -> dict[UUID, WebhookEndpoint]:
        """By id alone, for the relay, which serves every owner."""
        ...

    async def add(self, endpoint: WebhookEndpoint) -> None: ...
    async def save(self, endpoint: WebhookEndpoint) -> None: ...
    async def delete(self, owner: Audience, endpoint_id: UUID) -> bool: ...
    async def page(self, owner: Audience, request: PageRequest) -> Page[WebhookEndpoint]: ...
    async def enabled(self) -> list[WebhookEndpoint]: ...


class WebhookDeliveries(Protocol):
    """Deliveries, and the relay's place in the event feed (one relay fans out at a time)."""

    async def add(self, deliveries: Sequence[Delivery]) -> None:
        """Store new deliveries; one per endpoint and event, whatever retries of the fan-out add."""
        ...

    async def get(self, delivery_id: UUID, *, for_update: bool = False) -> Delivery | None: ...
    async def save(self, delivery: Delivery) -> None: ...
    async def page(self, endpoint_id: UUID, request: PageRequest) -> Page[Delivery]: ...
    async def take_events(self, limit: int) -> list[StoredEvent] | None:
        """The next events the relay has not fanned out, in feed order, holding the relay's place
        until commit; None while another relay holds it."""
        ...

    async def move_past(self, position: FeedPosition) -> None: ...
    async def claim_due(self, now: datetime, lease_until: datetime, limit: int) -> list[Delivery]:
        """Pending deliveries due by ``now`` to enabled endpoints, oldest first, each held until
        ``lease_until`` (a worker that dies leaves them to be tried again then)."""
        ...

    async def events(self, event_ids: Sequence[UUID]) -> dict[UUID, StoredEvent]: ...
    async def mark_published(self, event_ids: Sequence[UUID], now: datetime) -> None:
        """Set published_at on those of the events that every endpoint took."""
        ...

    async def prune(self, before: datetime) -> tuple[int, int]:
        """Drop events and finished deliveries older than ``before``; the counts dropped."""
        ...


class WebhookUrlCheck(Protocol):
    async def check_url(self, url: str) -> None:
        """``RuleViolation`` (webhook_url_refused) unless deliveries may go to ``url`` (https and
        public addresses outside development and tests)."""
        ...


class WebhookSender(Protocol):
    """POSTs signed events to receivers, through the SSRF guard (checked again at every delivery)."""

    async def send(self, url: str, *, message_id: str, body: str, secrets: Sequence[str], now: datetime) -> Outcome:
        """One signed POST; never raises for the receiver's failures, the outcome tells them."""
        ...


class IdempotencyRecords(Protocol):
    """Stored responses of Idempotency-Key requests, scoped by the calling user's id."""

    async def forget(self, callers: Sequence[UUID], mentioning: Sequence[UUID]) -> int:
        """Drop the records of ``callers`` and those whose response names any of ``mentioning``."""
        ...


class IdentityProviders(Protocol):
    """Talks OpenID Connect to organizations' providers (discovery, code exchange, id tokens).

    Failures are domain errors: ``Unauthenticated`` for a login the provider or its tokens do
    not support, ``ProviderUnavailable`` when the provider cannot be reached.
    """

    async def authorization_url(
        self,
        config: SsoConfig,
        *,
        redirect_uri: str,
        state: str,
        nonce: str,
        code_verifier: str,
        hints: LoginHints = NO_HINTS,
    ) -> str: ...

    async def complete(
        self, config: SsoConfig, *, code: str, iss: str | None, redirect_uri: str, code_verifier: str, nonce: str
    ) -> ProviderIdentity: ...

    async def verify_logout_token(self, config: SsoConfig, logout_token: str) -> ProviderLogout:
        """``BadRequest`` (code ``invalid_logout_token``) unless the provider really sent it."""
        ...


class ProgramReads(Protocol):
    """Aggregate reads over one program for insights and reports: a fixed number of statements
    whatever the program's size."""

    async def figures(self, org_id: UUID, program_id: UUID, now: datetime) -> ProgramFigures: ...
    async def report_rows(self, org_id: UUID, program_id: UUID) -> list[TandemReportRow]:
        """One row per tandem of the program, oldest first, with its stored health."""
        ...


class ScimTokens(Protocol):
    """An organization's SCIM bearer tokens; a SCIM request finds its token by the digest alone."""

    async def add(self, token: ScimToken) -> None: ...
    async def of_org(self, org_id: UUID) -> list[ScimToken]: ...
    async def by_digest(self, token_digest: str) -> ScimToken | None: ...
    async def remove(self, org_id: UUID, token_id: UUID) -> bool:
        """True when the token existed (and is gone now)."""
        ...


class ScimGroups(Protocol):
    """The identity provider's groups of an organization (SCIM)."""

    async def get(self, org_id: UUID, group_id: UUID, *, for_update: bool = False) -> ProvisionedGroup | None: ...
    async def add(self, group: ProvisionedGroup) -> None: ...
    async def save(self, group: ProvisionedGroup) -> None: ...
    async def remove(self, org_id: UUID, group_id: UUID) -> None: ...
    async def of_member(self, org_id: UUID, user_id: UUID) -> list[ProvisionedGroup]: ...
    async def matching(
        self, org_id: UUID, criteria: Criteria | None, *, offset: int, limit: int
    ) -> tuple[int, list[ProvisionedGroup]]:
        """Groups matching ``criteria`` (displayName, externalId, or a member's id as ``members``)."""
        ...


class CalendarLinks(Protocol):
    """A person's secret feed links; a feed request finds its link by the token's digest alone."""

    async def add(self, link: CalendarLink) -> None: ...
    async def of_person(self, org_id: UUID, person_id: UUID) -> list[CalendarLink]: ...
    async def by_digest(self, token_digest: str) -> CalendarLink | None: ...
    async def remove(self, org_id: UUID, person_id: UUID, link_id: UUID) -> bool:
        """True when the link existed (and is gone now)."""
        ...


class AuditTrail(Protocol):
    """Append-only: entries are added and read; only the retention prune removes them."""

    async def add(self, entries: Sequence[AuditEntry]) -> None: ...
    async def page(self, org_id: UUID, where: AuditFilter, request: PageRequest) -> Page[AuditEntry]: ...
    async def prune(self, before: datetime) -> int: ...


class UnitOfWork(Protocol):
    """One transaction. Leaving the block without ``commit()`` rolls everything back.

    ``commit()`` also appends an audit entry per domain event it stores, with the actor the unit
    of work acts for: ``act_for(caller)`` (the API does it once it knows the request's caller);
    otherwise the system's or an operator's, as the unit of work was built.
    """

    organizations: OrganizationRepository
    people: PersonRepository
    programs: ProgramRepository
    enrollments: EnrollmentRepository
    tandems: TandemRepository
    goals: GoalRepository
    sessions: SessionRepository
    preferences: PreferenceRepository
    matching_runs: MatchingRunRepository
    users: UserRepository
    sso_configs: SsoConfigRepository
    signins: SignInRepository
    events: EventLog
    idempotency_records: IdempotencyRecords
    partners: PartnerRepository
    partner_mentors: PartnerMentorRepository
    webhook_endpoints: WebhookEndpointRepository
    webhook_deliveries: WebhookDeliveries
    program_reads: ProgramReads
    calendar_links: CalendarLinks
    scim_tokens: ScimTokens
    scim_groups: ScimGroups
    audit: AuditTrail

    def act_for(self, caller: Caller) -> None: ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...

    async def commit(self) -> None: ...
