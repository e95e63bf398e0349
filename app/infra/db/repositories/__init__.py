"""The repositories of every aggregate: the persistence ports of app/services/ports.py."""

from app.infra.db.repositories.matching_runs import MatchingRunRepository
from app.infra.db.repositories.partners import PartnerMentorRepository, PartnerRepository
from app.infra.db.repositories.programs import EnrollmentRepository, PreferenceRepository, ProgramRepository
from app.infra.db.repositories.records import EventLogRepository, IdempotencyRecordRepository
from app.infra.db.repositories.signin import SignInRepository
from app.infra.db.repositories.sso import SsoConfigRepository
from app.infra.db.repositories.tandems import GoalRepository, SessionRepository, TandemRepository
from app.infra.db.repositories.tenants import OrganizationRepository, PersonRepository, UserRepository
from app.infra.db.repositories.webhooks import WebhookDeliveryRepository, WebhookEndpointRepository

__all__ = [
    "EnrollmentRepository",
    "EventLogRepository",
    "GoalRepository",
    "IdempotencyRecordRepository",
    "MatchingRunRepository",
    "OrganizationRepository",
    "PartnerMentorRepository",
    "PartnerRepository",
    "PersonRepository",
    "PreferenceRepository",
    "ProgramRepository",
    "SessionRepository",
    "SignInRepository",
    "SsoConfigRepository",
    "TandemRepository",
    "UserRepository",
    "WebhookDeliveryRepository",
    "WebhookEndpointRepository",
]
