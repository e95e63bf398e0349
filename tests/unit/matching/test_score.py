"""Each score component in [0, 1], the weighted score and its explanation."""

from __future__ import annotations

from datetime import time
from typing import Any

import pytest

from app.domain.availability import WeeklyWindow
from app.domain.matching import Candidate, Weights, score, score_matrix
from app.domain.matching.candidates import weekly_quarters
from app.domain.matching.score import contrast, format_place, mutual_like, shared_interests, topic_fit
from app.domain.values import MeetingFormat, Topic
from tests.unit.matching.instances import MENTEE, MENTOR, a_matching_program, candidate

PROGRAM = a_matching_program()
ONLY = {name: 0.0 for name in ("topic_fit", "shared_interests", "contrast", "format_place", "mutual_like")}


def mentee(**fields: Any) -> Candidate:
    return candidate(PROGRAM, MENTEE, **fields)


def mentor(**fields: Any) -> Candidate:
    return candidate(PROGRAM, MENTOR, **fields)


def liking(who: Candidate, *others: Candidate) -> Candidate:
    return Candidate(who.enrollment, who.person, likes=frozenset(o.id for o in others))


def test_topic_fit_is_the_share_of_the_needs_priority_the_mentor_offers() -> None:
    needs = (Topic("TikTok", 5), Topic("Podcasts", 2), Topic("AI", 3))
    value, said = topic_fit(mentee(needs=needs), mentor(offers=(Topic("tiktok"), Topic("AI"), Topic("Chess"))))
    assert value == pytest.approx(8 / 10)
    assert "TikTok (priority 5)" in said and "not Podcasts" in said


def test_topic_fit_ignores_case_and_is_zero_without_needs_or_overlap() -> None:
    assert topic_fit(mentee(needs=(Topic("AI"),)), mentor(offers=(Topic(" ai "),)))[0] == 1.0
    assert topic_fit(mentee(needs=()), mentor(offers=(Topic("AI"),))) == (0.0, "the mentee named no needs")
    assert topic_fit(mentee(needs=(Topic("AI"),)), mentor(offers=(Topic("Gaming"),)))[0] == 0.0


def test_a_topic_named_twice_counts_once_with_its_highest_priority() -> None:
    value, _ = topic_fit(
        mentee(needs=(Topic("AI", 1), Topic("ai", 4), Topic("Chess", 1))), mentor(offers=(Topic("AI"),))
    )
    assert value == pytest.approx(4 / 5)


def test_shared_interests_is_the_jaccard_similarity() -> None:
    value, said = shared_interests(mentee(interests=("Jazz", "Golf")), mentor(interests=("jazz", "Gaming", "Chess")))
    assert value == pytest.approx(1 / 4)
    assert said == "1 of 4 interests in common: Jazz"
    assert shared_interests(mentee(interests=()), mentor(interests=()))[0] == 0.0


def test_contrast_grows_with_the_generation_gap_and_different_backgrounds() -> None:
    same = {"department": "IT", "city": "Berlin"}
    boomer, gen_z = mentee(birth_year=1955, **same), mentor(birth_year=2000, **same)
    assert contrast(boomer, gen_z)[0] == pytest.approx(0.5)  # 3 generations: the full half
    assert contrast(mentee(birth_year=1970, **same), gen_z)[0] == pytest.approx(2 / 3 / 2)
    different = mentor(birth_year=2000, department="Sales", city="Hamburg", partner_id=PROGRAM.id)
    value, said = contrast(boomer, different)
    assert value == pytest.approx(1.0)
    assert "different department, city, origin" in said


def test_an_unknown_background_is_no_contrast() -> None:
    a, b = mentee(birth_year=1955, department=None, city=None), mentor(birth_year=2000, department="IT", city=None)
    assert contrast(a, b)[0] == pytest.approx(0.5)


