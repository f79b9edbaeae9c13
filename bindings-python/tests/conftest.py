"""Shared fixtures: an in-process emulator seeded with the demo fixture, and clients for it."""

from __future__ import annotations

from typing import Iterator

import pytest

import timadmin
from timadmin.testing import DEMO_FIXTURE_JSON, Emulator

#: The demo fixture's public group (5 members, 2 muted, custom data).
PUBLIC = "@TGS#2DEMOPUB"
#: A generated community group (cursor paging) and an ordinary one (Limit/Offset paging).
BIG_COMMUNITY = "@TGS#_big"
BIG_PUBLIC = "@TGS#2BIGPUB"
BIG_MEMBERS = 4321


@pytest.fixture(scope="session")
def emu() -> Iterator[Emulator]:
    """One emulator for the session; per-test state is reset by ``fresh``."""
    with Emulator(seed_json=DEMO_FIXTURE_JSON, rate_limit=None) as e:
        yield e


@pytest.fixture(autouse=True)
def fresh(emu: Emulator) -> Iterator[None]:
    """Back to the seeded state before each test, plus the large generated groups."""
    emu.reset()
    emu.set_rate_limit(None)
    emu.generate_community_group(BIG_COMMUNITY, BIG_MEMBERS)
    emu.generate_group("Public", BIG_PUBLIC, BIG_MEMBERS)
    emu.clear_calls()
    yield
    emu.clear_faults()


@pytest.fixture()
def client(emu: Emulator) -> Iterator[timadmin.Client]:
    """A sync client without client-side rate limit or retries (faults surface at once)."""
    with emu.client(rate_limit=None, max_retries=0) as c:
        yield c


@pytest.fixture()
def aclient(emu: Emulator) -> Iterator[timadmin.AsyncClient]:
    """An async client without client-side rate limit or retries."""
    c = emu.async_client(rate_limit=None, max_retries=0)
    yield c
    c.close()
