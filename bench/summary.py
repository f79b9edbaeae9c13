"""Prints the summary table of `make bench` from the JSON lines bench/run.sh collected.

    python3 bench/summary.py [--fail-on-no] target/bench/results.jsonl

With --fail-on-no (the full `make bench`), it exits 1 when a goal row says NO or has no figure
(a benchmark that did not run). Every ratio divides two figures measured in the same run; where a bench ran more than once
the median of its runs is used.
"""

from __future__ import annotations

import json
import statistics
import sys
from collections import defaultdict
from typing import Dict, List, Optional


def load(path: str) -> Dict[str, List[dict]]:
    runs: Dict[str, List[dict]] = defaultdict(list)
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                row = json.loads(line)
                runs[row["bench"]].append(row)
    return runs


def med(runs: Dict[str, List[dict]], bench: str, key: str) -> Optional[float]:
    values = [r[key] for r in runs.get(bench, []) if key in r]
    return statistics.median(values) if values else None


def fmt(v: Optional[float], unit: str = "") -> str:
    if v is None:
        return "-"
    if abs(v) >= 100:
        return f"{v:,.0f}{unit}"
    return f"{v:.2f}{unit}"


def main() -> int:
    args = sys.argv[1:]
    fail_on_no = "--fail-on-no" in args
    args = [a for a in args if a != "--fail-on-no"]
    runs = load(args[0])
    rows: List[tuple] = []

    def ratio(what: str, num: str, den: str, key: str, goal: float, unit: str = "calls/s") -> None:
        a, b = med(runs, num, key), med(runs, den, key)
        r = a / b if a and b else None
        ok = "-" if r is None else ("yes" if r >= goal else "NO")
        rows.append((what, f"{fmt(a)} vs {fmt(b)} {unit}", fmt(r, "x"), f">= {goal}x", ok))

    ratio("Python sync Client vs requests.Session (1 in flight)", "python-sync-c1", "python-requests-c1", "calls_per_sec", 5)
    ratio("Rust async Client vs bare reqwest, 1 in flight", "rust-async-c1", "reqwest-c1", "calls_per_sec", 0.85)
    ratio("Rust async Client vs bare reqwest, 16 in flight", "rust-async-c16", "reqwest-c16", "calls_per_sec", 0.85)
    ratio("Rust BlockingClient vs bare reqwest, 1 in flight", "rust-blocking-c1", "reqwest-c1", "calls_per_sec", 0.85)
    ratio("C through the ABI vs Rust async Client, 1 in flight", "c-sync-c1", "rust-async-c1", "calls_per_sec", 0.9)
    ratio("Python asyncio (16 in flight) vs Python sync", "python-async-c16", "python-sync-c1", "calls_per_sec", 3)
    ratio("generate_usersig from Python vs official TLSSigAPIv2", "python-sign-timadmin", "python-sign-official", "per_sec", 20, "tokens/s")
    ratio("core Signer::sign vs fresh encoder at zlib default", "rust-sign-core", "rust-sign-naive-level6", "per_sec", 1, "tokens/s")

    sign = med(runs, "rust-sign-core", "per_sec")
    rows.append(("core Signer::sign throughput (one core)", f"{fmt(sign)} tokens/s", "-", ">= 500,000/s",
                 "-" if sign is None else ("yes" if sign >= 500_000 else "NO")))
    verify = med(runs, "rust-verify-core", "us_each")
    rows.append(("core verify", f"{fmt(verify)} us each", "-", "-", "-"))

    for bench in sorted((b for b in runs if b.startswith("limiter-")), key=lambda b: float(b.split("-")[1])):
        rate = float(bench.split("-")[1])
        for row in runs[bench]:
            off = row["seconds"] / row["expected_seconds"] - 1
            within = abs(off) <= 0.02 and row["worst_1s_window"] <= rate
            rows.append((f"limiter at {rate:.0f}/s: {row['calls']} calls",
                         f"{row['seconds']:.3f} s (expected {row['expected_seconds']:.3f} s), worst 1 s window {row['worst_1s_window']}",
                         f"{1 + off:.3f}x time", "within 2%, never over", "yes" if within else "NO"))

    for bench in sorted(b for b in runs if b.startswith("stall-window-")):
        for row in runs[bench]:
            ratio_to_ideal = row["seconds"] / row["ideal_seconds"]
            never_over = row["worst_1s_window"] <= row["rate"] and row["failed"] == 0
            rows.append((f"stall: {row['calls']} asyncio calls at {row['rate']}/s, first {row['stalled']} {row['stall_seconds']:g} s late",
                         f"worst 1 s window {row['worst_1s_window']}, {row['seconds']:.2f} s (ideal {row['ideal_seconds']:.2f} s)",
                         f"{ratio_to_ideal:.3f}x time", "never over, within 3%",
                         "yes" if never_over and abs(ratio_to_ideal - 1) <= 0.03 else "NO"))

    for bench in sorted(b for b in runs if b.startswith("bulk-modify-")):
        for row in runs[bench]:
            good = (row["ratio"] <= 1.03 and row["failed"] == 0 and row["modified"] == row["calls"]
                    and row["modified_more_than_once"] == 0 and row["worst_1s_window"] <= row["rate"])
            rows.append((f"bulk job: timadmin modify --from, {row['calls']} groups at {row['rate']}/s",
                         f"{row['seconds']:.2f} s (ideal {row['ideal_seconds']:.2f} s), {row['failed']} failed, "
                         f"{row['modified']} modified once, worst 1 s window {row['worst_1s_window']}",
                         f"{row['ratio']:.3f}x time", "<= 1.03x", "yes" if good else "NO"))

    paging = {r["members"]: r for rs in runs.values() for r in rs if r["bench"].startswith("paging-")}
    if len(paging) >= 2:
        small, big = min(paging), max(paging)
        s, b = paging[small], paging[big]
        growth = b["peak_rss_kib"] / s["peak_rss_kib"]
        rows.append((f"paging {big:,} members vs {small:,}",
                     f"{b['seconds']:.2f} s, {b['calls']} calls, peak RSS {b['peak_rss_kib'] / 1024:.1f} MiB vs {s['peak_rss_kib'] / 1024:.1f} MiB",
                     f"{growth:.2f}x RSS", "flat (<= 1.25x)", "yes" if growth <= 1.25 else "NO"))

    detail = [
        ("reqwest-c1", "bare reqwest, 1 in flight"), ("rust-async-c1", "Rust async, 1 in flight"),
        ("rust-blocking-c1", "Rust blocking, 1 in flight"), ("c-sync-c1", "C ABI, 1 in flight"),
        ("reqwest-c16", "bare reqwest, 16 in flight"), ("rust-async-c16", "Rust async, 16 in flight"),
        ("python-requests-c1", "requests.Session, 1 in flight"), ("python-sync-c1", "Python sync, 1 in flight"),
        ("python-async-c16", "Python asyncio, 16 in flight"),
    ]
    widths = [max(len(str(r[i])) for r in rows + [("what", "figures", "ratio", "goal", "met")]) for i in range(5)]
    line = lambda r: " | ".join(str(c).ljust(w) for c, w in zip(r, widths))  # noqa: E731
    print(line(("what", "figures", "ratio", "goal", "met")))
    print("-+-".join("-" * w for w in widths))
    for r in rows:
        print(line(r))
    print()
    print("calls (median of runs):")
    for bench, label in detail:
        cps, p50, p99 = (med(runs, bench, k) for k in ("calls_per_sec", "p50_us", "p99_us"))
        if cps is not None:
            print(f"  {label:34} {cps:>10,.0f} calls/s   p50 {p50:>6,.0f} us   p99 {p99:>6,.0f} us")
    # A row with a goal is missed when it says NO, or has no figure (its benchmark did not run).
    missed = [r[0] for r in rows if r[3] != "-" and r[4] != "yes"]
    if fail_on_no and missed:
        print(f"\ngoals missed or not measured: {', '.join(missed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
