"""get_group_member_info: one page of a group's member profiles.

Run: ``python get_group_member_info.py`` (demo emulator), or set TIM_SDKAPPID, TIM_SECRET_KEY
(or TIM_USERSIG), TIM_REGION and TIM_GROUP_ID to query a real app (any other setting too:
TIM_TIMEOUT, TIM_RATE_LIMIT, ...). It first prints the settings the client runs with.
"""

from __future__ import annotations

import json

import timadmin
from _setup import DEMO_GROUP, group_id, open_client


def main() -> None:
    with open_client() as client:
        # What an operator pastes into a bug report: the same document in every host, no secrets.
        print("settings:", json.dumps(client.settings(), sort_keys=True))
        gid = group_id(DEMO_GROUP)
        try:
            info = client.get_group_member_info(
                gid,
                member_info_filter=["Role", "JoinTime", "NameCard", "MuteUntil"],
                limit=10,
                offset=0,
            )
        except timadmin.GroupNotFoundError as e:
            raise SystemExit(f"no such group {gid!r}: {e.info}") from e
        print(f"{gid}: {info.member_num} members; first {len(info.member_list)}:")
        for m in info.member_list:
            print(f"  {m.member_account:<12} {m.role or '-':<7} joined {m.join_time} card={m.name_card!r}")


if __name__ == "__main__":
    main()
