"""Explicit mapping between domain objects and table rows (plain dicts of column values)."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import time
from typing import Any
from uuid import UUID

from app.domain.access import Role
from app.domain.availability import WeeklyWindow
from app.domain.enrollment import Enrollment, EnrollmentStatus, ParticipantRole
from app.domain.goal import Goal, GoalStatus
from app.domain.health import Health, HealthAssessment, HealthReason, ReasonCode
from app.domain.matching.run import MatchingRun, PinnedPair, RunProposal, RunStatus, RunUnmatched
from app.domain.matching_policy import Objective, Weights
from app.domain.organization import Organization
from app.domain.partner import Partner, PartnerGrant, PartnerMentor, parse_scopes
from app.domain.person import Person
from app.domain.placement import PoolMentorRef
from app.domain.preference import Choice, Preference
from app.domain.program import Program, ProgramRules, ProgramStatus
from app.domain.provisioning import ProvisionedAccount, ProvisionedEmail
from app.domain.session import Feedback, Session, SessionStatus
from app.domain.sso import SsoConfig
from app.domain.tandem import Side, Tandem, TandemStatus, Transition
from app.domain.user import User
from app.domain.values import MeetingFormat, Topic

_BASE = ("id", "version", "created_at", "updated_at")


def _base(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row[k] for k in _BASE}


def _base_of(obj: Any) -> dict[str, Any]:
    return {k: getattr(obj, k) for k in _BASE}


def organization_to_domain(row: dict[str, Any]) -> Organization:
    return Organization(name=row["name"], slug=row["slug"], **_base(row))


def organization_to_row(org: Organization) -> dict[str, Any]:
    return {**_base_of(org), "name": org.name, "slug": org.slug}


def user_to_domain(row: dict[str, Any]) -> User:
    return User(
        email=row["email"],
        role=Role(row["role"]),
        org_id=row["org_id"],
        person_id=row["person_id"],
        sso_subject=row["sso_subject"],
        sso_issuer=row["sso_issuer"],
        display_name=row["display_name"],
        last_login_at=row["last_login_at"],
        provisioned=provisioned_to_domain(row["scim_user_name"], row["scim_external_id"], row["scim"]),
        deactivated_at=row["deactivated_at"],
        **_base(row),
    )


def user_to_row(user: User) -> dict[str, Any]:
    return {
        **_base_of(user),
        "email": user.email,
        "role": user.role.value,
        "org_id": user.org_id,
        "person_id": user.person_id,
        "sso_subject": user.sso_subject,
        "sso_issuer": user.sso_issuer,
        "display_name": user.display_name,
        "last_login_at": user.last_login_at,
        **provisioned_to_row(user.provisioned),
        "deactivated_at": user.deactivated_at,
    }


def provisioned_to_domain(
    user_name: str | None, external_id: str | None, stored: dict[str, Any] | None
) -> ProvisionedAccount | None:
    """The provider's record: userName and externalId in columns (filters use them), the rest as JSON."""
    if user_name is None:
        return None
    record = stored or {}
    return ProvisionedAccount(
        user_name=user_name,
        external_id=external_id,
        emails=tuple(ProvisionedEmail(**e) for e in record.get("emails", ())),
        **{k: record.get(k) for k in _PROVISIONED_PLAIN},
    )


def provisioned_to_row(account: ProvisionedAccount | None) -> dict[str, Any]:
    if account is None:
        return {"scim_user_name": None, "scim_external_id": None, "scim": None}
    record: dict[str, Any] = {k: getattr(account, k) for k in _PROVISIONED_PLAIN}
    record["emails"] = [asdict(e) for e in account.emails]
    return {"scim_user_name": account.user_name, "scim_external_id": account.external_id, "scim": record}


_PROVISIONED_PLAIN = (
    "given_name",
    "family_name",
    "display_name",
    "department",
    "birth_year",
    "languages",
    "city",
    "timezone",
    "active",
)


_PERSON_PLAIN = (
    "org_id",
    "display_name",
    "email",
    "birth_year",
    "bio",
    "department",
    "seniority",
    "city",
    "timezone",
    "source",
    "partner_id",
    "external_id",
    "erased_at",
    "deactivated_at",
)


def person_to_domain(row: dict[str, Any]) -> Person:
    return Person(
        **{k: row[k] for k in _PERSON_PLAIN},
        interests=tuple(row["interests"]),
        languages=tuple(row["languages"]),
        preferred_formats=tuple(MeetingFormat(f) for f in row["preferred_formats"]),
        availability=tuple(
            WeeklyWindow(w["weekday"], time.fromisoformat(w["start"]), time.fromisoformat(w["end"]))
            for w in row["availability"]
        ),
        **_base(row),
    )


