"""The rate limit shared by a fleet through Redis: constructor keywords, ``TIM_*`` variables, the
fallback when Redis is unreachable, ``RateLimiterUnavailableError``, and that the Redis password
never shows. Runs a real ``redis-server`` (``bindings-python/test.sh`` installs it)."""

from __future__ import annotations

import asyncio
import logging
import shutil
import socket
import subprocess
import tempfile
import time
from typing import Iterator

import pytest

import timadmin
from timadmin.testing import Emulator

from conftest import BIG_COMMUNITY, BIG_MEMBERS, PUBLIC

PASSWORD = "py-fleet-pw-7"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def redis_command(port: int, line: str) -> str:
    """One inline command (after AUTH), the raw reply."""
    with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
        s.sendall(f"AUTH {PASSWORD}\r\n{line}\r\n".encode())
        time.sleep(0.05)
        return s.recv(65536).decode(errors="replace")


def scripts_run(port: int) -> int:
    """How many GCRA scripts Redis ran (EVALSHA, or EVAL after NOSCRIPT): one per permit."""
    total = 0
    for line in redis_command(port, "INFO commandstats").splitlines():
        if line.startswith(("cmdstat_evalsha:", "cmdstat_eval:")):
            total += int(line.split("calls=")[1].split(",")[0])
    return total


@pytest.fixture(scope="module")
def redis_port() -> Iterator[int]:
    """A password-protected redis-server on a free loopback port, without persistence."""
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is not installed (apt-get install redis-server; bindings-python/test.sh does)")
    port = free_port()
    proc = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--requirepass", PASSWORD, "--loglevel", "warning", "--dir", tempfile.gettempdir()],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                if "+PONG" in redis_command(port, "PING"):
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
        yield port
    finally:
        proc.kill()
        proc.wait()


def url(port: int) -> str:
    return f"redis://:{PASSWORD}@127.0.0.1:{port}/0"


def test_constants() -> None:
    assert timadmin.DEFAULT_FLEET_SIZE == 1
    assert timadmin.DEFAULT_REDIS_FALLBACK == "local-share"


def test_sync_client_shares_through_redis(emu: Emulator, redis_port: int) -> None:
    before = scripts_run(redis_port)
    with emu.client(rate_limit_redis_url=url(redis_port), fleet_size=3, redis_fallback="fail") as c:
        members = list(c.members(BIG_COMMUNITY))
        assert PASSWORD not in repr(c)
    assert len(members) == BIG_MEMBERS
    pages = len(emu.calls())
    assert scripts_run(redis_port) - before >= pages, "every call took a permit from Redis"


def test_async_client_shares_through_redis(emu: Emulator, redis_port: int) -> None:
    async def main() -> int | None:
        c = emu.async_client(rate_limit_redis_url=url(redis_port), redis_fallback="local_share")
        try:
            page = await c.get_group_member_info(PUBLIC)
            return page.member_num
        finally:
            c.close()

    before = scripts_run(redis_port)
    assert asyncio.run(main()) == 5
    assert scripts_run(redis_port) - before >= 1


def test_environment(emu: Emulator, redis_port: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIM_SDKAPPID", str(emu.sdkappid))
    monkeypatch.setenv("TIM_SECRET_KEY", emu.secret_key)
    monkeypatch.setenv("TIM_BASE_URL", emu.base_url)
    monkeypatch.delenv("TIM_USERSIG", raising=False)
    monkeypatch.setenv("TIM_RATE_LIMIT_REDIS_URL", url(redis_port))
    monkeypatch.setenv("TIM_FLEET_SIZE", "2")
    monkeypatch.setenv("TIM_REDIS_FALLBACK", "fail")
    before = scripts_run(redis_port)
    with timadmin.Client.from_env() as c:
        assert c.get_group_member_info(PUBLIC).member_num == 5
    assert scripts_run(redis_port) - before >= 1
    monkeypatch.setenv("TIM_FLEET_SIZE", "two")
    with pytest.raises(timadmin.InvalidArgumentError) as e:
        timadmin.Client.from_env()
    assert e.value.field == "TIM_FLEET_SIZE"
    monkeypatch.setenv("TIM_FLEET_SIZE", "2")
    monkeypatch.setenv("TIM_RATE_LIMIT_REDIS_URL", f"rediss://:{PASSWORD}@h:6380")
    with pytest.raises(timadmin.InvalidArgumentError) as e:
        timadmin.AsyncClient.from_env()
    assert e.value.field == "TIM_RATE_LIMIT_REDIS_URL"
    assert PASSWORD not in str(e.value)


def test_unreachable_redis_with_fail_raises_before_sending(emu: Emulator) -> None:
    dead = f"redis://:{PASSWORD}@127.0.0.1:{free_port()}/0"
    with emu.client(rate_limit_redis_url=dead, redis_fallback="fail") as c:
        for _ in range(2):
            with pytest.raises(timadmin.RateLimiterUnavailableError) as e:
                c.get_group_member_info(PUBLIC)
            assert "shared rate limiter unavailable" in str(e.value)
            assert PASSWORD not in str(e.value)
    assert emu.calls() == []


def test_unreachable_redis_falls_back_to_the_local_share_and_logs_once(
    emu: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    dead = f"redis://:{PASSWORD}@127.0.0.1:{free_port()}/0"
    with caplog.at_level(logging.INFO, logger="timadmin"):
        with emu.client(rate_limit_redis_url=dead, fleet_size=4) as c:
            for _ in range(3):
                assert c.get_group_member_info(PUBLIC).member_num == 5
    switches = [r for r in caplog.records if "falling back" in r.getMessage()]
    assert len(switches) == 1, caplog.text
    assert switches[0].levelno == logging.WARNING
    assert PASSWORD not in caplog.text


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"rate_limit_redis_url": f"rediss://:{PASSWORD}@h:6380"}, "rate_limit_redis_url"),
        ({"rate_limit_redis_url": PASSWORD}, "rate_limit_redis_url"),
        ({"rate_limit_redis_url": f"redis://:{PASSWORD}@h", "rate_limit": None}, "rate_limit_redis_url"),
        ({"rate_limit_redis_url": f"redis://:{PASSWORD}@h", "fleet_size": 0}, "fleet_size"),
        ({"fleet_size": -1}, "fleet_size"),
        ({"redis_fallback": "retry"}, "redis_fallback"),
    ],
)
def test_bad_fleet_settings(kwargs: dict[str, object], field: str) -> None:
    for cls in (timadmin.Client, timadmin.AsyncClient):
        with pytest.raises(timadmin.InvalidArgumentError) as e:
            cls(1400000000, secret_key="k", **kwargs)  # type: ignore[arg-type]
        assert e.value.field == field
        assert PASSWORD not in str(e.value)
