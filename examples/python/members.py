"""members: every member of a group, paged lazily by the core (Limit/Offset for
ordinary groups, the Next cursor for community groups ``@TGS#_...``). Ctrl-C stops it.
"""

from __future__ import annotations

from collections import Counter

from _setup import DEMO_COMMUNITY, group_id, open_client


def main() -> None:
    with open_client() as client:
        gid = group_id(DEMO_COMMUNITY)
        roles: Counter[str] = Counter()
        members = client.members(gid, page_size=100, member_info_filter=["Role"])
        for member in members:
            roles[member.role or "?"] += 1
        print(f"{gid}: {sum(roles.values())} members (server says {members.member_num})")
        for role, n in roles.most_common():
            print(f"  {role:<7} {n}")


if __name__ == "__main__":
    main()
