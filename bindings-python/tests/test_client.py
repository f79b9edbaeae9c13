"""The synchronous Client against the emulator: every method and argument, paging, models."""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from typing import Any, Dict, List

import pytest

import timadmin
from timadmin.testing import Emulator

from conftest import BIG_COMMUNITY, BIG_MEMBERS, BIG_PUBLIC, PUBLIC


def last_body(emu: Emulator, command: str) -> Dict[str, Any]:
    """The JSON body of the most recent call of ``command`` the emulator received."""
    bodies = [c["body"] for c in emu.calls() if c["command"] == command]
    assert bodies, f"no {command} call reached the emulator"
    body = bodies[-1]
    assert isinstance(body, dict)
    return body


# --- get_group_member_info -------------------------------------------------------------------


def test_get_group_member_info_all_fields(client: timadmin.Client, emu: Emulator) -> None:
    info = client.get_group_member_info(PUBLIC)
    assert isinstance(info, timadmin.GetGroupMemberInfoResponse)
    assert info.member_num == 5
    assert info.next is None
    accounts = [m.member_account for m in info.member_list]
    assert accounts == [m["Member_Account"] for m in emu.group(PUBLIC)["MemberList"]]  # type: ignore[index]
    bob = info.member_list[0]
    assert bob.member_account == "bob"
    assert bob.role == "Owner"
    assert bob.join_time == 1425976500
    assert bob.msg_seq == 1233
    assert bob.msg_flag == "AcceptAndNotify"
    assert bob.last_send_msg_time == 1425976500
    assert bob.mute_until == 0
    assert bob.name_card == "Bob"
    assert bob.app_member_defined_data == {"MemberDefined1": "ModifyDefined1", "MemberDefined2": "ModifyDefined2"}
    # "Member " (trailing space on the wire) is normalised by the core.
    assert {m.role for m in info.member_list} == {"Owner", "Admin", "Member"}
    assert last_body(emu, "get_group_member_info") == {"GroupId": PUBLIC}


def test_get_group_member_info_filters(client: timadmin.Client, emu: Emulator) -> None:
    info = client.get_group_member_info(
        PUBLIC,
        member_info_filter=["Role", "NameCard"],
        member_role_filter=["Member"],
        app_defined_data_filter_group_member=["MemberDefined2"],
    )
    assert last_body(emu, "get_group_member_info") == {
        "GroupId": PUBLIC,
        "MemberInfoFilter": ["Role", "NameCard"],
        "MemberRoleFilter": ["Member"],
        "AppDefinedDataFilter_GroupMember": ["MemberDefined2"],
    }
    assert info.member_list and all(m.role == "Member" for m in info.member_list)
    first = info.member_list[0]
    assert first.name_card is not None
    assert first.join_time is None and first.msg_seq is None and first.mute_until is None


def test_get_group_member_info_limit_offset(client: timadmin.Client, emu: Emulator) -> None:
    page = client.get_group_member_info(PUBLIC, limit=2, offset=1)
    assert last_body(emu, "get_group_member_info") == {"GroupId": PUBLIC, "Limit": 2, "Offset": 1}
    assert [m.member_account for m in page.member_list] == ["alice", "peter"]
    assert page.member_num == 5


def test_get_group_member_info_next_cursor(client: timadmin.Client, emu: Emulator) -> None:
    first = client.get_group_member_info(BIG_COMMUNITY, limit=100, next="")
    assert last_body(emu, "get_group_member_info") == {"GroupId": BIG_COMMUNITY, "Limit": 100, "Next": ""}
    assert len(first.member_list) == 100
    assert first.next
    second = client.get_group_member_info(BIG_COMMUNITY, limit=100, next=first.next)
    assert last_body(emu, "get_group_member_info")["Next"] == first.next
    assert not {m.member_account for m in first.member_list} & {m.member_account for m in second.member_list}


def test_a_single_community_call_needs_no_next(client: timadmin.Client, emu: Emulator) -> None:
    page = client.get_group_member_info(BIG_COMMUNITY, limit=10)
    assert last_body(emu, "get_group_member_info") == {"GroupId": BIG_COMMUNITY, "Limit": 10, "Next": ""}
    assert len(page.member_list) == 10 and page.next
    with pytest.raises(timadmin.InvalidArgumentError) as offset:
        client.get_group_member_info(BIG_COMMUNITY, offset=0)
    assert offset.value.field == "Offset"
    with pytest.raises(timadmin.InvalidArgumentError) as cursor:
        client.get_group_member_info(PUBLIC, next="")
    assert cursor.value.field == "Next"


