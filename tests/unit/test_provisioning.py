"""Provisioning rules: the provider's record, what Tandem's profile takes from it, what a
deactivation ends and keeps, and the roles groups give (app.domain.provisioning,
app.domain.deactivation, app.domain.provisioned_group)."""

from __future__ import annotations

import pytest

from app.domain import deactivation
from app.domain.access import Role
from app.domain.enrollment import EnrollmentStatus, ParticipantRole, enroll
from app.domain.errors import RuleViolation
from app.domain.provisioned_group import ProvisionedGroup, role_from_groups
from app.domain.provisioning import ProvisionedAccount, ProvisionedEmail, apply_to
from app.domain.sso import SsoConfig
from app.domain.tandem import TandemStatus
from app.domain.user import User
from tests.unit.builders import (
    ORG_ID,
    a_mentee,
    a_person,
    a_program,
    a_tandem,
    an_enrollment,
    an_id,
    event_types,
)


def test_the_sign_in_address_is_the_primary_email_then_a_work_one_then_the_user_name() -> None:
    home = ProvisionedEmail("Home@Example.org", "home")
    work = ProvisionedEmail("work@example.org", "work")
    assert ProvisionedAccount("upn@example.org", emails=(home, work)).sign_in_email == "work@example.org"
    primary = ProvisionedEmail("p@example.org", "home", primary=True)
    assert ProvisionedAccount("upn@example.org", emails=(work, primary)).sign_in_email == "p@example.org"
    assert ProvisionedAccount("UPN@Example.org").sign_in_email == "upn@example.org"
    assert ProvisionedAccount("not-an-address").sign_in_email is None
    assert home.value == "home@example.org"  # addresses compare without case


@pytest.mark.parametrize(
    "account",
    [
        lambda: ProvisionedAccount("  "),
        lambda: ProvisionedAccount("x" * 321),
        lambda: ProvisionedAccount("a\x00b"),
        lambda: ProvisionedAccount(
            "a", emails=(ProvisionedEmail("a@x.org", primary=True), ProvisionedEmail("b@x.org", primary=True))
        ),
    ],
)
def test_an_unusable_record_is_refused(account) -> None:
    with pytest.raises(RuleViolation) as refused:
        account()
    assert refused.value.code == "invalid_value"


def test_a_profile_takes_each_usable_field_and_leaves_out_the_others() -> None:
    person = a_person(birth_year=1990, city="Köln", timezone="UTC")
    account = ProvisionedAccount(
        "ann@example.org",
        display_name="Ann",
        department="Finance",
        birth_year=3000,  # not a birth year: left out
        languages="EN, fr",
        city="Berlin",
        timezone="Mars/Olympus",  # not a zone: left out
    )
    skipped = apply_to(account, person)
    assert sorted(skipped) == ["birth_year", "timezone"]
    assert (person.display_name, person.department, person.city) == ("Ann", "Finance", "Berlin")
    assert (person.birth_year, person.timezone, person.languages) == (1990, "UTC", ("en", "fr"))


def test_a_new_profile_needs_a_usable_birth_year() -> None:
    assert ProvisionedAccount("a@example.org").new_person(ORG_ID) is None
    assert ProvisionedAccount("a@example.org", birth_year=1800).new_person(ORG_ID) is None
    person = ProvisionedAccount("a@example.org", given_name="Ann", family_name="Lee", birth_year=1999).new_person(
        ORG_ID
    )
    assert person is not None and (person.display_name, person.email) == ("Ann Lee", "a@example.org")


def test_deactivation_ends_open_tandems_and_enrollments_and_keeps_the_profile_and_the_rest() -> None:
    person = a_mentee()
    program = a_program()
    enrollment = an_enrollment(program, person, "mentee")
    running, paused = a_tandem(TandemStatus.ACTIVE), a_tandem(TandemStatus.PAUSED)
    proposed, done = a_tandem(TandemStatus.PROPOSED), a_tandem(TandemStatus.COMPLETED)
    user = User(email="m@example.org", role=Role.MEMBER, org_id=ORG_ID, person_id=person.id)

    ended = deactivation.deactivate([user], person, [enrollment], [running, paused, proposed, done])

    assert not user.active and not person.active and ended.person_changed
    assert (running.status, paused.status) == (TandemStatus.DISSOLVED, TandemStatus.DISSOLVED)
    assert proposed.status is TandemStatus.DECLINED and done.status is TandemStatus.COMPLETED
    assert running.end_reason == deactivation.REASON
    assert enrollment.status is EnrollmentStatus.WITHDRAWN
    assert set(ended.tandems) == {running, paused, proposed} and ended.enrollments == (enrollment,)
    assert "person.deactivated" in event_types(person) and person.display_name  # the profile stays

    again = deactivation.deactivate([user], person, [enrollment], [running])
    assert again == deactivation.Ended((), False, (), ())  # repeating it changes nothing


def test_reactivation_restores_sign_in_only() -> None:
    person, tandem = a_mentee(), a_tandem(TandemStatus.ACTIVE)
    user = User(email="m@example.org", role=Role.MEMBER, org_id=ORG_ID, person_id=person.id)
    deactivation.deactivate([user], person, [], [tandem])
    assert deactivation.reactivate([user], person)
    assert user.active and person.active and person.deactivated_at is None
    assert tandem.status is TandemStatus.DISSOLVED
    assert event_types(person)[-1] == "person.reactivated"
    assert not deactivation.reactivate([user], person)


def test_a_group_change_touches_the_members_it_adds_or_removes_and_all_on_a_rename() -> None:
    ann, bob, cy = an_id(), an_id(), an_id()
    group = ProvisionedGroup(ORG_ID, "  Tandem   Managers ", member_ids=(ann, bob, ann))
    assert group.display_name == "Tandem Managers" and group.member_ids == (ann, bob)
    assert group.replace("Tandem Managers", None, (bob, cy)) == {ann, cy}
    assert group.replace("Tandem Admins", None, (bob, cy)) == {bob, cy}
    with pytest.raises(RuleViolation):
        ProvisionedGroup(ORG_ID, "   ")


def test_the_role_is_the_strongest_mapped_group_or_the_default_and_unchanged_without_a_mapping() -> None:
    config = SsoConfig(
        ORG_ID,
        "https://idp.example",
        "tandem",
        "secret",
        role_mapping={"Managers": Role.PROGRAM_MANAGER, "Admins": Role.ORG_ADMIN},
    )
    assert role_from_groups(config, ["Managers", "Admins"], Role.MEMBER) is Role.ORG_ADMIN
    assert role_from_groups(config, ["Staff"], Role.ORG_ADMIN) is Role.MEMBER
    assert role_from_groups(None, ["Admins"], Role.PROGRAM_MANAGER) is Role.PROGRAM_MANAGER


def test_a_deactivated_person_cannot_be_enrolled() -> None:
    person = a_mentee()
    person.deactivate()
    with pytest.raises(RuleViolation) as refused:
        enroll(a_program(), person, ParticipantRole.MENTEE)
    assert refused.value.code == "person_deactivated"
