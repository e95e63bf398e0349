"""Codes of matching: policies, runs, pinned pairs and the hard constraints of a pair."""

from __future__ import annotations

from app.domain.error_catalog.entry import ErrorCode, Feature, Reach
from app.domain.errors import Conflict, InvalidTransition, NotFound, RuleViolation

MATCHING = Feature(
    "matching",
    "Matching policies, matching runs, pinned pairs and the hard constraints on a pair.",
    (
        ErrorCode(
            "matching_run_not_found", NotFound, "Matching run not found", "No such matching run in this program."
        ),
        ErrorCode(
            "matching_run_invalid_transition",
            InvalidTransition,
            "Matching run transition not allowed",
            "The run's life cycle does not allow this step from its current status; a job meets it.",
            Reach.IN_RESULTS,
        ),
        ErrorCode(
            "matching_run_not_running",
            InvalidTransition,
            "Matching run not running",
            "Only a running run reports progress; a job meets it.",
            Reach.IN_RESULTS,
        ),
        ErrorCode(
            "matching_run_not_completed",
            InvalidTransition,
            "Matching run not completed",
            "Only a completed run's proposals can be accepted.",
        ),
        ErrorCode("invalid_policy", RuleViolation, "Invalid policy", "A matching policy value is out of its range."),
        ErrorCode("pinned_twice", RuleViolation, "Mentee pinned twice", "A mentee may be pinned to one mentor only."),
        ErrorCode(
            "pinned_unknown",
            RuleViolation,
            "Unknown pinned participant",
            "A pinned pair names someone who is not a mentor or mentee of this program.",
        ),
        ErrorCode("proposal_unknown", RuleViolation, "Unknown proposal", "The run has no proposal with this index."),
        ErrorCode(
            "no_shared_language",
            RuleViolation,
            "No shared language",
            "A pinned pair shares no language, so the run cannot propose it.",
            Reach.IN_RESULTS,
        ),
        ErrorCode(
            "passed", Conflict, "Passed", "One side passed on the other; the pair is excluded whoever proposes it."
        ),
        ErrorCode(
            "pair_excluded",
            Conflict,
            "Pair excluded",
            "The two were dissolved with `never_pair_again`; they are never paired again.",
        ),
    ),
)
