"""Person: a validated profile; generation and digital-native are derived; erasure (GDPR)."""

from __future__ import annotations

import pytest

from app.domain.errors import RuleViolation
from app.domain.generations import Generation
from app.domain.person import ERASED_NAME, Person
from app.domain.values import MAX_TEXT_LIST, MeetingFormat
from tests.unit.builders import ORG_ID, a_person, event_types, this_year


def test_a_person_is_created_with_a_trimmed_name() -> None:
    assert a_person(display_name="  Ada  ").display_name == "Ada"


def test_a_person_needs_a_display_name() -> None:
    with pytest.raises(RuleViolation) as caught:
        a_person(display_name="   ")
    assert caught.value.code == "blank_value"
    assert caught.value.field == "display_name"


def test_a_birth_year_in_the_future_is_refused() -> None:
    with pytest.raises(RuleViolation) as caught:
        a_person(birth_year=this_year() + 1)
    assert caught.value.code == "invalid_birth_year"
    assert caught.value.field == "birth_year"


def test_a_birth_year_before_1900_is_refused() -> None:
    with pytest.raises(RuleViolation) as caught:
        a_person(birth_year=1899)
    assert caught.value.code == "invalid_birth_year"


@pytest.mark.parametrize("birth_year", [1900, this_year()])
def test_birth_years_from_1900_to_this_year_are_accepted(birth_year: int) -> None:
    assert a_person(birth_year=birth_year).birth_year == birth_year


def test_generation_and_digital_native_are_derived_from_the_birth_year() -> None:
    native, immigrant = a_person(birth_year=1981), a_person(birth_year=1980)
    assert (native.generation, native.digital_native) == (Generation.MILLENNIALS, True)
    assert (immigrant.generation, immigrant.digital_native) == (Generation.GEN_X, False)


def test_an_email_is_trimmed_and_lowercased() -> None:
    assert a_person(email="  Ada.Lovelace@Example.COM ").email == "ada.lovelace@example.com"


def test_a_person_may_have_no_email() -> None:
    assert a_person(email=None).email is None


@pytest.mark.parametrize("email", ["ada", "@example.com", "ada@example", "ada lovelace@example.com", ""])
def test_an_invalid_email_is_refused(email: str) -> None:
    with pytest.raises(RuleViolation) as caught:
        a_person(email=email)
    assert caught.value.code == "invalid_email"
    assert caught.value.field == "email"


def test_an_unknown_time_zone_is_refused() -> None:
    with pytest.raises(RuleViolation) as caught:
        a_person(timezone="Europe/Atlantis")
    assert caught.value.code == "invalid_timezone"


def test_a_known_time_zone_is_kept() -> None:
    assert a_person(timezone="Asia/Tokyo").timezone == "Asia/Tokyo"


def test_interests_are_trimmed_and_deduplicated_case_insensitively() -> None:
    person = a_person(interests=("Gaming", " gaming ", "Podcasts", "", "PODCASTS"))
    assert person.interests == ("Gaming", "Podcasts")


def test_a_person_holds_at_most_the_limit_of_interests() -> None:
    assert len(a_person(interests=tuple(f"i{n}" for n in range(MAX_TEXT_LIST))).interests) == MAX_TEXT_LIST
    with pytest.raises(RuleViolation) as caught:
        a_person(interests=tuple(f"i{n}" for n in range(MAX_TEXT_LIST + 1)))
    assert caught.value.code == "too_many_items"
    assert caught.value.field == "interests"


def test_languages_are_lowercased_and_deduplicated() -> None:
    assert a_person(languages=("DE", "de", " En ")).languages == ("de", "en")


def test_preferred_formats_are_parsed_and_deduplicated() -> None:
    person = a_person(preferred_formats=("video_call", MeetingFormat.VIDEO_CALL, "on_site"))
    assert person.preferred_formats == (MeetingFormat.VIDEO_CALL, MeetingFormat.ON_SITE)


