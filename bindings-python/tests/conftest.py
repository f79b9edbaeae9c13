"""Shared fixtures: an in-process emulator seeded with the demo fixture, and clients for it.

Under the leak sweep (``tests/leak-sweep.sh``) the emulator uses the canary key
``TIMADMIN_CANARY_KEY`` and notes every UserSig it receives in
``TIMADMIN_EMULATOR_USERSIG_LOG``, and every timadmin exception is printed as it is made
(``TIMADMIN_LEAK_SWEEP=1``), so that the sweep sees every message a user could see."""

from __future__ import annotations

import os
from typing import Any, Iterator

import pytest

import timadmin
from timadmin import _errors
from timadmin.testing import DEMO_FIXTURE_JSON, Emulator

if os.environ.get("TIMADMIN_LEAK_SWEEP") == "1":
    _original_init = _errors.TimError.__init__

    def _shown_init(self: _errors.TimError, message: str, *args: Any, **kwargs: Any) -> None:
        print(f"exception shown to the user: {type(self).__name__}: {message} {kwargs!r}")
        _original_init(self, message, *args, **kwargs)

    _errors.TimError.__init__ = _shown_init  # type: ignore[method-assign,assignment]

#: The demo fixture's public group (5 members, 2 muted, custom data).
PUBLIC = "@TGS#2DEMOPUB"
#: A generated community group (cursor paging) and an ordinary one (Limit/Offset paging).
BIG_COMMUNITY = "@TGS#_big"
BIG_PUBLIC = "@TGS#2BIGPUB"
BIG_MEMBERS = 4321


@pytest.fixture(scope="session")
def emu() -> Iterator[Emulator]:
    """One emulator for the session; per-test state is reset by ``fresh``."""
    with Emulator(
        seed_json=DEMO_FIXTURE_JSON,
        rate_limit=None,
        secret_key=os.environ.get("TIMADMIN_CANARY_KEY"),
        usersig_log=os.environ.get("TIMADMIN_EMULATOR_USERSIG_LOG"),
    ) as e:
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
