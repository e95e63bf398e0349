"""The score of one mentee-mentor pair: five components in [0, 1], weighted, explained in words.

This is the reference definition. ``matrix.py`` computes the same numbers for all pairs at
once with numpy; the tests hold the two to each other. Both turn the counts a component depends
on into its value with the small functions below (``topic_share`` ...), so they agree exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.matching.candidates import IN_PERSON, Candidate
from app.domain.matching.policy import COMPONENTS, Weights
from app.domain.values import MeetingFormat

CONTRAST_FULL_GAP = 3  # generations apart for full generation contrast (Gen Z and Baby Boomers)
FULL_OVERLAP_QUARTERS = 8  # two hours a week in common count as fully compatible
LABELS = {
    "topic_fit": "topic fit",
    "shared_interests": "shared interests",
    "contrast": "contrast",
    "format_place": "format & place",
    "mutual_like": "mutual like",
}


@dataclass(frozen=True, slots=True)
class Components:
    topic_fit: float
    shared_interests: float
    contrast: float
    format_place: float
    mutual_like: float

    def as_tuple(self) -> tuple[float, float, float, float, float]:
        return (self.topic_fit, self.shared_interests, self.contrast, self.format_place, self.mutual_like)

    def as_dict(self) -> dict[str, float]:
        return dict(zip(COMPONENTS, self.as_tuple(), strict=True))


DISPLAY_DIGITS = 4  # what clients are shown; the optimizer always works at full precision


def rounded(values: dict[str, float]) -> dict[str, float]:
    """Component values as every adapter shows them."""
    return {name: round(values[name], DISPLAY_DIGITS) for name in COMPONENTS}


@dataclass(frozen=True, slots=True)
class Score:
    """``value`` = sum(weight x component) / sum(weights), in [0, 1]; ``notes`` say why, per component."""

    value: float
    components: Components
    weights: Weights
    notes: tuple[str, str, str, str, str]

    @property
    def explanation(self) -> str:
        parts = [
            f"{LABELS[name]} {component:.2f} x{weight:g}: {note}"
            for name, component, weight, note in zip(
                COMPONENTS, self.components.as_tuple(), self.weights.as_tuple(), self.notes, strict=True
            )
        ]
        return f"score {self.value:.2f} of 1 = " + "; ".join(parts)


def topic_share(met: int, wanted: int) -> float:
    """The priority points met of those wanted (none wanted: 0)."""
    return met / wanted if wanted else 0.0


def jaccard(common: int, union: int) -> float:
    return common / union if common else 0.0


def contrast_value(gap: int, differences: int) -> float:
    """Half for the generation gap (full at ``CONTRAST_FULL_GAP``), a sixth per background difference."""
    return min(gap, CONTRAST_FULL_GAP) / CONTRAST_FULL_GAP / 2 + differences / 6


def format_place_value(workable: bool, overlap: int | None) -> float:
    """Half for a workable format, half for the weekly quarter-hours in common (None: not restricted)."""
    time_fit = 1.0 if overlap is None else min(overlap / FULL_OVERLAP_QUARTERS, 1.0)
    return ((1.0 if workable else 0.0) + time_fit) / 2


def topic_fit(mentee: Candidate, mentor: Candidate) -> tuple[float, str]:
    """The share of the mentee's needs, weighted by their priorities, that the mentor offers."""
    if not mentee.needs:
        return 0.0, "the mentee named no needs"
    offers = mentor.offers
    met: list[str] = []
    missed: list[str] = []
    points = wanted = 0
    for key, (name, priority) in mentee.needs.items():
        wanted += priority
        if key in offers:
            points += priority
            met.append(f"{name} (priority {priority})")
        else:
            missed.append(f"{name} (priority {priority})")
    said = "offers " + ", ".join(met) if met else "offers none of the needs"
    if missed:
        said += "; not " + ", ".join(missed)
    return topic_share(points, wanted), said


def shared_interests(mentee: Candidate, mentor: Candidate) -> tuple[float, str]:
    """Jaccard similarity of the two interest sets."""
    union = mentee.interests.keys() | mentor.interests.keys()
    common = [label for key, label in mentee.interests.items() if key in mentor.interests]
    if not common:
        return 0.0, "no interests in common"
    return jaccard(len(common), len(union)), f"{len(common)} of {len(union)} interests in common: {', '.join(common)}"


def contrast(mentee: Candidate, mentor: Candidate) -> tuple[float, str]:
    """Half generation distance (full at three generations), half different backgrounds."""
    a, b = mentee.person.generation, mentor.person.generation
    gap = abs(a.rank - b.rank)
    differences = [
        name
        for name, left, right in (
            ("department", mentee.department, mentor.department),
            ("city", mentee.city, mentor.city),
            ("origin", mentee.origin, mentor.origin),
        )
        if left is not None and right is not None and left != right
    ]
    value = contrast_value(gap, len(differences))
    said = f"{gap} generation(s) apart ({a.value} and {b.value})"
    said += "; different " + ", ".join(differences) if differences else "; same or unknown background"
    return value, said


def format_place(mentee: Candidate, mentor: Candidate) -> tuple[float, str]:
    """Half a workable common format (in person needs the same city), half common weekly time."""
    same_city = mentee.city is not None and mentee.city == mentor.city
    common = mentee.formats & mentor.formats
    workable = common if same_city else common - IN_PERSON
    if workable:
        said = "common formats: " + ", ".join(
            _format(f) + (" (same city)" if f in IN_PERSON else "") for f in sorted(workable)
        )
    else:
        said = "in-person formats only, in different cities" if common else "no common meeting format"
    overlap = None
    if mentee.quarters and mentor.quarters:
        overlap = len(mentee.quarters & mentor.quarters)
        said += f"; {overlap / 4:g} h a week in common"
    else:
        said += "; availability not restricted"
    return format_place_value(bool(workable), overlap), said


def mutual_like(mentee: Candidate, mentor: Candidate) -> tuple[float, str]:
    if mentee.likes_back(mentor):
        return 1.0, "both liked each other"
    return 0.0, "no mutual like"


def score(mentee: Candidate, mentor: Candidate, weights: Weights) -> Score:
    parts = (
        topic_fit(mentee, mentor),
        shared_interests(mentee, mentor),
        contrast(mentee, mentor),
        format_place(mentee, mentor),
        mutual_like(mentee, mentor),
    )
    value = 0.0
    for weight, (component, _) in zip(weights.as_tuple(), parts, strict=True):
        value += weight * component
    total_weight = weights.total
    value = value / total_weight if total_weight else 0.0
    components = Components(parts[0][0], parts[1][0], parts[2][0], parts[3][0], parts[4][0])
    notes = (parts[0][1], parts[1][1], parts[2][1], parts[3][1], parts[4][1])
    return Score(value, components, weights, notes)


def _format(meeting_format: MeetingFormat) -> str:
    return meeting_format.value.replace("_", " ")
