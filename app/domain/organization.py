"""Organization: a tenant. Every piece of tenant data belongs to exactly one."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID, uuid4

from app.domain.clock import utcnow
from app.domain.errors import RuleViolation

SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


def validate_slug(slug: str) -> str:
    if not SLUG_PATTERN.match(slug):
        raise RuleViolation(
            "slug must be 1-63 lowercase letters, digits or inner hyphens",
            code="invalid_slug",
            field="slug",
        )
    return slug


def validate_name(name: str, field_name: str = "name") -> str:
    name = name.strip()
    if not name:
        raise RuleViolation(f"{field_name} must not be blank", code="blank_value", field=field_name)
    return name


@dataclass(slots=True)
class Organization:
    name: str
    slug: str
    id: UUID = field(default_factory=uuid4)
    version: int = 1
    created_at: datetime = field(default_factory=utcnow)
    updated_at: datetime = field(default_factory=utcnow)

    def __post_init__(self) -> None:
        self.name = validate_name(self.name)
        validate_slug(self.slug)

    def rename(self, name: str) -> None:
        self.name = validate_name(name)
        self.updated_at = utcnow()
