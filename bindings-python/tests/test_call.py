"""The raw call (``Client.call``, ``AsyncClient.call``) against the emulator: the three typed
endpoints called raw answer as the typed methods do, an unknown command is the service's 10003,
and the command-path vectors (``tests/vectors/commands.json``) are refused before the network."""

from __future__ import annotations

import asyncio
import json
import math
import pathlib
from typing import Any, Dict, List, Tuple

import pytest

import timadmin
from timadmin.testing import Emulator

from conftest import PUBLIC

COMMANDS: Dict[str, Any] = json.loads(
    (pathlib.Path(__file__).resolve().parents[2] / "tests" / "vectors" / "commands.json").read_text(encoding="utf-8")
)
MEMBER_INFO = "group_open_http_svc/get_group_member_info"
MUTED = "group_open_http_svc/get_group_muted_account"
MODIFY = "group_open_http_svc/modify_group_base_info"


def _members(answer: Dict[str, Any]) -> List[Tuple[str, str]]:
    # The service spells one role "Member " (the typed Role reads it as Member).
    return [(m["Member_Account"], m["Role"].strip()) for m in answer["MemberList"]]


def test_the_typed_endpoints_called_raw_answer_as_the_typed_methods(emu: Emulator, client: timadmin.Client) -> None:
    raw = client.call(MEMBER_INFO, {"GroupId": PUBLIC})
    assert isinstance(raw, dict)
    assert raw["ActionStatus"] == "OK" and raw["ErrorCode"] == 0
    typed = client.get_group_member_info(PUBLIC)
    assert raw["MemberNum"] == typed.member_num
    assert _members(raw) == [(m.member_account, str(m.role)) for m in typed.member_list]

    raw = client.call(MUTED, {"GroupId": PUBLIC})
    muted = client.get_group_muted_account(PUBLIC)
    pairs = [(m["Member_Account"], m["MutedUntil"]) for m in raw["MutedAccountList"]]
    assert pairs and pairs == [(m.member_account, m.muted_until) for m in muted.muted_account_list]

    answer = client.call(MODIFY, {"GroupId": PUBLIC, "Name": "raw name"})
    assert answer["ActionStatus"] == "OK"
    group = emu.group(PUBLIC)
    assert group is not None and group["Name"] == "raw name"
    client.modify_group_base_info(PUBLIC, name="typed name")
    group = emu.group(PUBLIC)
    assert group is not None and group["Name"] == "typed name"
    assert [c["command"] for c in emu.calls()] == [
        "get_group_member_info",
        "get_group_member_info",
        "get_group_muted_account",
        "get_group_muted_account",
        "modify_group_base_info",
        "modify_group_base_info",
    ]


def test_an_unknown_command_is_the_typed_api_error(emu: Emulator, client: timadmin.Client) -> None:
    with pytest.raises(timadmin.ApiError) as e:
        client.call("openim/sendmsg", {"From_Account": "a"})
    assert e.value.code == 10003 and e.value.kind == "invalid_command"
    assert [c["command"] for c in emu.calls()] == ["/v4/openim/sendmsg"]


def test_the_async_client_calls_raw(emu: Emulator, aclient: timadmin.AsyncClient) -> None:
    async def main() -> Tuple[Dict[str, Any], timadmin.GetGroupMemberInfoResponse]:
        raw = await aclient.call(MEMBER_INFO, {"GroupId": PUBLIC})
        typed = await aclient.get_group_member_info(PUBLIC)
        with pytest.raises(timadmin.ApiError) as e:
            await aclient.call("openim/sendmsg", {})
        assert e.value.code == 10003
        with pytest.raises(timadmin.InvalidArgumentError) as bad:
            await aclient.call("/v4/openim/sendmsg", {})
        assert bad.value.field == "command"
        return raw, typed

    raw, typed = asyncio.run(main())
    assert raw["MemberNum"] == typed.member_num
    assert _members(raw) == [(m.member_account, str(m.role)) for m in typed.member_list]


@pytest.mark.parametrize("case", COMMANDS["cases"], ids=[repr(c["command"]) for c in COMMANDS["cases"]])
def test_command_vectors(case: Dict[str, Any], emu: Emulator, client: timadmin.Client) -> None:
    if case["valid"]:
        try:
            client.call(case["command"], {})
        except timadmin.ApiError:
            pass  # sent, and answered with the service's error
        assert len(emu.calls()) == 1
    else:
        with pytest.raises(timadmin.InvalidArgumentError) as e:
            client.call(case["command"], {})
        assert e.value.field == case["error"]
        assert emu.calls() == []


@pytest.mark.parametrize("body", [[], "x", None, 1, {"x": {1, 2}}, {"x": math.nan}])
def test_a_body_that_is_not_a_json_object_is_refused(body: Any, emu: Emulator, client: timadmin.Client) -> None:
    with pytest.raises(timadmin.InvalidArgumentError) as e:
        client.call("openim/sendmsg", body)
    assert e.value.field == "body"
    assert emu.calls() == []