# --- members: both paging modes ----------------------------------------------------


@pytest.mark.parametrize("group_id", [BIG_COMMUNITY, BIG_PUBLIC])
def test_members_each_member_exactly_once(client: timadmin.Client, emu: Emulator, group_id: str) -> None:
    it = client.members(group_id, page_size=100)
    assert it.member_num is None
    members = list(it)
    assert it.member_num == BIG_MEMBERS
    counts = Counter(m.member_account for m in members)
    expected = [m["Member_Account"] for m in emu.group(group_id)["MemberList"]]
    assert len(members) == BIG_MEMBERS
    assert set(counts) == set(expected) and max(counts.values()) == 1
    bodies = [c["body"] for c in emu.calls() if c["command"] == "get_group_member_info"]
    assert len(bodies) == (BIG_MEMBERS + 99) // 100
    if group_id.startswith("@TGS#_"):
        assert all("Next" in b and "Offset" not in b for b in bodies)
    else:
        assert [b["Offset"] for b in bodies] == [i * 100 for i in range(len(bodies))]


def test_members_filters_and_page_size(client: timadmin.Client, emu: Emulator) -> None:
    members = list(
        client.members(
            PUBLIC,
            page_size=2,
            member_info_filter=["Role"],
            member_role_filter=["Member"],
            app_defined_data_filter_group_member=["MemberDefined1"],
        )
    )
    assert [m.member_account for m in members] == ["peter", "tommy", "carol"]
    body = last_body(emu, "get_group_member_info")
    assert body["Limit"] == 2
    assert body["MemberInfoFilter"] == ["Role"]
    assert body["MemberRoleFilter"] == ["Member"]
    assert body["AppDefinedDataFilter_GroupMember"] == ["MemberDefined1"]


def test_iter_is_lazy_and_halves_on_10018(client: timadmin.Client, emu: Emulator) -> None:
    it = client.members(BIG_PUBLIC, page_size=6000)
    assert emu.calls() == []  # nothing fetched before the first next()
    emu.inject_fault("error_code", code=10018, info="response too large")
    first = next(it)
    assert first.member_account
    limits = [c["body"]["Limit"] for c in emu.calls()]
    assert limits[:2] == [6000, 3000]
    assert sum(1 for _ in it) == BIG_MEMBERS - 1


# --- get_group_muted_account ------------------------------------------------------------------


def test_get_group_muted_account(client: timadmin.Client, emu: Emulator) -> None:
    muted = client.get_group_muted_account(PUBLIC)
    assert isinstance(muted, timadmin.GetGroupMutedAccountResponse)
    assert muted.group_id == PUBLIC
    assert [(m.member_account, m.muted_until) for m in muted.muted_account_list] == [
        ("peter", 4294967295),
        ("tommy", 4102444800),
    ]
    assert last_body(emu, "get_group_muted_account") == {"GroupId": PUBLIC}
    assert muted.to_dict() == {
        "GroupId": PUBLIC,
        "MutedAccountList": [
            {"Member_Account": "peter", "MutedUntil": 4294967295},
            {"Member_Account": "tommy", "MutedUntil": 4102444800},
        ],
    }


def test_get_group_muted_account_topic(client: timadmin.Client, emu: Emulator) -> None:
    community = next(
        g for g in (emu.group(i) for i in emu.group_ids()) if g is not None and g.get("Topics")
    )
    topic = community["Topics"][0]
    muted = client.get_group_muted_account(community["GroupId"], topic_id=topic["TopicId"])
    assert last_body(emu, "get_group_muted_account") == {"GroupId": community["GroupId"], "TopicId": topic["TopicId"]}
    assert [m.member_account for m in muted.muted_account_list] == [
        m["Member_Account"] for m in topic["MutedAccountList"]
    ]


# --- modify_group_base_info -------------------------------------------------------------------