def test_on_site_needs_the_same_city() -> None:
    on_site = (MeetingFormat.ON_SITE,)
    assert format_place(mentee(city="Berlin", preferred_formats=on_site), mentor(city="berlin"))[0] == 1.0
    value, said = format_place(mentee(city="Berlin", preferred_formats=on_site), mentor(city="Munich"))
    assert value == 0.5 and said.startswith("in-person formats only")


def test_video_and_phone_work_anywhere() -> None:
    video = (MeetingFormat.VIDEO_CALL, MeetingFormat.ON_SITE)
    value, said = format_place(mentee(city="Berlin", preferred_formats=video), mentor(city="Munich"))
    assert value == 1.0 and said.startswith("common formats: video call")


def test_no_common_format_halves_the_component() -> None:
    phone, video = (MeetingFormat.PHONE,), (MeetingFormat.VIDEO_CALL,)
    value, said = format_place(mentee(preferred_formats=phone), mentor(preferred_formats=video))
    assert value == 0.5 and said.startswith("no common meeting format")


def test_weekly_availability_counts_when_both_give_windows_and_crosses_time_zones() -> None:
    berlin = {"timezone": "Europe/Berlin", "availability": (WeeklyWindow(1, time(17), time(19)),)}
    london_one_hour = {"timezone": "Europe/London", "availability": (WeeklyWindow(1, time(17), time(18)),)}
    value, said = format_place(mentee(**berlin), mentor(**london_one_hour))  # 16-18 vs 17-18 UTC
    assert value == pytest.approx((1 + 4 / 8) / 2) and "1 h a week in common" in said
    assert format_place(mentee(**berlin), mentor(availability=()))[0] == 1.0


def test_weekly_quarters_are_utc_quarter_hours_of_the_reference_week() -> None:
    assert weekly_quarters((WeeklyWindow(0, time(0, 10), time(0, 50)),), "UTC") == {1, 2}
    sunday_late = weekly_quarters((WeeklyWindow(6, time(23, 30), time(23, 59)),), "America/New_York")
    assert sunday_late == {4 * 4 + 2}  # Monday 04:30-04:45 UTC: the week wraps; 04:45-04:59 is no full quarter


def test_mutual_like_needs_both_likes() -> None:
    a, b = mentee(), mentor()
    assert mutual_like(a, b) == (0.0, "no mutual like")
    assert mutual_like(liking(a, b), b)[0] == 0.0
    assert mutual_like(a, liking(b, a))[0] == 0.0
    assert mutual_like(liking(a, b), liking(b, a)) == (1.0, "both liked each other")


def test_the_score_is_the_weighted_mean_of_the_components_and_explains_itself() -> None:
    a = mentee(needs=(Topic("AI", 4), Topic("Chess", 1)), interests=("Jazz",), birth_year=1960)
    b = mentor(offers=(Topic("AI"),), interests=("Jazz",), birth_year=2000)
    result = score(a, b, Weights(topic_fit=4, shared_interests=1, contrast=0, format_place=0, mutual_like=0))
    assert result.components.topic_fit == pytest.approx(0.8) and result.components.shared_interests == 1.0
    assert result.value == pytest.approx((4 * 0.8 + 1 * 1.0) / 5)
    assert result.explanation.startswith("score 0.84 of 1 = topic fit 0.80 x4: offers AI (priority 4); not Chess")
    assert "shared interests 1.00 x1: 1 of 1 interests in common: Jazz" in result.explanation


def test_all_weights_zero_score_zero() -> None:
    zero = Weights(**ONLY)
    assert score(mentee(), mentor(), zero).value == 0.0
    assert score_matrix([mentee()], [mentor()], zero).tolist() == [[0.0]]


def test_every_component_and_the_score_stay_within_0_and_1() -> None:
    a = mentee(needs=(Topic("AI"),), interests=("Jazz",), city="Berlin")
    b = mentor(offers=(Topic("AI"),), interests=("Jazz",), city="Hamburg", partner_id=PROGRAM.id)
    result = score(a, b, Weights(10, 10, 10, 10, 10))
    assert all(0.0 <= c <= 1.0 for c in result.components.as_tuple())
    assert 0.0 <= result.value <= 1.0
