"""One name per concept: the core's words in Python, the old names kept for a while with a
``DeprecationWarning``, and options checked like Python's own keyword arguments."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import pytest

import timadmin
from timadmin.testing import Emulator

from conftest import BIG_COMMUNITY, PUBLIC

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_core_names_are_the_python_names(emu: Emulator, client: timadmin.Client) -> None:
    assert isinstance(client.get_group_member_info(PUBLIC), timadmin.GetGroupMemberInfoResponse)
    assert isinstance(client.get_group_muted_account(PUBLIC), timadmin.GetGroupMutedAccountResponse)
    pager = client.members(BIG_COMMUNITY, page_size=100)
    assert isinstance(pager, timadmin.MemberPager)
    assert isinstance(next(pager), timadmin.GroupMember)
    sig = timadmin.generate_usersig(emu.sdkappid, emu.secret_key, "alice")
    claims = timadmin.verify_usersig(emu.sdkappid, emu.secret_key, "alice", sig)
    assert isinstance(claims, timadmin.Claims)
    assert claims.expire == timadmin.DEFAULT_USERSIG_LIFETIME
    assert repr(claims).startswith("Claims(")


def test_the_readme_table_names_exist_in_python() -> None:
    # The README's table of names has a Python column: every name in it is real.
    text = README.read_text(encoding="utf-8")
    table = text[text.index("| concept | Rust core | Python |") :].split("\n\n", 1)[0]
    rows = [line.split("|")[1:-1] for line in table.splitlines()[2:]]
    assert len(rows) >= 10
    checked = 0
    for row in rows:
        for name in re.findall(r"`([^`]+)`", row[2]):
            # `Client.members`, `timadmin.ClientOptions`, `secret_key=`, `.kind` ...
            path = name.removeprefix("timadmin.").rstrip("=(").removesuffix("()")
            if path.startswith(".") or "=" in name or not path[:1].isalpha():
                continue
            obj: Any = timadmin
            for part in path.split("."):
                # An exception's attributes are declared (annotated) on the class, set per instance.
                declared = hasattr(obj, part) or part in getattr(obj, "__annotations__", {})
                assert declared, f"README names {name!r}, which Python does not have"
                obj = getattr(obj, part, None)
            checked += 1
    assert checked >= 10


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("gen_usersig", "generate_usersig"),
        ("UserSigClaims", "Claims"),
        ("GroupMemberInfo", "GetGroupMemberInfoResponse"),
        ("GroupMutedAccount", "GetGroupMutedAccountResponse"),
        ("GroupMemberIterator", "MemberPager"),
        ("AsyncGroupMemberIterator", "AsyncMemberPager"),
    ],
)
def test_old_names_warn_and_are_the_new_objects(old: str, new: str) -> None:
    with pytest.warns(DeprecationWarning, match=new):
        assert getattr(timadmin, old) is getattr(timadmin, new)
    assert old not in timadmin.__all__
    with pytest.raises(AttributeError):
        timadmin.no_such_name  # noqa: B018


def test_old_spellings_of_arguments_warn(emu: Emulator) -> None:
    with pytest.warns(DeprecationWarning, match="secret_key"):
        c = timadmin.Client(emu.sdkappid, key=emu.secret_key, base_url=emu.base_url)  # type: ignore[call-arg]
    with pytest.warns(DeprecationWarning, match="members"):
        assert sum(1 for _ in c.iter_group_members(PUBLIC)) == 5
    c.close()
    with pytest.warns(DeprecationWarning, match="secret_key"):
        assert emu.key == emu.secret_key
    with pytest.raises(timadmin.InvalidArgumentError) as e, pytest.warns(DeprecationWarning):
        timadmin.Client(1400000000, key="k", secret_key="k")  # type: ignore[call-arg]
    assert e.value.field == "secret_key"


def test_options_are_checked_like_keyword_arguments(emu: Emulator) -> None:
    for cls in (timadmin.Client, timadmin.AsyncClient):
        with pytest.raises(TypeError, match=r"unexpected keyword argument 'secret'"):
            cls(1400000000, secret="k")  # type: ignore[call-arg]
        with pytest.raises(TypeError, match=r"argument 'timeout' must be a number of seconds, not str"):
            cls(1400000000, secret_key="k", timeout="5")  # type: ignore[arg-type]
        with pytest.raises(TypeError, match=r"argument 'rate_limit'"):
            cls(1400000000, secret_key="k", rate_limit="fast")  # type: ignore[arg-type]
    with timadmin.Client(emu.sdkappid, secret_key=emu.secret_key, base_url=emu.base_url) as c:
        with pytest.raises(TypeError, match=r"get_group_member_info\(\) got an unexpected keyword argument 'Limit'"):
            c.get_group_member_info(PUBLIC, Limit=10)  # type: ignore[call-arg]
        with pytest.raises(TypeError, match=r"members\(\) got an unexpected keyword argument 'limit'"):
            c.members(PUBLIC, limit=10)  # type: ignore[call-arg]
        # `None` is "not given", as with the explicit signatures before.
        assert c.get_group_member_info(PUBLIC, limit=None, next=None).member_num == 5


def test_one_options_dict_serves_both_clients(emu: Emulator) -> None:
    options: timadmin.ClientOptions = {
        "secret_key": emu.secret_key,
        "base_url": emu.base_url,
        "rate_limit": None,
        "max_retries": 0,
    }
    page: timadmin.PageOptions = {"page_size": 2, "member_info_filter": ["Role"]}
    with timadmin.Client(emu.sdkappid, **options) as c:
        assert len([m.member_account for m in c.members(PUBLIC, **page)]) == 5

    async def main() -> int:
        async with timadmin.AsyncClient(emu.sdkappid, **options) as ac:
            return len([m async for m in ac.members(PUBLIC, **page)])

    assert asyncio.run(main()) == 5
