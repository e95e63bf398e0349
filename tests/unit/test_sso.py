"""An organization's OIDC provider settings validate themselves (app/domain/sso.py)."""

from __future__ import annotations

from typing import Any

import pytest

from app.domain.access import Role
from app.domain.errors import RuleViolation
from app.domain.sso import LoginHints, ProviderIdentity, SsoConfig
from app.domain.user import User
from tests.unit.builders import ORG_ID


def an_sso(**overrides: Any) -> SsoConfig:
    fields: dict[str, Any] = {
        "org_id": ORG_ID,
        "issuer": "https://login.acme.example/realms/acme",
        "client_id": "tandem",
        "client_secret": "s3cret",
        "allowed_email_domains": ("acme.example",),
    }
    fields.update(overrides)
    return SsoConfig(**fields)


def refusal(**overrides: Any) -> RuleViolation:
    with pytest.raises(RuleViolation) as caught:
        an_sso(**overrides)
    return caught.value


def test_a_valid_provider_keeps_its_settings_with_member_as_the_default_role() -> None:
    sso = an_sso(role_mapping={"tandem-admins": Role.ORG_ADMIN})
    assert sso.issuer == "https://login.acme.example/realms/acme" and sso.role_claim == "groups"
    assert sso.default_role is Role.MEMBER and sso.role_mapping == {"tandem-admins": Role.ORG_ADMIN}


def test_email_domains_are_lowercased_stripped_of_at_and_deduplicated() -> None:
    sso = an_sso(allowed_email_domains=("@ACME.example", "acme.example", " Sub.Acme.Example "))
    assert sso.allowed_email_domains == ("acme.example", "sub.acme.example")


@pytest.mark.parametrize(
    "issuer",
    [
        "ftp://login.acme.example",
        "https://",
        "login.acme.example",
        "https://login.acme.example/?realm=x",
        "https://a.example/#f",
    ],
)
def test_the_issuer_must_be_an_http_url_without_query_or_fragment(issuer: str) -> None:
    error = refusal(issuer=issuer)
    assert error.code == "invalid_issuer" and error.field == "issuer"


@pytest.mark.parametrize(("client_id", "client_secret"), [("  ", "s3cret"), ("tandem", "")])
def test_client_id_and_secret_are_required(client_id: str, client_secret: str) -> None:
    assert refusal(client_id=client_id, client_secret=client_secret).code == "blank_value"


@pytest.mark.parametrize("domain", ["localhost", "acme example.com", "acme_corp.example", "ümlaut.example"])
def test_an_allowed_domain_must_look_like_an_email_domain(domain: str) -> None:
    error = refusal(allowed_email_domains=(domain,))
    assert error.code == "invalid_domain" and error.field == "allowed_email_domains"


def test_a_provider_cannot_grant_platform_admin_by_mapping_or_by_default() -> None:
    assert refusal(role_mapping={"root": Role.PLATFORM_ADMIN}).code == "invalid_role"
    assert refusal(default_role=Role.PLATFORM_ADMIN).code == "invalid_role"


def test_only_emails_of_allowed_domains_are_let_in() -> None:
    sso = an_sso(allowed_email_domains=("acme.example",))
    assert sso.allows_email("Lena@ACME.example")
    assert not sso.allows_email("lena@sub.acme.example")
    assert not sso.allows_email("lena@evil.example")
    assert not an_sso(allowed_email_domains=()).allows_email("lena@acme.example")


def test_the_strongest_mapped_group_decides_the_role() -> None:
    config = an_sso(role_mapping={"leads": Role.PROGRAM_MANAGER, "it-admins": Role.ORG_ADMIN})
    assert config.role_for({"groups": ["staff", "leads", "it-admins"]}) is Role.ORG_ADMIN
    assert config.role_for({"groups": "leads"}) is Role.PROGRAM_MANAGER
    assert config.role_for({"groups": ["staff"]}) is Role.MEMBER
    assert config.role_for({"groups": 42}) is Role.MEMBER  # a claim of the wrong shape grants nothing
    assert config.role_for({}) is Role.MEMBER


def test_an_organizations_provider_never_grants_platform_or_partner_roles() -> None:
    for role in (Role.PLATFORM_ADMIN, Role.PARTNER):
        with pytest.raises(RuleViolation):
            an_sso(role_mapping={"x": role})
        with pytest.raises(RuleViolation):
            an_sso(default_role=role)


def test_the_front_end_url_must_be_a_web_address() -> None:
    assert an_sso(frontend_url="https://app.example/signed-in").frontend_url == "https://app.example/signed-in"
    for bad in ("javascript:alert(1)", "https://app.example/#frag", "app.example"):
        with pytest.raises(RuleViolation):
            an_sso(frontend_url=bad)


def test_the_birth_year_comes_from_the_standard_birthdate_claim() -> None:
    def year(value: object) -> int | None:
        return ProviderIdentity("sub", None, None, None, {"birthdate": value}).birth_year

    assert (year("1990-04-01"), year("1975"), year("0000-04-01"), year(1990), year("soon")) == (
        1990,
        1975,
        None,
        None,
        None,
    )


def test_login_hints_become_authorization_parameters_and_only_known_prompts_pass() -> None:
    assert LoginHints().parameters() == {}
    hints = LoginHints(login_hint="carla@example.org", prompt="select_account")
    assert hints.parameters() == {"login_hint": "carla@example.org", "prompt": "select_account"}
    with pytest.raises(RuleViolation) as refused:
        LoginHints(prompt="none")  # a silent check has no browser to come back to
    assert refused.value.code == "invalid_prompt"
    for hint in ("", "a\nb", "x" * 255):
        with pytest.raises(RuleViolation):
            LoginHints(login_hint=hint)


def test_an_account_found_by_email_is_only_its_own_subjects_or_else_a_verified_claim() -> None:
    bound = User(email="a@example.org", role=Role.MEMBER, org_id=ORG_ID, sso_subject="sub-a")
    assert bound.may_sign_in_as("sub-a", email_verified=False)
    assert not bound.may_sign_in_as("sub-b", email_verified=True)
    unbound = User(email="b@example.org", role=Role.MEMBER, org_id=ORG_ID)
    assert unbound.may_sign_in_as("sub-b", email_verified=True)
    assert not unbound.may_sign_in_as("sub-b", email_verified=False)
