"""Organization: a tenant with a name and a URL-safe slug."""

from __future__ import annotations

import pytest

from app.domain.errors import RuleViolation
from app.domain.organization import Organization


def test_an_organization_keeps_its_trimmed_name_and_slug() -> None:
    org = Organization(name="  Acme  ", slug="acme-corp")
    assert (org.name, org.slug) == ("Acme", "acme-corp")


def test_an_organization_needs_a_name() -> None:
    with pytest.raises(RuleViolation) as caught:
        Organization(name="  ", slug="acme")
    assert caught.value.code == "blank_value"


@pytest.mark.parametrize("slug", ["", "Acme", "-acme", "acme-", "ac me", "acme_corp", "a" * 64])
def test_a_malformed_slug_is_refused(slug: str) -> None:
    with pytest.raises(RuleViolation) as caught:
        Organization(name="Acme", slug=slug)
    assert caught.value.code == "invalid_slug"


@pytest.mark.parametrize("slug", ["a", "a1", "acme-2030", "a" * 63])
def test_a_well_formed_slug_is_accepted(slug: str) -> None:
    assert Organization(name="Acme", slug=slug).slug == slug


def test_renaming_to_a_blank_name_is_refused_and_keeps_the_old_name() -> None:
    org = Organization(name="Acme", slug="acme")
    with pytest.raises(RuleViolation) as caught:
        org.rename(" ")
    assert caught.value.code == "blank_value"
    assert org.name == "Acme"


def test_renaming_trims_the_new_name() -> None:
    org = Organization(name="Acme", slug="acme")
    org.rename(" Acme Group ")
    assert org.name == "Acme Group"