def person_to_row(person: Person) -> dict[str, Any]:
    return {
        **_base_of(person),
        **{k: getattr(person, k) for k in _PERSON_PLAIN},
        "interests": list(person.interests),
        "languages": list(person.languages),
        "preferred_formats": [f.value for f in person.preferred_formats],
        "availability": [
            {"weekday": w.weekday, "start": w.start.isoformat("minutes"), "end": w.end.isoformat("minutes")}
            for w in person.availability
        ],
    }


def program_to_domain(row: dict[str, Any]) -> Program:
    return Program(
        org_id=row["org_id"],
        title=row["title"],
        description=row["description"],
        starts_on=row["starts_on"],
        ends_on=row["ends_on"],
        status=ProgramStatus(row["status"]),
        rules=rules_to_domain(row["rules"]),
        **_policy_of(row["matching_policy"] or {}),
        **_base(row),
    )


def _policy_of(stored: dict[str, Any]) -> dict[str, Any]:
    """Weights and objective from the JSON column; a field left out (or ``{}``) takes the default."""
    out: dict[str, Any] = {}
    if "weights" in stored:
        out["weights"] = Weights(**stored["weights"])
    if "objective" in stored:
        out["objective"] = Objective(stored["objective"])
    return out


def rules_to_domain(stored: dict[str, Any] | str) -> ProgramRules:
    # a text() statement hands JSONB over as text; a table column already decoded
    return ProgramRules(**(json.loads(stored) if isinstance(stored, str) else stored))


def program_to_row(program: Program) -> dict[str, Any]:
    return {
        **_base_of(program),
        "org_id": program.org_id,
        "title": program.title,
        "description": program.description,
        "starts_on": program.starts_on,
        "ends_on": program.ends_on,
        "status": program.status.value,
        "rules": asdict(program.rules),
        "matching_policy": {"weights": asdict(program.weights), "objective": program.objective.value},
    }


def _topics(values: list[dict[str, Any]]) -> tuple[Topic, ...]:
    return tuple(Topic(name=v["name"], priority=v["priority"]) for v in values)


def enrollment_to_domain(row: dict[str, Any]) -> Enrollment:
    return Enrollment(
        org_id=row["org_id"],
        program_id=row["program_id"],
        person_id=row["person_id"],
        role=ParticipantRole(row["role"]),
        needs=_topics(row["needs"]),
        offers=_topics(row["offers"]),
        key_questions=tuple(row["key_questions"]),
        capacity=row["capacity"],
        status=EnrollmentStatus(row["status"]),
        pool_mentor=pool_mentor_ref(row.get("pool_mentor")),
        **_base(row),
    )


def enrollment_to_row(e: Enrollment) -> dict[str, Any]:
    return {
        **_base_of(e),
        "org_id": e.org_id,
        "program_id": e.program_id,
        "person_id": e.person_id,
        "role": e.role.value,
        "needs": [asdict(t) for t in e.needs],
        "offers": [asdict(t) for t in e.offers],
        "key_questions": list(e.key_questions),
        "capacity": e.capacity,
        "status": e.status.value,
    }


_TANDEM_PLAIN = (
    "org_id",
    "program_id",
    "mentor_enrollment_id",
    "mentee_enrollment_id",
    "mentor_person_id",
    "mentee_person_id",
    "expires_at",
    "mentor_accepted_at",
    "mentee_accepted_at",
    "fit_mentor",
    "fit_mentee",
    "rematch_flagged",
    "end_reason",
    "never_pair_again",
)


def tandem_to_domain(row: dict[str, Any], history: list[Transition] | None = None) -> Tandem:
    return Tandem(
        **{k: row[k] for k in _TANDEM_PLAIN},
        status=TandemStatus(row["status"]),
        formats=tuple(MeetingFormat(f) for f in row["formats"]),
        history=history or [],
        mentor_pool=pool_mentor_ref(row.get("mentor_pool")),
        health=health_to_domain(row.get("health"), row.get("health_reasons")),
        health_changed_at=row.get("health_changed_at"),
        **_base(row),
    )


def health_to_domain(health: str | None, reasons: list[dict[str, str]] | str | None) -> HealthAssessment | None:
    if health is None or not reasons:
        return None
    listed = json.loads(reasons) if isinstance(reasons, str) else reasons
    return HealthAssessment(Health(health), tuple(HealthReason(ReasonCode(r["code"]), r["message"]) for r in listed))


def health_reasons_to_row(assessment: HealthAssessment | None) -> list[dict[str, str]] | None:
    if assessment is None:
        return None
    return [{"code": r.code.value, "message": r.message} for r in assessment.reasons]


