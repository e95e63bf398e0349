"""Programs and their rules."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Annotated, Self
from uuid import UUID

from pydantic import BaseModel, Field, StringConstraints

from app.api.schemas.base import Body, PageOut, Resource
from app.domain.program import Program, ProgramRules, ProgramStatus
from app.services.programs import ProgramRevision, RulesRevision

Title = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Description = Annotated[str, StringConstraints(max_length=10_000)]


class RulesModel(BaseModel):
    """The program's rules; every field has the default that practice recommends."""

    mentor_must_be_digital_native: bool = True
    mentee_must_be_digital_immigrant: bool = True
    min_generation_gap: int = Field(default=1, ge=0, le=5, description="generations between the pair")
    forbid_same_department: bool = True
    default_mentor_capacity: int = Field(default=1, ge=1, le=20)
    proposal_expiry_days: int = Field(default=14, ge=1, le=90)
    needs_check_in_after_days: int = Field(default=21, ge=1, le=365)
    at_risk_after_days: int = Field(default=45, ge=1, le=365)
    low_rating: int = Field(default=2, ge=1, le=5)
    missed_sessions_at_risk: int = Field(default=2, ge=1, le=50)
    goals_stalled_after_sessions: int = Field(
        default=3, ge=1, le=50, description="held sessions after which goals none of which moved call for a check-in"
    )
    self_matching: bool = Field(default=False, description="a mutual like proposes the tandem at once")


class RulesPatch(BaseModel):
    """Change only the rules named; the others stay."""

    model_config = {"extra": "forbid"}
    mentor_must_be_digital_native: bool | None = None
    mentee_must_be_digital_immigrant: bool | None = None
    min_generation_gap: int | None = Field(default=None, ge=0, le=5)
    forbid_same_department: bool | None = None
    default_mentor_capacity: int | None = Field(default=None, ge=1, le=20)
    proposal_expiry_days: int | None = Field(default=None, ge=1, le=90)
    needs_check_in_after_days: int | None = Field(default=None, ge=1, le=365)
    at_risk_after_days: int | None = Field(default=None, ge=1, le=365)
    low_rating: int | None = Field(default=None, ge=1, le=5)
    missed_sessions_at_risk: int | None = Field(default=None, ge=1, le=50)
    goals_stalled_after_sessions: int | None = Field(default=None, ge=1, le=50)
    self_matching: bool | None = None


class ProgramIn(Body):
    title: Title
    description: Description = ""
    starts_on: date
    ends_on: date = Field(description="6 to 12 months after starts_on (bounds configurable)")
    rules: RulesModel = Field(default_factory=RulesModel)

    def domain_rules(self) -> ProgramRules:
        return ProgramRules(**self.rules.model_dump())


class ProgramPatch(Body):
    title: Title | None = None
    description: Description | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    rules: RulesPatch | None = None

    def command(self) -> ProgramRevision:
        """null keeps a value, as leaving it out does: no field of a program can be cleared."""
        rules = RulesRevision(**self.rules.model_dump(exclude_none=True)) if self.rules else RulesRevision()
        return ProgramRevision(**self.model_dump(exclude_none=True, exclude={"rules"}), rules=rules)


class ProgramOut(Resource):
    org_id: UUID
    title: str
    description: str
    starts_on: date
    ends_on: date
    status: ProgramStatus
    rules: RulesModel

    @classmethod
    def of(cls, p: Program) -> Self:
        return cls(
            id=p.id,
            org_id=p.org_id,
            title=p.title,
            description=p.description,
            starts_on=p.starts_on,
            ends_on=p.ends_on,
            status=p.status,
            rules=RulesModel(**asdict(p.rules)),
            created_at=p.created_at,
            updated_at=p.updated_at,
        )


class ProgramPage(PageOut[ProgramOut]):
    pass
