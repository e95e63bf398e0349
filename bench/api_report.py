"""The table, the ratios against their targets, and the comparison with the previous run."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Any

SPREAD_WARNING = 0.15


def medians(rounds: list[dict[str, Any]]) -> dict[str, float]:
    return {k: statistics.median(r[k] for r in rounds) for k in ("requests", "rps", "p50_ms", "p99_ms")}


def spread(rounds: list[dict[str, Any]]) -> float:
    """(max - min) / median of req/s across rounds."""
    values = [r["rps"] for r in rounds]
    middle = statistics.median(values)
    return (max(values) - min(values)) / middle if middle else 0.0


@dataclass(frozen=True)
class Goal:
    name: str
    description: str
    limit: float
    at_least: bool  # value >= limit; else value <= limit
    stretch: float | None = None
    exact: bool = False

    def verdict(self, value: float | None) -> str:
        if value is None:
            return "n/a"
        if self.exact:
            ok = abs(value - self.limit) < 1e-9
        else:
            ok = value >= self.limit if self.at_least else value <= self.limit
        if not ok:
            return "MISSED"
        if self.stretch is not None and value >= self.stretch:
            return "met (stretch too)"
        return "met"

    def target(self) -> str:
        if self.exact:
            return f"= {self.limit:g}"
        text = f"{'>=' if self.at_least else '<='} {self.limit:g}"
        return text + (f" (stretch {self.stretch:g})" if self.stretch is not None else "")


RATIOS = (
    # name, endpoint, its baseline, goal
    ("R_db", "rest_get", "bare_get", Goal("R_db", "GET tandem / bare PK read", 0.5, True, stretch=0.6)),
    ("R_list", "rest_list", "bare_list", Goal("R_list", "GET list (50) / bare 50-row read", 0.4, True)),
    ("R_gql", "gql_tandem", "rest_get", Goal("R_gql", "GraphQL tandem / REST GET", 0.6, True)),
    ("R_gql_nested", "gql_nested", "rest_list", Goal("R_gql_nested", "nested GraphQL (50) / REST list", 0.3, True)),
    ("R_write", "rest_schedule", "bare_insert", Goal("R_write", "schedule a session / bare INSERT", 0.3, True)),
)


def ratio(results: dict[str, Any], key: str, baseline: str) -> float | None:
    a, b = results.get(key), results.get(baseline)
    if not a or not b or not b["median"]["rps"]:
        return None
    return float(a["median"]["rps"] / b["median"]["rps"])


def goals(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Every target with its value and verdict."""
    rows: list[dict[str, Any]] = []
    for name, key, baseline, goal in RATIOS:
        rows.append(_row(goal, ratio(results, key, baseline), name))
    get = results.get("rest_get")
    if get:
        connections = get["connections"]
        p = get["median"]
        tail_goal = Goal("p99/p50", f"GET tandem p99 / p50 at c{connections}", 3.0, False)
        rows.append(_row(tail_goal, p["p99_ms"] / p["p50_ms"] if p["p50_ms"] else None, "p99_over_p50"))
    for key, what in (("rest_get", "GET tandem"), ("rest_list", "GET list")):
        found = results.get(key, {})
        rows.append(_row(Goal("stmts", f"{what}: SQL statements", 3, False), found.get("statements"), f"{key}_stmts"))
        rows.append(
            _row(Goal("tx", f"{what}: transactions", 1, False, exact=True), found.get("transactions"), f"{key}_tx")
        )
    nested = results.get("gql_nested", {})
    rows.append(_row(Goal("stmts", "nested GraphQL: SQL statements", 6, False), nested.get("statements"), "gql_stmts"))
    return rows


def _row(goal: Goal, value: float | None, key: str) -> dict[str, Any]:
    return {
        "key": key,
        "description": goal.description,
        "value": value,
        "target": goal.target(),
        "verdict": goal.verdict(value),
    }


def _num(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _rate(rps: float) -> str:
    return f"{rps:.0f}" if rps >= 100 else f"{rps:.1f}"


def table(results: dict[str, Any], labels: dict[str, str], baselines: dict[str, str | None]) -> list[str]:
    header = (
        f"{'endpoint':<52} {'conns':>5} {'n':>6} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}"
        f" {'ratio':>6} {'to':<10} {'stmts/req':>9} {'tx/req':>6}"
    )
    lines = [header, "-" * len(header)]  # n: requests answered in a round (median)
    for key, found in results.items():
        m = found["median"]
        baseline = baselines.get(key)
        r = ratio(results, key, baseline) if baseline else None
        counted = found.get("counted", False)
        stmts = _num(found.get("statements"), 1) if counted else "-"
        tx = _num(found.get("transactions"), 1) if counted else "-"
        lines.append(
            f"{labels[key]:<52} {found['connections']:>5} {m['requests']:>6.0f} {_rate(m['rps']):>8}"
            f" {m['p50_ms']:>8.1f} {m['p99_ms']:>8.1f}"
            f" {_num(r) if baseline else '-':>6} {baseline or '':<10} {stmts:>9} {tx:>6}"
        )
    return lines


def goal_lines(rows: list[dict[str, Any]]) -> list[str]:
    lines = []
    for row in rows:
        value = row["value"]
        lines.append(f"  {row['description']:<44} {_num(value):>7}   target {row['target']:<20} {row['verdict']}")
    return lines


def deltas(current: dict[str, Any], previous: dict[str, Any]) -> list[str]:
    """Changes of req/s, p50, p99 and the ratios against a previous result file."""
    lines = [f"compared with the previous run ({previous.get('finished_at', '?')}):"]
    keys = ("size", "seconds", "connections", "list_connections", "database")
    old_config, new_config = previous.get("config", {}), current.get("config", {})
    changed = [k for k in keys if old_config.get(k) != new_config.get(k)]
    if changed:
        lines.append(f"  (not like for like: {', '.join(changed)} changed)")
    before = previous.get("endpoints", {})
    for key, found in current["endpoints"].items():
        old = before.get(key)
        if not old:
            continue
        now, then = found["median"], old["median"]
        parts = []
        for metric, unit in (("rps", "req/s"), ("p50_ms", "p50 ms"), ("p99_ms", "p99 ms")):
            change = (now[metric] - then[metric]) / then[metric] * 100 if then[metric] else 0.0
            parts.append(f"{unit} {then[metric]:.1f} -> {now[metric]:.1f} ({change:+.0f} %)")
        lines.append(f"  {found['label']:<52} " + ", ".join(parts))
    old_goals = {g["key"]: g for g in previous.get("goals", [])}
    for row in current["goals"]:
        old = old_goals.get(row["key"])
        if old and old.get("value") is not None and row["value"] is not None:
            lines.append(f"  {row['description']:<52} {old['value']:.2f} -> {row['value']:.2f}")
    return lines
