"""100,000 calls from Python's sync client against the emulator (a separate process), with RSS
sampled every 10,000 calls: the client's memory must stay flat.

Usage: python memcheck.py BASE_URL SDKAPPID KEY [CALLS]   (see tests/memcheck.sh)
"""

from __future__ import annotations

import sys
import time

import timadmin


def rss_kib() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main() -> int:
    base_url, sdkappid, key = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    calls = int(sys.argv[4]) if len(sys.argv) > 4 else 100_000
    with timadmin.Client(sdkappid, secret_key=key, base_url=base_url, rate_limit=None, max_retries=0) as client:

        def one(i: int) -> None:
            # A mix: a page of full member profiles, the muted list, and a service error.
            if i % 10 == 9:
                try:
                    client.get_group_member_info("@TGS#2NOSUCH")
                except timadmin.GroupNotFoundError:
                    pass
            elif i % 2 == 0:
                assert client.get_group_member_info("@TGS#2DEMOPUB").member_num == 5
            else:
                assert len(client.get_group_muted_account("@TGS#2DEMOPUB").muted_account_list) == 2

        for i in range(2_000):  # warm-up: pools, caches, the allocator's arenas
            one(i)
        start = rss_kib()
        samples = []
        began = time.monotonic()
        for i in range(calls):
            one(i)
            if (i + 1) % 10_000 == 0:
                samples.append(rss_kib())
        elapsed = time.monotonic() - began
    end = samples[-1]
    print(
        f"MEMCHECK python: {calls} calls in {elapsed:.0f} s; RSS start {start / 1024:.1f} MiB, "
        f"end {end / 1024:.1f} MiB, max {max(samples) / 1024:.1f} MiB; every 10,000 calls (MiB): "
        + " ".join(f"{s / 1024:.1f}" for s in samples)
    )
    return 0 if end - start < 8 * 1024 else 1


if __name__ == "__main__":
    sys.exit(main())
