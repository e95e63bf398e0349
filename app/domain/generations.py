"""Generations and the digital-native boundary, derived from a birth year."""

from __future__ import annotations

from enum import StrEnum

DIGITAL_NATIVE_FROM = 1981


class Generation(StrEnum):
    SILENT = "silent"
    BABY_BOOMERS = "baby_boomers"
    GEN_X = "gen_x"
    MILLENNIALS = "millennials"
    GEN_Z = "gen_z"
    GEN_ALPHA = "gen_alpha"

    @property
    def rank(self) -> int:
        """Position in time; the distance of two ranks is the generation gap."""
        return _ORDER.index(self)


_ORDER = list(Generation)

# (first birth year, generation), newest first, so the first bound not above the year wins.
_BOUNDS = (
    (2013, Generation.GEN_ALPHA),
    (1997, Generation.GEN_Z),
    (1981, Generation.MILLENNIALS),
    (1965, Generation.GEN_X),
    (1946, Generation.BABY_BOOMERS),
)


def generation_of(birth_year: int) -> Generation:
    for first_year, generation in _BOUNDS:
        if birth_year >= first_year:
            return generation
    return Generation.SILENT


def is_digital_native(birth_year: int) -> bool:
    return birth_year >= DIGITAL_NATIVE_FROM


def generation_gap(a_birth_year: int, b_birth_year: int) -> int:
    return abs(generation_of(a_birth_year).rank - generation_of(b_birth_year).rank)