def test_modify_group_base_info_every_argument(client: timadmin.Client, emu: Emulator) -> None:
    client.modify_group_base_info(
        PUBLIC,
        name="New name",
        introduction="intro",
        notification="notice",
        face_url="https://example.invalid/f.png",
        max_member_num=1500,
        apply_join_option="DisableApply",
        shut_up_all_member=True,
        app_defined_data={"GroupTestData1": None, "GroupTestData3": "three"},
    )
    assert last_body(emu, "modify_group_base_info") == {
        "GroupId": PUBLIC,
        "Name": "New name",
        "Introduction": "intro",
        "Notification": "notice",
        "FaceUrl": "https://example.invalid/f.png",
        "MaxMemberNum": 1500,
        "ApplyJoinOption": "DisableApply",
        "ShutUpAllMember": "On",
        "AppDefinedData": [{"Key": "GroupTestData1", "Value": ""}, {"Key": "GroupTestData3", "Value": "three"}],
    }
    g = emu.group(PUBLIC)
    assert g is not None
    assert (g["Name"], g["Introduction"], g["Notification"]) == ("New name", "intro", "notice")
    assert g["FaceUrl"] == "https://example.invalid/f.png"
    assert g["MaxMemberNum"] == 1500
    assert g["ApplyJoinOption"] == "DisableApply"
    assert g["ShutUpAllMember"] == "On"
    data = {kv["Key"]: kv["Value"] for kv in g["AppDefinedData"]}
    assert "GroupTestData1" not in data
    assert data["GroupTestData3"] == "three"


def test_modify_only_sends_what_is_given(client: timadmin.Client, emu: Emulator) -> None:
    client.modify_group_base_info(PUBLIC, shut_up_all_member=False)
    assert last_body(emu, "modify_group_base_info") == {"GroupId": PUBLIC, "ShutUpAllMember": "Off"}
    g = emu.group(PUBLIC)
    assert g is not None and g["Name"] == "Demo public group"


# --- result objects ----------------------------------------------------------------------------


def test_results_are_immutable_values(client: timadmin.Client) -> None:
    a = client.get_group_member_info(PUBLIC)
    b = client.get_group_member_info(PUBLIC)
    assert a == b and a is not b
    assert a.member_list[0] == b.member_list[0]
    assert a.member_list[0] != a.member_list[1]
    assert a != client.get_group_member_info(PUBLIC, limit=1)
    assert a.member_list[0] != object()
    with pytest.raises(AttributeError):
        a.member_num = 3  # type: ignore[misc]
    with pytest.raises(AttributeError):
        a.member_list[0].role = timadmin.Role.ADMIN  # type: ignore[misc]
    # Returned containers are copies: changing them does not change the result.
    a.member_list.clear()
    data = a.member_list[0].app_member_defined_data
    assert data is not None
    data["x"] = "y"
    assert a.member_list[0].app_member_defined_data == b.member_list[0].app_member_defined_data
    muted = client.get_group_muted_account(PUBLIC)
    assert muted == client.get_group_muted_account(PUBLIC)
    assert muted.muted_account_list[0] == client.get_group_muted_account(PUBLIC).muted_account_list[0]


def test_repr_and_to_dict(client: timadmin.Client) -> None:
    info = client.get_group_member_info(PUBLIC, limit=1)
    bob = info.member_list[0]
    assert repr(bob).startswith("GroupMember(member_account='bob', role='Owner', join_time=1425976500")
    assert repr(info).startswith("GetGroupMemberInfoResponse(member_num=5, member_list=[GroupMember(")
    assert info.to_dict() == {
        "MemberNum": 5,
        "MemberList": [bob.to_dict()],
    }
    assert bob.to_dict() == {
        "Member_Account": "bob",
        "Role": "Owner",
        "JoinTime": 1425976500,
        "MsgSeq": 1233,
        "MsgFlag": "AcceptAndNotify",
        "LastSendMsgTime": 1425976500,
        "MuteUntil": 0,
        "NameCard": "Bob",
        "AppMemberDefinedData": [
            {"Key": "MemberDefined1", "Value": "ModifyDefined1"},
            {"Key": "MemberDefined2", "Value": "ModifyDefined2"},
        ],
    }
    muted = client.get_group_muted_account(PUBLIC).muted_account_list[0]
    assert repr(muted) == "MutedAccount(member_account='peter', muted_until=4294967295)"
    partial = client.get_group_member_info(PUBLIC, member_info_filter=["Role"], limit=1).member_list[0]
    assert repr(partial) == "GroupMember(member_account='bob', role='Owner')"
    assert partial.to_dict() == {"Member_Account": "bob", "Role": "Owner"}


# --- client lifecycle and configuration --------------------------------------------------------


