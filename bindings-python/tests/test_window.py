"""The rate limit holds through a server stall, in real time: 1,000 calls gathered on one
AsyncClient at rate_limit=200, the emulator answering the first 64 two seconds late. The
emulator counts what it received (arrival stamps taken before the injected delay) in every
sliding one-second window; none may hold more than the rate."""

from __future__ import annotations

import asyncio
import json
import urllib.request
from typing import Any, Dict, List

import timadmin
from timadmin.testing import Emulator

from conftest import PUBLIC

RATE = 200
CALLS = 1000
IN_FLIGHT = 64
COMMAND = "get_group_muted_account"


def stats(emu: Emulator) -> Dict[str, Any]:
    """The emulator's traffic figures since its call log was cleared (``/__emulator/stats``)."""
    with urllib.request.urlopen(emu.base_url + "/__emulator/stats", timeout=10) as r:
        figures: Dict[str, Any] = json.load(r)
    return figures


def test_server_stall_never_puts_more_than_the_rate_in_a_second(emu: Emulator) -> None:
    emu.inject_fault("delay", delay=2.0, times=IN_FLIGHT)
    client = emu.async_client(rate_limit=RATE, max_retries=0, max_in_flight=IN_FLIGHT)

    async def main() -> List[Any]:
        calls = [client.get_group_muted_account(PUBLIC) for _ in range(CALLS)]
        return await asyncio.gather(*calls, return_exceptions=True)

    try:
        results = asyncio.run(main())
    finally:
        client.close()
    failures = [r for r in results if isinstance(r, BaseException)]
    assert all(isinstance(e, timadmin.TimError) for e in failures), failures[:3]
    assert failures == []
    figures = stats(emu)
    print(f"server stall (Python asyncio): {figures}")
    assert figures["calls"] == CALLS
    assert figures["busiest_second"][COMMAND] <= RATE, figures
    # The stall filled every in-flight slot, and never more.
    assert figures["peak_in_flight"] == IN_FLIGHT, figures
