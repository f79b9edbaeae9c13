"""AsyncClient: coroutines, async iteration, gather, cancellation, errors."""

from __future__ import annotations

import asyncio
import time
from typing import List

import pytest

import timadmin
from timadmin.testing import Emulator

from conftest import BIG_COMMUNITY, BIG_MEMBERS, BIG_PUBLIC, PUBLIC


def test_every_method(emu: Emulator, aclient: timadmin.AsyncClient) -> None:
    async def main() -> None:
        info = await aclient.get_group_member_info(
            PUBLIC,
            member_info_filter=["Role", "NameCard"],
            member_role_filter=["Owner", "Admin"],
            app_defined_data_filter_group_member=["MemberDefined2"],
            limit=10,
            offset=0,
        )
        assert [m.member_account for m in info.member_list] == ["bob", "alice"]
        page = await aclient.get_group_member_info(BIG_COMMUNITY, limit=50, next="")
        assert len(page.member_list) == 50 and page.next
        muted = await aclient.get_group_muted_account(PUBLIC)
        assert [m.member_account for m in muted.muted_account_list] == ["peter", "tommy"]
        # The coroutine's value is checked at runtime: None, not an empty tuple.
        result: object = await aclient.modify_group_base_info(  # type: ignore[func-returns-value]
            PUBLIC,
            name="async",
            introduction="i",
            notification="n",
            face_url="https://example.invalid/a.png",
            max_member_num=100,
            apply_join_option="FreeAccess",
            shut_up_all_member=True,
            app_defined_data={"GroupTestData2": None},
        )
        assert result is None

    asyncio.run(main())
    g = emu.group(PUBLIC)
    assert g is not None
    assert g["Name"] == "async" and g["ShutUpAllMember"] == "On" and g["MaxMemberNum"] == 100
    assert [kv["Key"] for kv in g["AppDefinedData"]] == ["GroupTestData1"]


@pytest.mark.parametrize("group_id", [BIG_COMMUNITY, BIG_PUBLIC])
def test_async_iteration_each_member_once(aclient: timadmin.AsyncClient, group_id: str) -> None:
    async def main() -> List[str]:
        it = aclient.members(group_id, page_size=100)
        out = [m.member_account async for m in it]
        assert it.member_num == BIG_MEMBERS
        return out

    accounts = asyncio.run(main())
    assert len(accounts) == BIG_MEMBERS == len(set(accounts))


def test_gather_many_calls(emu: Emulator) -> None:
    async def main() -> None:
        async with emu.async_client(rate_limit=None) as client:
            results = await asyncio.gather(
                *(client.get_group_member_info(PUBLIC, limit=1, offset=i % 5) for i in range(200)),
                *(client.get_group_muted_account(PUBLIC) for _ in range(50)),
            )
            accounts = [r.member_list[0].member_account for r in results[:200] if isinstance(r, timadmin.GetGroupMemberInfoResponse)]
            assert Counter(accounts) == {a: 40 for a in ["bob", "alice", "peter", "tommy", "carol"]}
            assert all(isinstance(r, timadmin.GetGroupMutedAccountResponse) for r in results[200:])
        assert client.closed

    from collections import Counter

    asyncio.run(main())
    assert len(emu.calls()) == 250


def test_cancellation_drops_the_request(emu: Emulator, aclient: timadmin.AsyncClient) -> None:
    emu.inject_fault("delay", delay=30.0, command="get_group_muted_account")

    async def main() -> float:
        task = asyncio.ensure_future(aclient.get_group_muted_account(PUBLIC))
        await asyncio.sleep(0.5)  # the request is now waiting on the delay fault
        started = time.monotonic()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        elapsed = time.monotonic() - started
        # The client still works afterwards.
        assert (await aclient.get_group_member_info(PUBLIC)).member_num == 5
        return elapsed

    elapsed = asyncio.run(main())
    # Cancelled long before the 30 s delay could have ended.
    assert elapsed < 15


def test_wait_for_timeout_cancels(emu: Emulator, aclient: timadmin.AsyncClient) -> None:
    emu.inject_fault("delay", delay=30.0, command="get_group_member_info")

    async def main() -> None:
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(aclient.get_group_member_info(PUBLIC), timeout=0.5)
        assert (await aclient.get_group_muted_account(PUBLIC)).group_id == PUBLIC

    asyncio.run(main())


def test_async_errors(emu: Emulator, aclient: timadmin.AsyncClient) -> None:
    async def main() -> None:
        with pytest.raises(timadmin.GroupNotFoundError):
            await aclient.get_group_member_info("@TGS#2NOSUCH")
        emu.inject_fault("http_status", status=503)
        with pytest.raises(timadmin.HttpStatusError):
            await aclient.get_group_muted_account(PUBLIC)
        it = aclient.members(BIG_PUBLIC)
        assert (await it.__anext__()).member_account
        for _ in range(99):
            await it.__anext__()
        emu.inject_fault("truncated_body")
        with pytest.raises(timadmin.DecodeError):
            await it.__anext__()
        with pytest.raises(StopAsyncIteration):
            await it.__anext__()

    asyncio.run(main())
    # Wrong types and pager options are refused at call time, before any awaitable exists...
    with pytest.raises(TypeError):
        aclient.get_group_member_info(PUBLIC, limit="10")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        aclient.get_group_member_info(PUBLIC, bogus=1)  # type: ignore[call-arg]
    with pytest.raises(timadmin.InvalidArgumentError):
        aclient.members(PUBLIC, page_size=0)

    # ...bad values when awaited, by the core's one check, still before any request is sent.
    async def refused() -> None:
        emu.clear_calls()
        with pytest.raises(timadmin.InvalidArgumentError) as e:
            await aclient.get_group_member_info("")
        assert e.value.field == "GroupId"
        with pytest.raises(timadmin.InvalidArgumentError) as e:
            await aclient.modify_group_base_info(PUBLIC, name="x" * 31)
        assert e.value.field == "Name"
        assert emu.calls() == []

    asyncio.run(refused())


def test_async_provider(emu: Emulator) -> None:
    calls: List[int] = []

    def provider() -> str:
        calls.append(1)
        return timadmin.generate_usersig(emu.sdkappid, emu.secret_key, emu.identifier)

    async def main() -> None:
        client = emu.async_client(usersig_provider=provider)
        await asyncio.gather(*(client.get_group_muted_account(PUBLIC) for _ in range(20)))
        client.close()

    asyncio.run(main())
    assert len(calls) == 1


def test_closed_async_client(emu: Emulator) -> None:
    client = emu.async_client()
    client.close()
    with pytest.raises(timadmin.TimError, match="closed"):
        client.get_group_member_info(PUBLIC)


def test_async_from_env(emu: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIM_SDKAPPID", str(emu.sdkappid))
    monkeypatch.setenv("TIM_SECRET_KEY", emu.secret_key)
    monkeypatch.setenv("TIM_BASE_URL", emu.base_url)

    async def main() -> int:
        client = timadmin.AsyncClient.from_env()
        return (await client.get_group_member_info(PUBLIC)).member_num

    assert asyncio.run(main()) == 5