def test_context_manager_and_close(emu: Emulator) -> None:
    with emu.client() as c:
        assert not c.closed
        assert c.get_group_member_info(PUBLIC).member_num == 5
        assert "1400000000" in repr(c) and emu.secret_key not in repr(c)
    assert c.closed
    with pytest.raises(timadmin.TimError, match="closed"):
        c.get_group_member_info(PUBLIC)
    c.close()  # idempotent


def test_from_env(emu: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIM_SDKAPPID", str(emu.sdkappid))
    monkeypatch.setenv("TIM_SECRET_KEY", emu.secret_key)
    monkeypatch.setenv("TIM_IDENTIFIER", emu.identifier)
    monkeypatch.setenv("TIM_BASE_URL", emu.base_url)
    monkeypatch.delenv("TIM_USERSIG", raising=False)
    with timadmin.Client.from_env() as c:
        assert c.get_group_member_info(PUBLIC).member_num == 5
    monkeypatch.delenv("TIM_SDKAPPID")
    with pytest.raises(timadmin.InvalidArgumentError) as e:
        timadmin.Client.from_env()
    assert e.value.field == "TIM_SDKAPPID"


def test_constructor_arguments(emu: Emulator) -> None:
    with timadmin.Client(
        emu.sdkappid,
        secret_key=emu.secret_key,
        identifier=emu.identifier,
        base_url=emu.base_url,
        timeout=5.0,
        max_retries=1,
        rate_limit=50.0,
    ) as c:
        assert c.get_group_member_info(PUBLIC).member_num == 5
    calls = emu.calls()
    assert calls[-1]["sdkappid"] == emu.sdkappid and calls[-1]["identifier"] == emu.identifier


def test_defaults_are_the_core_constants() -> None:
    # The documented values...
    assert timadmin.DEFAULT_IDENTIFIER == "administrator"
    assert timadmin.DEFAULT_REGION == "china"
    assert timadmin.DEFAULT_TIMEOUT == 10.0
    assert timadmin.DEFAULT_MAX_RETRIES == 3
    assert timadmin.DEFAULT_RATE_LIMIT == 200.0
    assert timadmin.DEFAULT_PAGE_SIZE == 100
    assert timadmin.DEFAULT_USERSIG_LIFETIME == 86400
    # ... and explicitly passing them builds the same client as leaving them out.
    timadmin.Client(
        1400000000,
        secret_key="k",
        identifier=timadmin.DEFAULT_IDENTIFIER,
        region=timadmin.DEFAULT_REGION,
        timeout=timadmin.DEFAULT_TIMEOUT,
        max_retries=timadmin.DEFAULT_MAX_RETRIES,
        rate_limit=timadmin.DEFAULT_RATE_LIMIT,
    ).close()


def test_unset_arguments_take_the_defaults(emu: Emulator) -> None:
    # Only what the emulator can observe: the identifier, the page size and the retries.
    with timadmin.Client(emu.sdkappid, secret_key=emu.secret_key, base_url=emu.base_url) as c:
        assert timadmin.DEFAULT_IDENTIFIER in repr(c)
        assert next(c.members(PUBLIC)).member_account
        assert last_body(emu, "get_group_member_info")["Limit"] == timadmin.DEFAULT_PAGE_SIZE
        assert emu.calls()[-1]["identifier"] == timadmin.DEFAULT_IDENTIFIER
        emu.clear_calls()
        emu.inject_fault("error_code", code=10002, info="internal error", times=timadmin.DEFAULT_MAX_RETRIES + 1)
        with pytest.raises(timadmin.ApiError):
            c.get_group_member_info(PUBLIC)
    assert len(emu.calls()) == 1 + timadmin.DEFAULT_MAX_RETRIES


def test_region_without_base_url_builds_a_client() -> None:
    # Only constructed: no call is made, so nothing leaves the machine.
    for region in ["china", "singapore", "seoul", "frankfurt", "mumbai", "silicon-valley", "jakarta", "tokyo"]:
        timadmin.Client(1400000000, secret_key="k", region=region).close()


def test_usersig_credentials(emu: Emulator) -> None:
    sig = timadmin.generate_usersig(emu.sdkappid, emu.secret_key, emu.identifier)
    with emu.client(usersig=sig) as c:
        assert c.get_group_muted_account(PUBLIC).group_id == PUBLIC


# --- usersig_provider ------------------------------------------------------------------------


def test_usersig_provider_is_called_when_needed(emu: Emulator) -> None:
    calls: List[int] = []

    def provider() -> str:
        calls.append(1)
        return timadmin.generate_usersig(emu.sdkappid, emu.secret_key, emu.identifier)

    with emu.client(usersig_provider=provider, max_retries=0) as c:
        assert calls == []  # not called before it is needed
        c.get_group_member_info(PUBLIC)
        c.get_group_muted_account(PUBLIC)
        assert len(calls) == 1  # cached afterwards
        # A rejected UserSig makes the client ask the provider again, once.
        emu.inject_fault("error_code", code=70001, info="UserSig expired")
        c.get_group_member_info(PUBLIC)
        assert len(calls) == 2


def test_usersig_provider_errors(emu: Emulator) -> None:
    def failing() -> str:
        raise RuntimeError("vault unavailable")

    with emu.client(usersig_provider=failing) as c:
        with pytest.raises(timadmin.CredentialsError, match="RuntimeError: vault unavailable"):
            c.get_group_member_info(PUBLIC)

    def wrong_type() -> str:
        return 42  # type: ignore[return-value]

    with emu.client(usersig_provider=wrong_type) as c:
        with pytest.raises(timadmin.CredentialsError, match="must return a str"):
            c.get_group_member_info(PUBLIC)
    assert not [call for call in emu.calls() if call["command"] == "get_group_member_info"]


# --- threads -----------------------------------------------------------------------------------


def test_eight_threads_share_one_client(client: timadmin.Client, emu: Emulator) -> None:
    results: Dict[int, List[str]] = {}
    errors: List[BaseException] = []
    barrier = threading.Barrier(8)

    def work(i: int) -> None:
        try:
            barrier.wait()
            if i % 2:
                results[i] = [m.member_account for m in client.members(BIG_COMMUNITY)]
            else:
                got: List[str] = []
                for _ in range(20):
                    got.extend(m.member_account for m in client.get_group_member_info(PUBLIC).member_list)
                results[i] = got
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    for i in range(8):
        if i % 2:
            assert len(results[i]) == BIG_MEMBERS == len(set(results[i]))
        else:
            assert len(results[i]) == 100
    expected_calls = 4 * ((BIG_MEMBERS + 99) // 100) + 4 * 20
    assert len(emu.calls()) == expected_calls


def test_gil_is_released_during_calls(client: timadmin.Client, emu: Emulator) -> None:
    """While one thread waits on a slow answer, another thread runs Python code."""
    emu.inject_fault("delay", delay=1.0, command="get_group_muted_account")
    progressed = threading.Event()
    done = threading.Event()

    def spin() -> None:
        while not done.is_set():
            progressed.set()

    def call() -> None:
        client.get_group_muted_account(PUBLIC)
        done.set()

    t = threading.Thread(target=call)
    t.start()
    spinner = threading.Thread(target=spin)
    spinner.start()
    assert progressed.wait(30)
    t.join()
    spinner.join()
    assert done.is_set()


# --- logging -----------------------------------------------------------------------------------


def test_core_events_reach_python_logging(
    client: timadmin.Client, emu: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="timadmin"):
        client.get_group_member_info(PUBLIC)
    records = [r for r in caplog.records if r.name.startswith("timadmin")]
    assert records, "no record from the Rust core reached logging"
    assert any(r.name.startswith("timadmin.") and r.levelno == logging.DEBUG for r in records)
    assert all(emu.secret_key not in r.getMessage() for r in records)


def test_a_new_log_level_applies_to_the_next_call(
    client: timadmin.Client, emu: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    # The bridge caches the Python loggers' levels (a dropped record must not cost a trip into
    # Python on every call), forgetting them after a second; a level set on the `timadmin` logger
    # still applies to the very next call.
    def debug_records() -> List[logging.LogRecord]:
        return [r for r in caplog.records if r.name.startswith("timadmin.") and r.levelno == logging.DEBUG]

    with caplog.at_level(logging.WARNING, logger="timadmin"):
        time.sleep(1.1)  # older than the cache's second: the next call caches WARNING
        client.get_group_member_info(PUBLIC)
        client.get_group_member_info(PUBLIC)
        assert not debug_records()
    with caplog.at_level(logging.DEBUG, logger="timadmin"):
        client.get_group_member_info(PUBLIC)
        assert debug_records(), "a DEBUG level set just before the call was not seen"
