"""The "Done means" stall scenario of issue 18, measured: one AsyncClient at rate_limit=200,
1,200 calls gathered in asyncio, the emulator answering the first 64 of them 3 s late.

    python bench/stall_window.py [--calls 1200] [--rate 200] [--stalled 64] [--stall 3]

Prints one JSON line: the busiest sliding one-second window of arrivals at the emulator (must be
<= rate), the total time and the ideal (calls / rate + the stall). Arrivals are the emulator's
own stamps, taken when a request arrives (before an injected delay). Run by bench/run.sh.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
import urllib.error
import urllib.request
from typing import List

import timadmin
from timadmin.testing import Emulator

GROUP = "@TGS#2STALLBENCH"


def busiest_second(stamps_us: List[int]) -> int:
    """The most arrivals in any half-open window [t, t + 1 s)."""
    stamps = sorted(stamps_us)
    best, lo = 0, 0
    for hi, t in enumerate(stamps):
        while stamps[lo] <= t - 1_000_000:
            lo += 1
        best = max(best, hi - lo + 1)
    return best


def worst_window(emu: Emulator, command: str) -> int:
    """The emulator's own count (``/__emulator/stats``, microsecond arrival stamps); before
    issue 18 there was none, and the call log's millisecond stamps are counted here."""
    try:
        with urllib.request.urlopen(emu.base_url + "/__emulator/stats", timeout=10) as r:
            return int(json.load(r)["busiest_second"][command])
    except urllib.error.HTTPError:
        log = [c for c in emu.calls() if c["command"] == command]
        return busiest_second([int(c["timestamp_ms"]) * 1000 for c in log])


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--calls", type=int, default=1200)
    p.add_argument("--rate", type=int, default=200)
    p.add_argument("--stalled", type=int, default=64)
    p.add_argument("--stall", type=float, default=3.0)
    args = p.parse_args()

    with Emulator(rate_limit=None) as emu:
        emu.generate_group("Public", GROUP, 10)
        emu.clear_calls()
        emu.inject_fault("delay", times=args.stalled, delay=args.stall)
        client = emu.async_client(rate_limit=args.rate, max_retries=0)

        async def run() -> List[object]:
            calls = [client.get_group_muted_account(GROUP) for _ in range(args.calls)]
            return await asyncio.gather(*calls, return_exceptions=True)

        start = time.perf_counter()
        results = asyncio.run(run())
        seconds = time.perf_counter() - start
        client.close()
        log = [c for c in emu.calls() if c["command"] == "get_group_muted_account"]
        worst = worst_window(emu, "get_group_muted_account")
    failed = [r for r in results if isinstance(r, BaseException)]
    ideal = args.calls / args.rate + args.stall
    print(json.dumps({
        "bench": f"stall-window-{args.rate}",
        "calls": args.calls,
        "rate": args.rate,
        "stalled": args.stalled,
        "stall_seconds": args.stall,
        "received": len(log),
        "failed": len(failed),
        "typed_failures": all(isinstance(e, timadmin.TimError) for e in failed),
        "worst_1s_window": worst,
        "seconds": round(seconds, 3),
        "ideal_seconds": ideal,
    }))


if __name__ == "__main__":
    main()
