"""Benchmark of the matching engine on generated, realistic profiles (``make bench``).

Profiles are structured like a real program's, not uniform random numbers: topics and
interests with a popularity skew, departments and cities of uneven size, mentors born
1985-2005 (some from partner networks) and mentees born 1955-1980, languages, formats, weekly
windows in a few time zones, mentor capacities 1-3, a few likes and passes.

Per size it prints the seconds to build the score and feasibility matrices, to solve exactly
(capacity slots, feasibility, objective) and, on the same score matrix in the same run, plain
``scipy.optimize.linear_sum_assignment``; the peak memory of each step is the growth of the
process's peak resident set (Linux ``VmHWM``, reset before each step), so it includes what
scipy allocates in C++.
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import random
import time
from collections.abc import Callable
from datetime import date
from datetime import time as clock
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID, uuid4

import numpy as np
from scipy.optimize import linear_sum_assignment  # type: ignore[import-untyped]
from scipy.sparse import csr_matrix  # type: ignore[import-untyped]
from scipy.sparse.csgraph import min_weight_full_bipartite_matching  # type: ignore[import-untyped]

from app.domain.availability import WeeklyWindow
from app.domain.enrollment import Enrollment, ParticipantRole
from app.domain.matching import Candidate, MatchingPolicy, Objective, feasibility, match, score_matrix
from app.domain.matching.assignment import assign
from app.domain.person import Person
from app.domain.program import Program, ProgramStatus
from app.domain.values import MeetingFormat, Topic

T = TypeVar("T")
SIZES = ((1_000, 1_000), (2_000, 2_000), (5_000, 5_000), (1_000, 10_000))
ORG = UUID(int=1)
TOPICS = [
    "TikTok",
    "Instagram",
    "Generative AI",
    "Prompting",
    "Remote work",
    "Gen Z expectations",
    "Podcasts",
    "Gaming",
    "Employer branding",
    "Cybersecurity",
    "Data literacy",
    "No-code tools",
    "Sustainability",
    "Diversity",
    "Mental health",
    "Agile",
    "Personal branding",
    "LinkedIn",
    "Streaming",
    "E-commerce",
] + [f"Topic {k}" for k in range(20, 150)]
INTERESTS = [f"interest {k}" for k in range(80)]
DEPARTMENTS = [
    "Sales",
    "Marketing",
    "IT",
    "Finance",
    "HR",
    "Legal",
    "Operations",
    "Board",
    "Logistics",
    "Procurement",
    "R&D",
    "Customer service",
    "Controlling",
    "Communications",
]
CITIES = ["Berlin", "Hamburg", "Munich", "Cologne", "Frankfurt", "Stuttgart", "Leipzig", "Vienna"]
ZONES = ["Europe/Berlin"] * 18 + ["Europe/London", "America/New_York"]
PARTNERS = [uuid4() for _ in range(3)]
FORMATS = list(MeetingFormat)
SLOTS = [(8, 1), (12, 1), (17, 2), (19, 2), (10, 2)]  # (hour, length): typical free windows


def zipf(n: int, s: float = 1.1) -> list[float]:
    return [1 / (k + 1) ** s for k in range(n)]


class Profiles:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.program = Program(ORG, "Bench", date(2030, 1, 1), date(2030, 10, 1), status=ProgramStatus.MATCHING)
        self.topic_w, self.interest_w = zipf(len(TOPICS)), zipf(len(INTERESTS), 0.9)
        self.dept_w, self.city_w = zipf(len(DEPARTMENTS), 0.7), zipf(len(CITIES), 1.2)

    def some(self, items: list[T], weights: list[float], low: int, high: int) -> list[T]:
        return list(dict.fromkeys(self.rng.choices(items, weights, k=self.rng.randint(low, high))))

    def person(self, young: bool) -> Person:
        rng = self.rng
        partner = rng.choice(PARTNERS) if young and rng.random() < 0.3 else None
        odds = (("de", 0.7), ("en", 0.9)) if young else (("de", 0.85), ("en", 0.6))
        languages = [lang for lang, p in (*odds, ("fr", 0.06), ("tr", 0.05)) if rng.random() < p]
        slots = rng.sample(SLOTS, rng.randint(1, 3)) if rng.random() < 0.5 else []
        windows = [WeeklyWindow(rng.randint(0, 4), clock(h), clock(h + d)) for h, d in slots]
        return Person(
            org_id=ORG,
            display_name="P",
            birth_year=rng.randint(1985, 2005) if young else rng.randint(1955, 1980),
            interests=tuple(self.some(INTERESTS, self.interest_w, 0, 6)),
            languages=tuple(languages or ["de"]),
            department=None if partner else rng.choices(DEPARTMENTS, self.dept_w)[0],
            city=None if partner and rng.random() < 0.5 else rng.choices(CITIES, self.city_w)[0],
            timezone=rng.choice(ZONES),
            preferred_formats=tuple(self.some(FORMATS, [3, 1, 6, 2, 1], 1, 3)) if rng.random() < 0.6 else (),
            availability=tuple(windows),
            source="partner" if partner else "internal",
            partner_id=partner,
        )

    def candidates(self, role: ParticipantRole, n: int) -> list[Candidate]:
        out = []
        for _ in range(n):
            person = self.person(young=role is ParticipantRole.MENTOR)
            names = self.some(TOPICS, self.topic_w, 1, 7)
            topics = tuple(Topic(name, self.rng.choice((1, 2, 3, 3, 4, 5, 5))) for name in names)
            mentor = role is ParticipantRole.MENTOR
            enrollment = Enrollment(
                ORG,
                self.program.id,
                person.id,
                role,
                needs=() if mentor else topics,
                offers=topics if mentor else (),
                capacity=self.rng.choices((1, 2, 3), (75, 20, 5))[0] if mentor else 1,
            )
            out.append(Candidate(enrollment, person))
        return out

    def with_preferences(self, mentees: list[Candidate], mentors: list[Candidate]) -> tuple[list[Candidate], ...]:
        """A few likes (some returned) and passes, as a self-matching phase would leave them."""
        likes: dict[UUID, set[UUID]] = {c.id: set() for c in (*mentees, *mentors)}
        passes: dict[UUID, set[UUID]] = {c.id: set() for c in (*mentees, *mentors)}
        for mentee in self.rng.sample(mentees, len(mentees) // 5):
            mentor = self.rng.choice(mentors)
            likes[mentee.id].add(mentor.id)
            (likes if self.rng.random() < 0.5 else passes)[mentor.id].add(mentee.id)
        return tuple(
            [Candidate(c.enrollment, c.person, frozenset(likes[c.id]), frozenset(passes[c.id])) for c in side]
            for side in (mentees, mentors)
        )


def _return_freed_memory() -> None:
    """Serve every large block with its own mmap, so freed matrices leave the resident set at once.

    glibc otherwise raises its mmap threshold after frees and recycles big blocks from the heap,
    which would hide later steps' allocations from the peak-RSS measurement.
    """
    libc = ctypes.CDLL(ctypes.util.find_library("c"))
    libc.mallopt(-3, 1 << 20)  # M_MMAP_THRESHOLD: 1 MiB, fixed
    libc.mallopt(-1, 1 << 20)  # M_TRIM_THRESHOLD


def _reset_peak() -> int:
    """Reset the peak resident set; return the current one (bytes)."""
    Path("/proc/self/clear_refs").write_text("5")
    return _status("VmRSS")


def _status(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise LookupError(field)


def measure(step: Callable[[], Any]) -> tuple[Any, float, float]:
    """(result, seconds, peak memory growth in MB) of one step."""
    base = _reset_peak()
    start = time.perf_counter()
    result = step()
    seconds = time.perf_counter() - start
    return result, seconds, (_status("VmHWM") - base) / 2**20


def sparse_assign(scores: Any, ok: Any, capacities: Any) -> float:
    """The alternative solver (max total score): min-cost full matching on the feasible (mentee, slot)
    edges plus one "unmatched" dummy per mentee; returns the optimal total score."""
    n = scores.shape[0]
    slot = np.repeat(np.arange(scores.shape[1]), capacities)
    rows, cols = np.nonzero(ok[:, slot])
    ceiling = 2.0  # costs = ceiling - score >= 1: no edge of weight zero
    graph = csr_matrix(
        (
            np.concatenate([ceiling - scores[rows, slot[cols]], np.full(n, ceiling)]),
            (np.concatenate([rows, np.arange(n)]), np.concatenate([cols, slot.size + np.arange(n)])),
        ),
        shape=(n, slot.size + n),
    )
    row_ind, col_ind = min_weight_full_bipartite_matching(graph)
    real = col_ind < slot.size
    return float(scores[row_ind[real], slot[col_ind[real]]].sum())


def run(n_mentees: int, n_mentors: int, seed: int, objective: Objective, sparse: bool) -> str:
    profiles = Profiles(seed)
    mentees, mentors = profiles.with_preferences(
        profiles.candidates(ParticipantRole.MENTEE, n_mentees), profiles.candidates(ParticipantRole.MENTOR, n_mentors)
    )
    policy = MatchingPolicy(objective=objective)
    program = profiles.program

    (ok, scores), t_build, m_build = measure(
        lambda: (feasibility(program, mentees, mentors), score_matrix(mentees, mentors, policy.weights))
    )
    density = float(ok.mean())
    capacities = np.array([m.free_capacity for m in mentors], dtype=np.int64)
    pairs, t_solve, m_solve = measure(lambda: assign(scores, ok, capacities, objective))
    _, t_lsa, m_lsa = measure(lambda: linear_sum_assignment(scores, maximize=True))
    ours = sum(scores[i, j] for i, j in pairs)
    extra = ""
    if sparse:
        other, t_sparse, m_sparse = measure(lambda: sparse_assign(scores, ok, capacities))
        agree = "same optimum" if abs(other - ours) < 1e-6 else f"DIFFERENT OPTIMUM {other:.6f}"
        extra = f"\n    sparse min_weight_full_bipartite_matching: {t_sparse:.2f} s, {m_sparse:.0f} MB, {agree}"
    ok = scores = None  # free the matrices before the end-to-end run
    result, t_run, m_run = measure(lambda: match(program, mentees, mentors, policy))
    peak = _status("VmHWM") / 2**20
    assert abs(result.total_score - ours) < 1e-6 and len(result.proposals) == len(pairs)
    return (
        f"{n_mentees:>6,} x {n_mentors:<6,} {density:>5.0%} {t_build:>8.2f} {m_build:>7.0f}"
        f" {t_solve:>8.2f} {m_solve:>7.0f} {t_lsa:>8.2f} {m_lsa:>7.0f} {t_solve / t_lsa:>6.2f}"
        f" {t_run:>9.2f} {m_run:>7.0f} {peak:>8.0f} {len(pairs):>6,} {ours / max(len(pairs), 1):>5.3f}" + extra
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seed", type=int, default=2030)
    parser.add_argument("--objective", choices=[o.value for o in Objective], default=Objective.MAX_TOTAL_SCORE.value)
    parser.add_argument("--max-pairs", type=int, default=25_000_000, help="skip sizes with more mentee-mentor pairs")
    parser.add_argument("--sparse", action="store_true", help="also time the sparse alternative solver")
    args = parser.parse_args()
    _return_freed_memory()
    print(
        f"objective {args.objective}, seed {args.seed}. Per step: seconds and peak memory growth (MB).\n"
        "build = feasibility + score matrices; solve = exact assignment (capacity slots, constraints, objective);\n"
        "LSA = plain scipy linear_sum_assignment(scores, maximize=True) on the same matrix; ratio = solve / LSA;\n"
        "match() = the whole run (matrices, solve, explanations, reasons); RSS = peak resident set during it;\n"
        "feas = feasible share of all pairs; mean = mean score of the proposals.\n"
    )
    header = (
        f"{'mentees x mentors':<17} {'feas':>5} {'build s':>8} {'MB':>7} {'solve s':>8} {'MB':>7}"
        f" {'LSA s':>8} {'MB':>7} {'ratio':>6} {'match() s':>9} {'MB':>7} {'RSS MB':>8} {'pairs':>6} {'mean':>5}"
    )
    print(header)
    print("-" * len(header))
    for n_mentees, n_mentors in SIZES:
        if n_mentees * n_mentors <= args.max_pairs:
            print(run(n_mentees, n_mentors, args.seed, Objective(args.objective), args.sparse), flush=True)


if __name__ == "__main__":
    main()