def tandem_to_row(t: Tandem) -> dict[str, Any]:
    return {
        **_base_of(t),
        **{k: getattr(t, k) for k in _TANDEM_PLAIN},
        "status": t.status.value,
        "formats": [f.value for f in t.formats],
    }


def transition_to_domain(row: dict[str, Any]) -> Transition:
    return Transition(
        from_status=TandemStatus(row["from_status"]) if row["from_status"] else None,
        to_status=TandemStatus(row["to_status"]),
        actor_id=row["actor_id"],
        at=row["at"],
        reason=row["reason"],
        id=row["id"],
    )


def transition_to_row(tandem: Tandem, tr: Transition) -> dict[str, Any]:
    return {
        "id": tr.id,
        "org_id": tandem.org_id,
        "tandem_id": tandem.id,
        "from_status": tr.from_status.value if tr.from_status else None,
        "to_status": tr.to_status.value,
        "actor_id": tr.actor_id,
        "reason": tr.reason,
        "at": tr.at,
    }


def goal_to_domain(row: dict[str, Any]) -> Goal:
    return Goal(
        org_id=row["org_id"],
        tandem_id=row["tandem_id"],
        title=row["title"],
        description=row["description"],
        status=GoalStatus(row["status"]),
        **_base(row),
    )


def goal_to_row(g: Goal) -> dict[str, Any]:
    return {
        **_base_of(g),
        "org_id": g.org_id,
        "tandem_id": g.tandem_id,
        "title": g.title,
        "description": g.description,
        "status": g.status.value,
    }


_SESSION_PLAIN = ("org_id", "tandem_id", "starts_at", "duration_minutes", "location", "video_link", "agenda", "notes")


def session_to_domain(row: dict[str, Any], feedback: list[Feedback] | None = None) -> Session:
    return Session(
        **{k: row[k] for k in _SESSION_PLAIN},
        format=MeetingFormat(row["format"]),
        goals_covered=tuple(UUID(g) for g in row["goals_covered"]),
        status=SessionStatus(row["status"]),
        feedback=feedback or [],
        **_base(row),
    )


def session_to_row(s: Session) -> dict[str, Any]:
    return {
        **_base_of(s),
        **{k: getattr(s, k) for k in _SESSION_PLAIN},
        "format": s.format.value,
        "goals_covered": [str(g) for g in s.goals_covered],
        "status": s.status.value,
    }


def feedback_to_domain(row: dict[str, Any]) -> Feedback:
    return Feedback(
        author_person_id=row["author_person_id"],
        side=Side(row["side"]),
        rating=row["rating"],
        learned=row["learned"],
        goals_covered=tuple(UUID(g) for g in row["goals_covered"]),
        comment=row["comment"],
        id=row["id"],
        created_at=row["created_at"],
    )


def feedback_to_row(session: Session, f: Feedback) -> dict[str, Any]:
    return {
        "id": f.id,
        "org_id": session.org_id,
        "session_id": session.id,
        "author_person_id": f.author_person_id,
        "side": f.side.value,
        "rating": f.rating,
        "learned": f.learned,
        "goals_covered": [str(g) for g in f.goals_covered],
        "comment": f.comment,
        "created_at": f.created_at,
    }


_PREFERENCE_PLAIN = (
    "org_id",
    "program_id",
    "author_enrollment_id",
    "candidate_enrollment_id",
    "created_at",
    "updated_at",
)


def preference_to_domain(row: dict[str, Any]) -> Preference:
    return Preference(**{k: row[k] for k in _PREFERENCE_PLAIN}, choice=Choice(row["choice"]))


def preference_to_row(p: Preference) -> dict[str, Any]:
    return {**{k: getattr(p, k) for k in _PREFERENCE_PLAIN}, "choice": p.choice.value}


