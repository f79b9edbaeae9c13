"""get_group_muted_account: who is muted in a group, and until when."""

from __future__ import annotations

import datetime

from _setup import DEMO_GROUP, group_id, open_client

FOREVER = 4294967295


def main() -> None:
    with open_client() as client:
        gid = group_id(DEMO_GROUP)
        muted = client.get_group_muted_account(gid)
        print(f"{muted.group_id}: {len(muted.muted_account_list)} muted")
        for m in muted.muted_account_list:
            until = (
                "forever"
                if m.muted_until == FOREVER
                else datetime.datetime.fromtimestamp(m.muted_until, tz=datetime.timezone.utc).isoformat()
            )
            print(f"  {m.member_account:<12} until {until}")


if __name__ == "__main__":
    main()
