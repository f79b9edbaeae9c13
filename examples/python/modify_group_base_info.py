"""modify_group_base_info: change a group's profile; only the arguments given change, and a
custom-data value of None deletes that key. Against a real app, set TIM_GROUP_ID to a test group.
"""

from __future__ import annotations

import timadmin
from _setup import DEMO_GROUP, group_id, open_client


def main() -> None:
    with open_client() as client:
        gid = group_id(DEMO_GROUP)
        try:
            client.modify_group_base_info(
                gid,
                notification="Maintenance on Sunday 02:00 UTC",
                apply_join_option="NeedPermission",
                shut_up_all_member=False,
                app_defined_data={"GroupTestData1": "updated", "GroupTestData2": None},
            )
        except timadmin.InvalidArgumentError as e:  # rejected before sending
            raise SystemExit(f"bad argument {e.field}: {e.reason}") from e
        except timadmin.PermissionDeniedError as e:
            raise SystemExit(f"the identifier is not an app admin: {e.info}") from e
        print(f"{gid}: notification, join option, mute-all and custom data updated")


if __name__ == "__main__":
    main()