def sso_to_domain(row: dict[str, Any], client_secret: str) -> SsoConfig:
    return SsoConfig(
        org_id=row["org_id"],
        issuer=row["issuer"],
        client_id=row["client_id"],
        client_secret=client_secret,
        allowed_email_domains=tuple(row["allowed_email_domains"]),
        role_claim=row["role_claim"],
        role_mapping={k: Role(v) for k, v in row["role_mapping"].items()},
        default_role=Role(row["default_role"]),
        frontend_url=row["frontend_url"],
        version=row["version"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def sso_to_row(sso: SsoConfig, sealed_secret: str) -> dict[str, Any]:
    return {
        "org_id": sso.org_id,
        "issuer": sso.issuer,
        "client_id": sso.client_id,
        "client_secret_encrypted": sealed_secret,
        "allowed_email_domains": list(sso.allowed_email_domains),
        "role_claim": sso.role_claim,
        "role_mapping": {k: v.value for k, v in sso.role_mapping.items()},
        "default_role": sso.default_role.value,
        "frontend_url": sso.frontend_url,
        "version": sso.version,
        "created_at": sso.created_at,
        "updated_at": sso.updated_at,
    }


def matching_run_to_domain(row: dict[str, Any]) -> MatchingRun:
    return MatchingRun(
        org_id=row["org_id"],
        program_id=row["program_id"],
        pinned=tuple(
            PinnedPair(UUID(p["mentor_enrollment_id"]), UUID(p["mentee_enrollment_id"])) for p in row["pinned"]
        ),
        status=RunStatus(row["status"]),
        progress=row["progress"],
        proposals=tuple(
            RunProposal(
                mentor_enrollment_id=UUID(p["mentor_enrollment_id"]),
                mentee_enrollment_id=UUID(p["mentee_enrollment_id"]),
                mentor_person_id=UUID(p["mentor_person_id"]),
                mentee_person_id=UUID(p["mentee_person_id"]),
                score=p["score"],
                components=dict(p["components"]),
                explanation=p["explanation"],
                pinned=p["pinned"],
            )
            for p in row["proposals"]
        ),
        unmatched=tuple(
            RunUnmatched(UUID(u["enrollment_id"]), UUID(u["person_id"]), u["role"], u["reason"])
            for u in row["unmatched"]
        ),
        error=row["error"],
        accepted_proposal_ids=tuple(row["accepted_proposal_ids"]),
        **_base(row),
    )


def _json(value: Any) -> Any:
    """A dataclass as JSON-ready values: UUIDs as strings."""
    return {k: str(v) if isinstance(v, UUID) else v for k, v in asdict(value).items()}


def matching_run_to_row(run: MatchingRun) -> dict[str, Any]:
    return {
        **_base_of(run),
        "org_id": run.org_id,
        "program_id": run.program_id,
        "status": run.status.value,
        "progress": run.progress,
        "pinned": [_json(p) for p in run.pinned],
        "proposals": [_json(p) for p in run.proposals],
        "unmatched": [_json(u) for u in run.unmatched],
        "error": run.error,
        "accepted_proposal_ids": list(run.accepted_proposal_ids),
    }


def partner_to_domain(row: dict[str, Any]) -> Partner:
    return Partner(
        name=row["name"],
        client_id=row["client_id"],
        client_secret_digest=row["client_secret_digest"],
        allowed_scopes=parse_scopes(row["allowed_scopes"]),
        **_base(row),
    )


def partner_to_row(partner: Partner) -> dict[str, Any]:
    return {
        **_base_of(partner),
        "name": partner.name,
        "client_id": partner.client_id,
        "client_secret_digest": partner.client_secret_digest,
        "allowed_scopes": sorted(s.value for s in partner.allowed_scopes),
    }


def partner_grant_to_domain(row: dict[str, Any]) -> PartnerGrant:
    return PartnerGrant(
        org_id=row["org_id"], partner_id=row["partner_id"], granted_by=row["granted_by"], created_at=row["created_at"]
    )


def partner_grant_to_row(grant: PartnerGrant) -> dict[str, Any]:
    return asdict(grant)


_MENTOR_PLAIN = ("partner_id", "external_id", "display_name", "birth_year", "email", "bio", "city", "timezone")


def pool_mentor_ref(found: dict[str, Any] | None) -> PoolMentorRef | None:
    """Read by ``pool_mentor_column``; absent where a query did not ask (nobody's events then)."""
    if found is None:
        return None
    return PoolMentorRef(UUID(found["partner_id"]), UUID(found["mentor_id"]), found["external_id"])


def partner_mentor_to_domain(row: dict[str, Any]) -> PartnerMentor:
    return PartnerMentor(
        **{k: row[k] for k in _MENTOR_PLAIN},
        interests=tuple(row["interests"]),
        languages=tuple(row["languages"]),
        preferred_formats=tuple(MeetingFormat(f) for f in row["preferred_formats"]),
        withdrawn_at=row["withdrawn_at"],
        **_base(row),
    )


def partner_mentor_to_row(mentor: PartnerMentor) -> dict[str, Any]:
    return {
        **_base_of(mentor),
        **{k: getattr(mentor, k) for k in _MENTOR_PLAIN},
        "interests": list(mentor.interests),
        "languages": list(mentor.languages),
        "preferred_formats": [f.value for f in mentor.preferred_formats],
        "withdrawn_at": mentor.withdrawn_at,
    }
