"""What the emulator saw of a fleet: reads its call log (``GET /__emulator/calls`` as JSON) and
reports, per phase of the run, the calls, the 60007 answers, the aggregate rate and the worst
one-second window. Used by tests/fleet/test.sh (with checks) and bench/fleet.sh.

    calls.py CALLS_JSON [--phase NAME START END]... [--check NAME MIN_RATE MAX_WINDOW]... [--json]

START and END are Unix milliseconds or one of: ``first`` (the first call), ``last`` (just after
the last call), ``all-started`` (the first call of the last process to start), ``first-finish``
(just after the last call of the first process to finish); processes are told apart by the
identifier they call as.

A phase's rate is its calls of ``get_group_member_info`` divided by its length; its worst
window is the most of those calls in any one-second window [t, t + 1 s) inside the phase (t a
call's arrival, in the emulator's milliseconds). The ``run`` phase covers everything, so its
worst window includes the switches between phases; ``all-active`` (from ``all-started`` to
``first-finish``) is added on its own.
"""

from __future__ import annotations

import argparse
import bisect
import json
import sys
from typing import Any

COMMAND = "get_group_member_info"


def load(path: str) -> list[dict[str, Any]]:
    with open(path) as f:
        calls: list[dict[str, Any]] = json.load(f)
    return sorted((c for c in calls if c["command"] == COMMAND), key=lambda c: c["timestamp_ms"])


def worst_window(stamps: list[int], start: int, end: int) -> int:
    """The most calls in any one-second window [t, t + 1000) lying inside [start, end), t a call."""
    inside = [t for t in stamps if start <= t < end]
    if end - start < 1000:
        return len(inside)
    return max(
        (bisect.bisect_left(inside, t + 1000) - i for i, t in enumerate(inside) if t + 1000 <= end),
        default=0,
    )


def summary(calls: list[dict[str, Any]], start: int, end: int) -> dict[str, Any]:
    inside = [c for c in calls if start <= c["timestamp_ms"] < end]
    seconds = max((end - start) / 1000.0, 1e-9)
    return {
        "calls": len(inside),
        "60007": sum(1 for c in inside if c.get("error_code") == 60007),
        "seconds": round(seconds, 2),
        "rate": round(len(inside) / seconds, 1),
        "worst_1s": worst_window([c["timestamp_ms"] for c in calls], start, end),
        "per_process": {ident: sum(1 for c in inside if str(c.get("identifier")) == ident)
                        for ident in sorted({str(c.get("identifier")) for c in inside})},
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("calls")
    parser.add_argument("--phase", nargs=3, action="append", default=[], metavar=("NAME", "START", "END"))
    parser.add_argument("--check", nargs=3, action="append", default=[], metavar=("NAME", "MIN_RATE", "MAX_WINDOW"))
    parser.add_argument("--json", action="store_true", help="print the summaries as one JSON object")
    args = parser.parse_args()
    calls = load(args.calls)
    if not calls:
        print("no calls in the log", file=sys.stderr)
        return 1
    first, last = calls[0]["timestamp_ms"], calls[-1]["timestamp_ms"] + 1
    phases: dict[str, tuple[int, int]] = {"run": (first, last)}
    by_process: dict[str, list[int]] = {}
    for c in calls:
        by_process.setdefault(str(c.get("identifier")), []).append(c["timestamp_ms"])
    all_active = (max(s[0] for s in by_process.values()), min(s[-1] for s in by_process.values()) + 1)
    if all_active[1] > all_active[0]:
        phases["all-active"] = all_active
    marks = {
        "first": first,
        "last": last,
        "all-started": all_active[0],
        "first-finish": all_active[1],
    }
    for name, start, end in args.phase:
        phases[name] = (marks[start] if start in marks else int(start), marks[end] if end in marks else int(end))
    report = {name: summary(calls, start, end) for name, (start, end) in phases.items()}
    report["run"]["processes"] = len(by_process)
    if args.json:
        print(json.dumps(report))
    else:
        print(f"{'phase':<14}{'calls':>7}{'60007':>7}{'seconds':>9}{'calls/s':>9}{'worst 1s':>10}  per process")
        for name, s in report.items():
            print(f"{name:<14}{s['calls']:>7}{s['60007']:>7}{s['seconds']:>9.2f}{s['rate']:>9.1f}{s['worst_1s']:>10}  "
                  + " ".join(f"{k}={v}" for k, v in s["per_process"].items()))
    failures = []
    for name, min_rate, max_window in args.check:
        s = report.get(name)
        if s is None:
            failures.append(f"{name}: no such phase")
            continue
        if s["rate"] < float(min_rate):
            failures.append(f"{name}: {s['rate']} calls/s < {min_rate}")
        if s["worst_1s"] > int(max_window):
            failures.append(f"{name}: worst one-second window {s['worst_1s']} > {max_window}")
    total_limited = report["run"]["60007"]
    if args.check and total_limited:
        failures.append(f"the emulator answered 60007 {total_limited} times")
    for f in failures:
        print("CHECK FAILED: " + f, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
