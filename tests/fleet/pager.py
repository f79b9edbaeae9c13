"""One member of a fleet (tests/fleet/test.sh): ``pager.py GROUP [PAGE_SIZE]`` pages a whole group
with the Python client configured from the TIM_* variables (TIM_RATE_LIMIT_REDIS_URL,
TIM_FLEET_SIZE, ...) and prints how many members it saw. The core's log lines go to stderr
through ``logging``."""

from __future__ import annotations

import logging
import sys

import timadmin


def main() -> int:
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    group = sys.argv[1]
    page_size = int(sys.argv[2]) if len(sys.argv) > 2 else timadmin.DEFAULT_PAGE_SIZE
    seen = 0
    with timadmin.Client.from_env() as client:
        for _ in client.members(group, page_size=page_size):
            seen += 1
    print(seen)
    return 0


if __name__ == "__main__":
    sys.exit(main())
