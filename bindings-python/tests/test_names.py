"""One name per concept: the core's words in Python, the old names kept for a while with a
``DeprecationWarning``, and options checked like Python's own keyword arguments."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import timadmin
import timadmin.testing
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


def test_a_role_is_the_cores_role_and_still_its_rest_string(emu: Emulator, client: timadmin.Client) -> None:
    # A server answering a role this version does not know (the emulator only has the three).
    members = [
        {"Member_Account": "o", "Role": "Owner"},
        {"Member_Account": "a", "Role": "Admin"},
        {"Member_Account": "m", "Role": "Member"},
        {"Member_Account": "x", "Role": "Moderator"},
    ]
    body = {"ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": "", "MemberNum": 4, "MemberList": members}
    emu.inject_fault("reply", body=json.dumps(body), command="get_group_member_info")
    page = client.get_group_member_info(PUBLIC, member_info_filter=["Role"])
    roles = {m.member_account: m.role for m in page.member_list}
    assert roles["o"] is timadmin.Role.OWNER and roles["a"] is timadmin.Role.ADMIN
    assert roles["m"] is timadmin.Role.MEMBER and not timadmin.Role.MEMBER.is_other
    other = roles["x"]
    assert isinstance(other, timadmin.Role) and other.is_other and other.name == "OTHER"
    # The REST spelling, kept verbatim, as before: a Role is a str.
    owner: str = "Owner"
    assert other == "Moderator" and str(other) == "Moderator" and roles["o"] == owner
    assert timadmin.Role("Admin") is timadmin.Role.ADMIN
    # A Role is accepted where a role name is.
    admins = client.get_group_member_info(PUBLIC, member_role_filter=[timadmin.Role.ADMIN])
    assert admins.member_list and {m.role for m in admins.member_list} == {timadmin.Role.ADMIN}
    assert emu.calls()[-1]["body"]["MemberRoleFilter"] == ["Admin"]


def test_claims_say_when_the_token_expires(emu: Emulator) -> None:
    sig = timadmin.generate_usersig(emu.sdkappid, emu.secret_key, "alice", expire=600)
    claims = timadmin.verify_usersig(emu.sdkappid, emu.secret_key, "alice", sig)
    assert claims.expire == 600
    assert claims.expires_at == claims.time + 600


def test_a_refused_argument_names_the_cores_field(client: timadmin.Client) -> None:
    # The core's string, the same in every host: the REST name of a request field...
    with pytest.raises(timadmin.InvalidArgumentError) as e:
        client.get_group_member_info("")
    assert e.value.field == "GroupId"
    with pytest.raises(timadmin.InvalidArgumentError) as e:
        client.get_group_member_info(PUBLIC, limit=-1)
    assert e.value.field == "Limit"
    # ...and the setting's name for a client option.
    with pytest.raises(timadmin.InvalidArgumentError) as e:
        timadmin.Client(1400000000, secret_key="k", rate_limit=0.0)
    assert e.value.field == "rate_limit"


def _python_column() -> list[str]:
    """The names of the README's table of names, Python column, as paths from ``timadmin``
    (``Client.members``, ``testing.Emulator``); keyword spellings (``secret_key=``), attribute
    hints (``.kind``) and values (``"GroupId"``) are left out."""
    text = README.read_text(encoding="utf-8")
    table = text[text.index("| concept | Rust core | Python |") :].split("\n\n", 1)[0]
    rows = [line.split("|")[1:-1] for line in table.splitlines()[2:]]
    assert len(rows) >= 20
    names = []
    for row in rows:
        for name in re.findall(r"`([^`]+)`", row[2]):
            path = name.removeprefix("timadmin.").removesuffix("()")
            if "=" in name or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*", path):
                continue
            names.append(path)
    return names


def test_the_readme_table_names_exist_in_python() -> None:
    # Every name of the README's Python column is real.
    names = _python_column()
    for path in names:
        obj: Any = timadmin
        for part in path.split("."):
            # An exception's attributes are declared (annotated) on the class, set per instance.
            declared = hasattr(obj, part) or part in getattr(obj, "__annotations__", {})
            assert declared, f"README names {path!r}, which Python does not have"
            obj = getattr(obj, part, None)
    assert len(names) >= 60


def test_every_public_python_name_is_in_the_readme_table() -> None:
    # ...and every public name of the package (and of timadmin.testing) is in that column.
    in_table = {path.split(".")[0] for path in _python_column()}
    in_table |= {path for path in _python_column() if path.startswith("testing.")}
    public = {n for n in dir(timadmin) if not n.startswith("_") and not isinstance(getattr(timadmin, n), ModuleType)}
    public.discard("annotations")  # `from __future__ import annotations`
    assert public == set(timadmin.__all__) - {"__version__"}, "timadmin.__all__ and the module differ"
    missing = sorted(n for n in timadmin.__all__ if n not in in_table)
    missing += sorted(f"testing.{n}" for n in timadmin.testing.__all__ if f"testing.{n}" not in in_table)
    assert not missing, f"public names missing from the README's names table (Python column): {missing}"


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
