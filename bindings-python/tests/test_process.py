"""Ctrl-C during blocking calls, and fork safety of both clients."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time
from typing import List

import pytest

import timadmin
from timadmin.testing import Emulator

from conftest import BIG_PUBLIC, PUBLIC


def _interrupt_main_soon() -> threading.Thread:
    """Sends SIGINT to this process in half a second (the call is then waiting on a delay fault)."""

    def fire() -> None:
        time.sleep(0.5)
        os.kill(os.getpid(), signal.SIGINT)

    t = threading.Thread(target=fire)
    t.start()
    return t


def test_ctrl_c_interrupts_a_blocking_call(client: timadmin.Client, emu: Emulator) -> None:
    emu.inject_fault("delay", delay=30.0, command="get_group_muted_account")
    t = _interrupt_main_soon()
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        client.get_group_muted_account(PUBLIC)
    elapsed = time.monotonic() - started
    t.join()
    assert elapsed < 15  # the 30 s answer was not waited for
    assert client.get_group_member_info(PUBLIC).member_num == 5


def test_ctrl_c_interrupts_iteration_and_it_can_resume(client: timadmin.Client, emu: Emulator) -> None:
    it = client.members(BIG_PUBLIC, page_size=100)
    first_page: List[str] = [next(it).member_account for _ in range(100)]
    emu.clear_calls()
    emu.inject_fault("delay", delay=30.0, command="get_group_member_info")
    t = _interrupt_main_soon()
    with pytest.raises(KeyboardInterrupt):
        next(it)
    t.join()
    emu.clear_faults()
    rest = [m.member_account for m in it]
    assert len(first_page) + len(rest) == len(set(first_page + rest)) == 4321


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_fork_after_client_use(emu: Emulator) -> None:
    with emu.client() as client:
        aclient = emu.async_client()
        assert client.get_group_member_info(PUBLIC).member_num == 5
        assert asyncio.run(_muted(aclient)) == 2
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # child: both clients must work, not hang
            status = 1
            try:
                ok = client.get_group_member_info(PUBLIC).member_num == 5
                ok = ok and asyncio.run(_muted(aclient)) == 2
                status = 0 if ok else 2
            finally:
                os.write(w, bytes([status]))
                os._exit(status)
        os.close(w)
        got = os.read(r, 1)
        os.close(r)
        _, code = os.waitpid(pid, 0)
        assert got == b"\x00"
        assert os.WIFEXITED(code) and os.WEXITSTATUS(code) == 0
        # The parent's clients are unaffected.
        assert client.get_group_member_info(PUBLIC).member_num == 5
        assert asyncio.run(_muted(aclient)) == 2


async def _muted(client: timadmin.AsyncClient) -> int:
    return len((await client.get_group_muted_account(PUBLIC)).muted_account_list)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_an_iterator_from_before_a_fork_refuses_in_the_child(emu: Emulator) -> None:
    # A half-read pager cannot be carried into a child process (its cursor belongs to the
    # parent's runtime): the child gets a TimError saying so, the parent carries on.
    with emu.client() as client:
        pager = client.members(BIG_PUBLIC, page_size=10)
        first = next(pager).member_account
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # child
            status = 1
            signal.alarm(20)  # a hang ends the child (the parent then reads nothing)
            try:
                try:
                    next(pager)
                except timadmin.TimError as e:
                    status = 0 if "created in another process (before fork)" in str(e) else 2
            finally:
                os.write(w, bytes([status]))
                os._exit(status)
        os.close(w)
        got = os.read(r, 1)
        os.close(r)
        os.waitpid(pid, 0)
        assert got == b"\x00"
        assert next(pager).member_account != first
