"""Suggestions: the other side ranked for one participant; rule breakers last; passes left out."""

from __future__ import annotations

from typing import Any

from app.domain.matching import Weights
from app.domain.matching.constraints import exclusions
from app.domain.matching.suggestions import NO_FREE_CAPACITY, suggest
from app.domain.values import Topic
from tests.unit.matching.instances import MENTEE, MENTOR, a_matching_program, candidate

PROGRAM = a_matching_program()
WEIGHTS = Weights()


def mentee(**fields: Any) -> Any:
    fields.setdefault("languages", ("de",))
    return candidate(PROGRAM, MENTEE, needs=(Topic("TikTok", 5),), **fields)


def mentor(*offers: str, **fields: Any) -> Any:
    fields.setdefault("languages", ("de",))
    return candidate(PROGRAM, MENTOR, offers=tuple(map(Topic, offers)), **fields)


def ids(suggestions: list[Any]) -> list[Any]:
    return [s.candidate.id for s in suggestions]


def test_a_mentor_offering_the_need_ranks_above_one_offering_nothing() -> None:
    subject, good, idle = mentee(), mentor("tiktok"), mentor("Gaming")
    ranked = suggest(PROGRAM, subject, [idle, good], WEIGHTS)
    assert ids(ranked) == [good.id, idle.id]
    assert ranked[0].score.components.topic_fit == 1.0 and ranked[1].score.components.topic_fit == 0.0
    assert all(s.feasible for s in ranked)


def test_rule_breakers_come_last_with_the_rule_even_when_they_score_best() -> None:
    subject = mentee()
    colleague, no_language = mentor("TikTok", department="Board"), mentor("TikTok", languages=("fr",))
    full = mentor("TikTok", open_tandems=1)
    idle = mentor("Gaming")
    ranked = suggest(PROGRAM, subject, [colleague, no_language, full, idle], WEIGHTS)
    assert ranked[0].candidate is idle and ranked[0].feasible
    blocked = {s.candidate.id: s.blocked_by for s in ranked[1:]}
    assert blocked == {colleague.id: "same_department", no_language.id: "no_shared_language", full.id: NO_FREE_CAPACITY}


def test_a_pass_either_way_leaves_the_candidate_out() -> None:
    passed, kept = mentor("TikTok"), mentor("TikTok")
    subject = mentee(passes=frozenset({passed.id}))
    passer = mentor("TikTok", passes=frozenset({subject.id}))
    assert ids(suggest(PROGRAM, subject, [passer, passed, kept], WEIGHTS)) == [kept.id]


def test_the_own_side_the_subject_and_never_pair_again_pairs() -> None:
    subject, peer, old = mentee(), mentee(), mentor("TikTok")
    ranked = suggest(PROGRAM, subject, [subject, peer, old], WEIGHTS, exclusions([(old.person.id, subject.person.id)]))
    assert [(s.candidate.id, s.blocked_by) for s in ranked] == [(old.id, "pair_excluded")]


def test_the_weights_decide_and_the_limit_cuts() -> None:
    subject = mentee(interests=("Jazz",))
    on_topic, same_taste = mentor("TikTok"), mentor("Gaming", interests=("jazz",))
    interests_only = Weights(topic_fit=0, shared_interests=10, contrast=0, format_place=0, mutual_like=0)
    assert ids(suggest(PROGRAM, subject, [on_topic, same_taste], interests_only)) == [same_taste.id, on_topic.id]
    assert ids(suggest(PROGRAM, subject, [on_topic, same_taste], WEIGHTS, limit=1)) == [on_topic.id]
