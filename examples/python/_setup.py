"""Shared by the examples: a client for the real app when ``TIM_SDKAPPID`` is set, otherwise
for an in-process emulator seeded with demo groups (so every example runs offline)."""

from __future__ import annotations

import contextlib
import os
from typing import Iterator

import timadmin
from timadmin.testing import DEMO_FIXTURE_JSON, Emulator

#: Groups of the emulator's demo fixture used when no real app is configured.
DEMO_GROUP = "@TGS#2DEMOPUB"
DEMO_COMMUNITY = "@TGS#_demo"


@contextlib.contextmanager
def open_client() -> Iterator[timadmin.Client]:
    """``Client.from_env()`` when TIM_* variables are set, else a client for a demo emulator."""
    if os.environ.get("TIM_SDKAPPID"):
        with timadmin.Client.from_env() as client:
            yield client
        return
    with Emulator(seed_json=DEMO_FIXTURE_JSON, community_members=2500) as emu:
        with emu.client() as client:
            yield client


def group_id(default: str) -> str:
    """The group to use: ``TIM_GROUP_ID`` against a real app, else the demo group."""
    return os.environ.get("TIM_GROUP_ID", default)