def test_an_update_applies_and_normalises_the_changes() -> None:
    person = a_person()
    person.update(display_name=" Grace ", email="GRACE@Example.com", interests=("Chess", "chess"), city="Berlin")
    assert (person.display_name, person.email, person.interests, person.city) == (
        "Grace",
        "grace@example.com",
        ("Chess",),
        "Berlin",
    )


def test_a_bad_change_leaves_the_whole_person_untouched() -> None:
    person = a_person(display_name="Ada", email="ada@example.com", city="London")
    before = (person.display_name, person.email, person.city, person.birth_year, person.updated_at)
    with pytest.raises(RuleViolation) as caught:
        person.update(display_name="Grace", city="Berlin", birth_year=1850)
    assert caught.value.code == "invalid_birth_year"
    assert (person.display_name, person.email, person.city, person.birth_year, person.updated_at) == before


def test_an_invalid_email_in_an_update_leaves_the_person_untouched() -> None:
    person = a_person(email="ada@example.com", bio="Math")
    with pytest.raises(RuleViolation) as caught:
        person.update(bio="Poetry", email="not-an-email")
    assert caught.value.code == "invalid_email"
    assert (person.bio, person.email) == ("Math", "ada@example.com")


def test_only_profile_fields_are_editable() -> None:
    person = a_person()
    original_org = person.org_id
    with pytest.raises(RuleViolation) as caught:
        person.update(org_id=None, display_name="Grace")
    assert caught.value.code == "not_editable"
    assert (person.org_id, person.display_name) == (original_org, "Ada Lovelace")


def test_erasure_removes_every_piece_of_personal_data() -> None:
    person = a_person(
        email="ada@example.com",
        bio="Countess",
        interests=("Engines",),
        department="Research",
        seniority="C-level",
        city="London",
        external_id="partner-42",
    )
    person.erase()
    assert person.erased
    assert person.erased_at is not None
    assert person.display_name == ERASED_NAME
    assert (person.email, person.bio, person.interests) == (None, "", ())
    assert (person.department, person.seniority, person.city, person.external_id) == (None, None, None, None)


def test_erasure_keeps_the_birth_year_for_anonymous_statistics() -> None:
    person = a_person(birth_year=1955)
    person.erase()
    assert person.birth_year == 1955
    assert person.generation is Generation.BABY_BOOMERS


def test_erasure_records_a_person_erased_event_once() -> None:
    person = a_person()
    person.erase()
    person.erase()
    events = person.pull_events()
    assert [e.type for e in events] == ["person.erased"]
    assert (events[0].org_id, events[0].subject_id) == (ORG_ID, person.id)


def test_an_erased_person_cannot_be_edited() -> None:
    person = a_person()
    person.erase()
    with pytest.raises(RuleViolation) as caught:
        person.update(display_name="Back again")
    assert caught.value.code == "person_erased"
    assert person.display_name == ERASED_NAME


def test_pulling_events_empties_the_outbox() -> None:
    person = a_person()
    person.erase()
    assert event_types(person) == ["person.erased"]
    assert person.pull_events() == []


def test_a_new_person_has_recorded_no_events() -> None:
    assert Person(org_id=ORG_ID, display_name="Ada", birth_year=1990).pull_events() == []


def test_a_new_profile_is_announced_once_and_a_profile_read_back_is_not() -> None:
    person = Person(ORG_ID, "Ada", 1990)
    assert person.pull_events() == []  # as the repository builds it from a row
    person.announce()
    [created] = person.pull_events()
    assert (created.type, created.data) == ("person.created", {"source": "internal"})


def test_an_update_names_the_changed_fields_once_and_never_their_values() -> None:
    person = a_person(display_name="Ada", city="Berlin")
    person.pull_events()
    person.update(city="Hamburg")
    person.update(display_name="Ada L.", city="Hamburg")  # provisioning applies field by field
    person.update(bio="")  # unchanged: nothing to tell
    [updated] = person.pull_events()
    assert (updated.type, updated.data) == ("person.updated", {"changed": ["city", "display_name"]})
    person.update(city="Hamburg")
    assert person.pull_events() == []
