"""The Python side of `make bench`: timadmin from Python against its baselines, run in the same
process and minute. Prints one JSON line per measurement.

    python bench/bench_python.py BASE_URL [SECONDS]

- sync ``timadmin.Client`` sequential calls vs a ``requests.Session`` POST of the same URL and
  body (the fixed-response server at BASE_URL);
- ``timadmin.AsyncClient`` with 16 calls in flight vs the sync client;
- ``timadmin.generate_usersig`` vs the official ``TLSSigAPIv2`` package from PyPI.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time
from typing import Callable, List

import requests
import TLSSigAPIv2

import timadmin

SDKAPPID = 1400000000
KEY = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e"
GROUP = "@TGS#2DEMOPUB"


def report(bench: str, samples_us: List[float], seconds: float) -> None:
    samples_us.sort()
    pct = lambda p: samples_us[round((len(samples_us) - 1) * p)] if samples_us else 0  # noqa: E731
    print(json.dumps({
        "bench": bench,
        "calls": len(samples_us),
        "calls_per_sec": len(samples_us) / seconds,
        "p50_us": round(pct(0.5)),
        "p99_us": round(pct(0.99)),
    }), flush=True)


def timed_loop(call: Callable[[], object], seconds: float) -> List[float]:
    """Calls `call` for a quarter of `seconds` (warm-up), then for `seconds`, timing each."""
    end_warmup = time.perf_counter() + seconds / 4
    while time.perf_counter() < end_warmup:
        call()
    samples: List[float] = []
    end = time.perf_counter() + seconds
    while True:
        t0 = time.perf_counter()
        call()
        t1 = time.perf_counter()
        if t1 > end:
            return samples
        samples.append((t1 - t0) * 1e6)


def bench_calls(base_url: str, seconds: float) -> None:
    usersig = timadmin.generate_usersig(SDKAPPID, KEY, "administrator", 86400)
    url = f"{base_url}/v4/group_open_http_svc/get_group_muted_account"
    body = json.dumps({"GroupId": GROUP})
    session = requests.Session()
    counter = [0]

    def with_requests() -> object:
        counter[0] += 1
        params = {"sdkappid": SDKAPPID, "identifier": "administrator", "usersig": usersig,
                  "random": counter[0], "contenttype": "json"}
        response = session.post(url, params=params, data=body, headers={"Content-Type": "application/json"})
        return response.json()

    client = timadmin.Client(SDKAPPID, secret_key=KEY, base_url=base_url, rate_limit=None, max_retries=0)

    def with_timadmin() -> object:
        return client.get_group_muted_account(GROUP)

    # Interleave the two so both see the same machine load.
    for _ in range(2):
        report("python-requests-c1", timed_loop(with_requests, seconds), seconds)
        report("python-sync-c1", timed_loop(with_timadmin, seconds), seconds)

    async def async_run() -> None:
        aclient = timadmin.AsyncClient(SDKAPPID, secret_key=KEY, base_url=base_url, rate_limit=None, max_retries=0)
        samples: List[float] = []
        stop = time.perf_counter() + seconds / 4 + seconds
        warm = time.perf_counter() + seconds / 4

        async def worker() -> None:
            while True:
                t0 = time.perf_counter()
                await aclient.get_group_muted_account(GROUP)
                t1 = time.perf_counter()
                if t1 > stop:
                    return
                if t0 >= warm:
                    samples.append((t1 - t0) * 1e6)

        await asyncio.gather(*(worker() for _ in range(16)))
        report("python-async-c16", samples, seconds)

    asyncio.run(async_run())
    report("python-sync-c1", timed_loop(with_timadmin, seconds), seconds)
    client.close()


def bench_signing(seconds: float) -> None:
    official = TLSSigAPIv2.TLSSigAPIv2(SDKAPPID, KEY)
    for name, sign in (
        ("python-sign-official", lambda: official.gen_sig("user_0001", 86400)),
        ("python-sign-timadmin", lambda: timadmin.generate_usersig(SDKAPPID, KEY, "user_0001", 86400)),
    ):
        n = 0
        end = time.perf_counter() + seconds
        t0 = time.perf_counter()
        while time.perf_counter() < end:
            for _ in range(100):
                sign()
            n += 100
        elapsed = time.perf_counter() - t0
        print(json.dumps({"bench": name, "per_sec": n / elapsed, "us_each": elapsed / n * 1e6}), flush=True)


def main() -> None:
    base_url = sys.argv[1]
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 3.0
    bench_calls(base_url, seconds)
    bench_signing(seconds)
    _ = statistics  # keep the import for ad-hoc analysis


if __name__ == "__main__":
    main()
