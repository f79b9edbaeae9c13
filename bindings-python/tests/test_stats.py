"""Per-client stats (``Client.stats()``, ``AsyncClient.stats()``): the core's document, counted
against the emulator."""

from __future__ import annotations

import asyncio
import threading
from typing import Any, Dict

import pytest

import timadmin
from timadmin.testing import Emulator

from conftest import PUBLIC

MISSING = "@TGS#_nobody_here"


def _check_latency(command: Dict[str, Any]) -> None:
    latency = command["latency_ms"]
    assert 0 < latency["p50"] <= latency["p99"] <= latency["max"], latency


def test_stats_count_calls_errors_and_retries(emu: Emulator) -> None:
    with emu.client(rate_limit=None, max_retries=2) as c:
        assert c.stats() == {"commands": {}, "in_flight": 0, "peak_in_flight": 0}
        for _ in range(3):
            c.get_group_member_info(PUBLIC)
        with pytest.raises(timadmin.GroupNotFoundError):
            c.get_group_member_info(MISSING)
        emu.inject_fault("http_status", status=502, command="get_group_muted_account")
        c.get_group_muted_account(PUBLIC)
        stats = c.stats()
    info = stats["commands"]["get_group_member_info"]
    assert (info["calls"], info["ok"], info["retries"]) == (4, 3, 0)
    assert info["errors"] == {"group_not_found": 1}
    muted = stats["commands"]["get_group_muted_account"]
    assert (muted["calls"], muted["ok"], muted["retries"], muted["errors"]) == (1, 1, 1, {})
    for command in (info, muted):
        _check_latency(command)
        # No rate limit configured: no wait to count.
        assert command["rate_limit_wait_ms"] == {"total": 0, "max": 0}
    assert stats["in_flight"] == 0 and stats["peak_in_flight"] >= 1


def test_async_stats_show_concurrency(emu: Emulator) -> None:
    c = emu.async_client(rate_limit=None, max_retries=0)

    async def main() -> None:
        # Slow answers, so that the calls overlap however loaded the machine is.
        emu.inject_fault("delay", delay=0.3, times=4)
        await asyncio.gather(*(c.get_group_muted_account(PUBLIC) for _ in range(4)))
        with pytest.raises(timadmin.GroupNotFoundError):
            await c.get_group_member_info(MISSING)

    try:
        asyncio.run(main())
        stats = c.stats()
    finally:
        c.close()
    muted = stats["commands"]["get_group_muted_account"]
    assert (muted["calls"], muted["ok"], muted["errors"]) == (4, 4, {})
    _check_latency(muted)
    assert muted["latency_ms"]["p50"] >= 300
    assert stats["commands"]["get_group_member_info"]["errors"] == {"group_not_found": 1}
    assert stats["peak_in_flight"] >= 2 and stats["in_flight"] == 0


def test_rate_limit_waits_are_timed(emu: Emulator) -> None:
    # Five a second: four calls at once leave 200 ms apart.
    with emu.client(rate_limit=5.0, max_retries=0) as c:
        threads = [threading.Thread(target=c.get_group_member_info, args=(PUBLIC,)) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wait = c.stats()["commands"]["get_group_member_info"]["rate_limit_wait_ms"]
    assert wait["max"] >= 200 and wait["total"] >= wait["max"], wait


def test_closed_clients_have_no_stats(emu: Emulator) -> None:
    c = emu.client()
    c.close()
    with pytest.raises(timadmin.TimError):
        c.stats()
