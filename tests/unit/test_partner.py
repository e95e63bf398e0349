"""Partner networks, their client secrets and scopes, and pool mentors (app/domain/partner.py)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from app.domain.access import Scope
from app.domain.errors import BadRequest, RuleViolation
from app.domain.partner import (
    CLIENT_ID_PREFIX,
    PARTNER_SOURCE,
    MentorStage,
    Partner,
    PartnerMentor,
    Placement,
    digest_secret,
    secret_matches,
)
from app.domain.values import MeetingFormat
from tests.unit.builders import ORG_ID

PARTNER_ID = uuid.UUID("00000000-0000-0000-0000-0000000000c3")


def a_mentor(**overrides: Any) -> PartnerMentor:
    fields: dict[str, Any] = {
        "partner_id": PARTNER_ID,
        "external_id": "ngt-0001",
        "display_name": "Lea Novak",
        "birth_year": 1999,
        "email": "Lea@NextGen.example",
    }
    fields.update(overrides)
    return PartnerMentor(**fields)


def test_registering_issues_a_prefixed_client_id_and_keeps_only_the_secrets_digest() -> None:
    partner, secret = Partner.register("NextGen Talents")
    assert partner.client_id.startswith(CLIENT_ID_PREFIX) and len(secret) >= 40
    assert partner.client_secret_digest == digest_secret(secret) and secret not in partner.client_secret_digest
    assert partner.verify_secret(secret) and not partner.verify_secret(secret + "x")
    assert partner.allowed_scopes == frozenset(Scope)
    other, other_secret = Partner.register("Other")
    assert (other.client_id, other_secret) != (partner.client_id, secret)


def test_rotating_the_secret_retires_the_old_one() -> None:
    partner, old = Partner.register("NextGen Talents")
    new = partner.rotate_secret()
    assert partner.verify_secret(new) and not partner.verify_secret(old)


def test_an_unknown_client_never_matches_any_secret() -> None:
    assert not secret_matches(None, "anything")
    assert secret_matches(digest_secret("s"), "s")


def test_a_partner_needs_a_name_and_known_scopes() -> None:
    with pytest.raises(RuleViolation):
        Partner.register("  ")
    with pytest.raises(RuleViolation) as caught:
        Partner.register("X", frozenset())
    assert caught.value.code == "scopes_required"
    with pytest.raises(RuleViolation) as caught:
        Partner(name="X", client_id="ptn_1", client_secret_digest="d", allowed_scopes=frozenset({"admin"}))  # type: ignore[arg-type]
    assert caught.value.code == "unknown_scope"


def test_requested_scopes_narrow_to_the_partners_own() -> None:
    partner, _ = Partner.register("NextGen", frozenset({Scope.MENTORS_READ}))
    assert partner.grant_scopes(None) == {Scope.MENTORS_READ}
    assert partner.grant_scopes("  ") == {Scope.MENTORS_READ}
    assert partner.grant_scopes("mentors:read") == {Scope.MENTORS_READ}
    for refused in ("mentors:sync", "mentors:read admin"):
        with pytest.raises(BadRequest) as caught:
            partner.grant_scopes(refused)
        assert caught.value.code == "invalid_scope"
    both, _ = Partner.register("Both")
    assert both.grant_scopes("mentors:sync mentors:read") == frozenset({Scope.MENTORS_SYNC, Scope.MENTORS_READ})


def test_a_pool_mentor_is_normalized_like_a_person() -> None:
    mentor = a_mentor(
        external_id="  ngt-0001 ",
        interests=("Esports", "esports", " "),
        languages=("DE", "en"),
        preferred_formats=("video_call", "video_call"),
    )
    assert mentor.external_id == "ngt-0001" and mentor.email == "lea@nextgen.example"
    assert mentor.interests == ("Esports",) and mentor.languages == ("de", "en")
    assert mentor.preferred_formats == (MeetingFormat.VIDEO_CALL,)


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"birth_year": 1980}, "not_a_digital_native"),
        ({"birth_year": 3000}, "invalid_birth_year"),
        ({"external_id": " "}, "invalid_external_id"),
        ({"external_id": "x" * 201}, "invalid_external_id"),
        ({"display_name": ""}, "blank_value"),
        ({"email": "not-an-email"}, "invalid_email"),
        ({"timezone": "Mars/Base"}, "invalid_timezone"),
    ],
)
def test_a_pool_mentor_breaking_a_rule_is_refused(overrides: dict[str, Any], code: str) -> None:
    with pytest.raises(RuleViolation) as caught:
        a_mentor(**overrides)
    assert caught.value.code == code


def test_the_first_digital_native_year_is_accepted() -> None:
    assert a_mentor(birth_year=1981).generation.value == "millennials"


def test_withdrawing_is_idempotent() -> None:
    mentor = a_mentor()
    assert mentor.withdraw() and mentor.withdrawn
    first = mentor.withdrawn_at
    assert not mentor.withdraw() and mentor.withdrawn_at == first


def test_a_mentor_becomes_a_partner_person_of_an_organization() -> None:
    mentor = a_mentor(city="Berlin", bio="Streams on Twitch")
    person = mentor.as_person(ORG_ID)
    assert (person.org_id, person.source, person.partner_id, person.external_id) == (
        ORG_ID,
        PARTNER_SOURCE,
        PARTNER_ID,
        "ngt-0001",
    )
    assert (person.display_name, person.email, person.city, person.bio) == (
        "Lea Novak",
        "lea@nextgen.example",
        "Berlin",
        "Streams on Twitch",
    )
    assert person.digital_native and person.id != mentor.id


@pytest.mark.parametrize(
    ("counts", "stage"),
    [
        ((0, 0, 0), MentorStage.AVAILABLE),
        ((1, 0, 0), MentorStage.ENROLLED),
        ((1, 1, 0), MentorStage.PROPOSED),
        ((1, 1, 1), MentorStage.MATCHED),
        ((0, 0, 1), MentorStage.MATCHED),
    ],
)
def test_a_placement_reports_how_far_the_mentor_got(counts: tuple[int, int, int], stage: MentorStage) -> None:
    assert Placement(ORG_ID, "Acme", uuid.uuid4(), *counts).stage is stage
