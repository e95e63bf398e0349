"""Generations and the digital-native boundary (DESIGN.md §1)."""

from __future__ import annotations

import pytest

from app.domain.generations import DIGITAL_NATIVE_FROM, Generation, generation_gap, generation_of, is_digital_native


@pytest.mark.parametrize(
    ("birth_year", "generation"),
    [
        (1900, Generation.SILENT),
        (1945, Generation.SILENT),
        (1946, Generation.BABY_BOOMERS),
        (1964, Generation.BABY_BOOMERS),
        (1965, Generation.GEN_X),
        (1980, Generation.GEN_X),
        (1981, Generation.MILLENNIALS),
        (1996, Generation.MILLENNIALS),
        (1997, Generation.GEN_Z),
        (2012, Generation.GEN_Z),
        (2013, Generation.GEN_ALPHA),
        (2025, Generation.GEN_ALPHA),
    ],
)
def test_the_generation_follows_the_birth_year_bounds(birth_year: int, generation: Generation) -> None:
    assert generation_of(birth_year) is generation


def test_generations_are_ranked_oldest_first() -> None:
    ranks = [g.rank for g in (Generation.SILENT, Generation.BABY_BOOMERS, Generation.GEN_X)]
    ranks += [g.rank for g in (Generation.MILLENNIALS, Generation.GEN_Z, Generation.GEN_ALPHA)]
    assert ranks == [0, 1, 2, 3, 4, 5]


def test_digital_natives_are_born_from_1981() -> None:
    assert DIGITAL_NATIVE_FROM == 1981
    assert is_digital_native(1981)
    assert is_digital_native(2005)


def test_someone_born_in_1980_is_a_digital_immigrant() -> None:
    assert not is_digital_native(1980)
    assert not is_digital_native(1950)


@pytest.mark.parametrize(
    ("a", "b", "gap"),
    [
        (1970, 1975, 0),
        (1980, 1981, 1),
        (1964, 1997, 3),
        (1945, 2013, 5),
    ],
)
def test_the_generation_gap_counts_generations_not_years(a: int, b: int, gap: int) -> None:
    assert generation_gap(a, b) == gap


def test_the_generation_gap_is_symmetric() -> None:
    assert generation_gap(1950, 2000) == generation_gap(2000, 1950) == 3
