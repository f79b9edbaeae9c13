"""AsyncClient: many calls at once with asyncio.gather, and an async iteration over a group.

The same endpoints as the other examples, as coroutines; cancelling a task cancels its request.
"""

from __future__ import annotations

import asyncio
import os

import timadmin
from _setup import DEMO_COMMUNITY, DEMO_GROUP, group_id
from timadmin.testing import DEMO_FIXTURE_JSON, Emulator


async def report(client: timadmin.AsyncClient) -> None:
    gid, community = group_id(DEMO_GROUP), os.environ.get("TIM_COMMUNITY_ID", DEMO_COMMUNITY)
    info, muted = await asyncio.gather(
        client.get_group_member_info(gid, limit=5),
        client.get_group_muted_account(gid),
    )
    print(f"{gid}: {info.member_num} members, {len(muted.muted_account_list)} muted")
    leaders = [timadmin.Role.OWNER, timadmin.Role.ADMIN]  # or the REST spellings, "Owner", "Admin"
    admins = [m.member_account async for m in client.members(community, member_role_filter=leaders)]
    print(f"{community}: {len(admins)} owners/admins")


def main() -> None:
    if os.environ.get("TIM_SDKAPPID"):
        asyncio.run(report(timadmin.AsyncClient.from_env()))
        return
    with Emulator(seed_json=DEMO_FIXTURE_JSON, community_members=2500) as emu:
        asyncio.run(report(emu.async_client()))


if __name__ == "__main__":
    main()
