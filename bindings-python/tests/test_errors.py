"""Each exception type, raised by a real emulator response (or by the core's checks)."""

from __future__ import annotations

import builtins
import pickle
import socket
from typing import Any, Callable, Type

import pytest

import timadmin
from timadmin.testing import Emulator

from conftest import BIG_PUBLIC, PUBLIC


def test_hierarchy() -> None:
    for cls in [
        timadmin.ApiError,
        timadmin.TransportError,
        timadmin.DecodeError,
        timadmin.InvalidArgumentError,
        timadmin.UserSigError,
        timadmin.CredentialsError,
        timadmin.PagingError,
    ]:
        assert issubclass(cls, timadmin.TimError)
    for cls in [
        timadmin.GroupNotFoundError,
        timadmin.PermissionDeniedError,
        timadmin.InvalidParameterError,
        timadmin.ResponseTooLargeError,
        timadmin.RateLimitedError,
        timadmin.AuthError,
    ]:
        assert issubclass(cls, timadmin.ApiError)
    assert issubclass(timadmin.TimeoutError, builtins.TimeoutError)
    assert issubclass(timadmin.TimeoutError, timadmin.TransportError)
    assert issubclass(timadmin.HttpStatusError, timadmin.TransportError)
    assert issubclass(timadmin.InvalidArgumentError, ValueError)


def test_group_not_found(client: timadmin.Client) -> None:
    with pytest.raises(timadmin.GroupNotFoundError) as e:
        client.get_group_member_info("@TGS#2NOSUCH")
    assert e.value.code == 10010
    assert e.value.kind == "group_not_found"
    assert e.value.description == "the group does not exist or was deleted"
    assert "does not exist" in e.value.info
    with pytest.raises(timadmin.GroupNotFoundError):
        client.get_group_muted_account("@TGS#2NOSUCH")
    with pytest.raises(timadmin.GroupNotFoundError):
        client.modify_group_base_info("@TGS#2NOSUCH", name="x")


def test_permission_denied_for_non_admin(emu: Emulator) -> None:
    with emu.client(identifier="not_an_admin", max_retries=0) as c:
        with pytest.raises(timadmin.PermissionDeniedError) as e:
            c.get_group_member_info(PUBLIC)
    assert e.value.code == 10007


def test_invalid_parameter_from_the_service(client: timadmin.Client) -> None:
    # The core only checks the shape; the service (emulator) rejects an unknown field name.
    with pytest.raises(timadmin.InvalidParameterError) as e:
        client.get_group_member_info(PUBLIC, member_info_filter=["NoSuchField"])
    assert e.value.code == 10004


def test_response_too_large(client: timadmin.Client, emu: Emulator) -> None:
    emu.generate_group("Public", "@TGS#2HUGE", 6000)
    with pytest.raises(timadmin.ResponseTooLargeError) as e:
        client.get_group_member_info("@TGS#2HUGE", limit=6000)
    assert e.value.code == 10018


def test_rate_limited(emu: Emulator, client: timadmin.Client) -> None:
    emu.set_rate_limit(1)
    client.get_group_muted_account(PUBLIC)
    with pytest.raises(timadmin.RateLimitedError) as e:
        for _ in range(5):
            client.get_group_muted_account(PUBLIC)
    assert e.value.code in (60007, 60011)


def test_auth_error_wrong_key(emu: Emulator) -> None:
    with emu.client(secret_key="wrong-key", max_retries=0) as c:
        with pytest.raises(timadmin.AuthError) as e:
            c.get_group_member_info(PUBLIC)
    assert e.value.code == 70009
    assert "wrong-key" not in str(e.value)


def test_auth_error_garbage_usersig(emu: Emulator) -> None:
    with emu.client(usersig="garbage-usersig", max_retries=0) as c:
        with pytest.raises(timadmin.AuthError) as e:
            c.get_group_member_info(PUBLIC)
    assert 70000 <= e.value.code < 71000
    assert "garbage-usersig" not in str(e.value)


def test_generic_api_error(client: timadmin.Client, emu: Emulator) -> None:
    emu.inject_fault("error_code", code=10002, info="internal error")
    with pytest.raises(timadmin.ApiError) as e:
        client.get_group_member_info(PUBLIC)
    assert type(e.value) is timadmin.ApiError
    assert (e.value.code, e.value.info, e.value.kind) == (10002, "internal error", "internal_error")


def test_retries_hide_transient_errors(emu: Emulator) -> None:
    emu.inject_fault("error_code", code=10002, info="internal error", times=2)
    with emu.client(max_retries=3, rate_limit=None) as c:
        assert c.get_group_member_info(PUBLIC).member_num == 5
    assert [call["error_code"] for call in emu.calls()] == [10002, 10002, 0]


def test_transport_error_connection_closed(client: timadmin.Client, emu: Emulator) -> None:
    emu.inject_fault("close_connection")
    with pytest.raises(timadmin.TransportError) as e:
        client.get_group_member_info(PUBLIC)
    assert not isinstance(e.value, timadmin.TimeoutError)


def test_transport_error_nothing_listening() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with timadmin.Client(1400000000, secret_key="k", base_url=f"http://127.0.0.1:{port}", max_retries=0) as c:
        with pytest.raises(timadmin.TransportError):
            c.get_group_member_info(PUBLIC)


def test_timeout_is_also_builtin_timeout(emu: Emulator) -> None:
    emu.inject_fault("delay", delay=3.0)
    with emu.client(timeout=0.3, max_retries=0) as c:
        with pytest.raises(TimeoutError) as e:
            c.get_group_member_info(PUBLIC)
    assert isinstance(e.value, timadmin.TimeoutError)
    assert isinstance(e.value, timadmin.TransportError)


def test_http_status_error(client: timadmin.Client, emu: Emulator) -> None:
    emu.inject_fault("http_status", status=502)
    with pytest.raises(timadmin.HttpStatusError) as e:
        client.get_group_member_info(PUBLIC)
    assert e.value.status == 502


def test_decode_error(client: timadmin.Client, emu: Emulator) -> None:
    emu.inject_fault("truncated_body")
    with pytest.raises(timadmin.DecodeError):
        client.get_group_member_info(PUBLIC)


def test_error_in_iteration_stops_it(client: timadmin.Client, emu: Emulator) -> None:
    it = client.members(BIG_PUBLIC)
    assert next(it).member_account
    for _ in range(99):
        next(it)
    emu.inject_fault("error_code", code=10010, info="gone")
    with pytest.raises(timadmin.GroupNotFoundError):
        next(it)
    assert list(it) == []


def test_exceptions_pickle() -> None:
    e = timadmin.GroupNotFoundError("service error 10010", code=10010, info="gone", kind="group_not_found")
    back = pickle.loads(pickle.dumps(e))
    assert type(back) is timadmin.GroupNotFoundError
    assert (back.code, back.info, str(back)) == (10010, "gone", "service error 10010")


# --- argument validation: rejected before any network call -------------------------------------

BAD_CALLS: list[tuple[str, Callable[[timadmin.Client], Any], str]] = [
    ("empty group", lambda c: c.get_group_member_info(""), "GroupId"),
    ("limit 0", lambda c: c.get_group_member_info(PUBLIC, limit=0), "Limit"),
    ("limit > 6000", lambda c: c.get_group_member_info(PUBLIC, limit=6001), "Limit"),
    ("community limit > 100", lambda c: c.get_group_member_info("@TGS#_x", limit=101), "Limit"),
    ("negative limit", lambda c: c.get_group_member_info(PUBLIC, limit=-1), "Limit"),
    ("negative offset", lambda c: c.get_group_member_info(PUBLIC, offset=-1), "Offset"),
    ("offset with next", lambda c: c.get_group_member_info("@TGS#_x", offset=1, next=""), "Offset"),
    ("bad role", lambda c: c.get_group_member_info(PUBLIC, member_role_filter=["Boss"]), "MemberRoleFilter"),
    ("empty filter item", lambda c: c.get_group_member_info(PUBLIC, member_info_filter=[""]), "MemberInfoFilter"),
    ("page size 0", lambda c: c.members(PUBLIC, page_size=0), "page_size"),
    ("empty topic", lambda c: c.get_group_muted_account(PUBLIC, topic_id=""), "TopicId"),
    ("long name", lambda c: c.modify_group_base_info(PUBLIC, name="x" * 31), "Name"),
    ("long introduction", lambda c: c.modify_group_base_info(PUBLIC, introduction="x" * 241), "Introduction"),
    ("long notification", lambda c: c.modify_group_base_info(PUBLIC, notification="x" * 301), "Notification"),
    ("long face url", lambda c: c.modify_group_base_info(PUBLIC, face_url="x" * 101), "FaceUrl"),
    ("max members 0", lambda c: c.modify_group_base_info(PUBLIC, max_member_num=0), "MaxMemberNum"),
    ("bad join option", lambda c: c.modify_group_base_info(PUBLIC, apply_join_option="Anyone"), "ApplyJoinOption"),
    ("empty data key", lambda c: c.modify_group_base_info(PUBLIC, app_defined_data={"": "v"}), "AppDefinedData"),
]


@pytest.mark.parametrize(("label", "call", "field"), BAD_CALLS, ids=[b[0] for b in BAD_CALLS])
def test_invalid_arguments_fail_before_sending(
    client: timadmin.Client, emu: Emulator, label: str, call: Callable[[timadmin.Client], Any], field: str
) -> None:
    with pytest.raises(timadmin.InvalidArgumentError) as e:
        call(client)
    assert e.value.field == field, label
    assert isinstance(e.value, ValueError)
    assert field in str(e.value)
    assert emu.calls() == []


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        # Credential problems name the setting "secret_key".
        ({"secret_key": None}, "secret_key"),
        ({"secret_key": "k", "usersig": "s"}, "secret_key"),
        ({"secret_key": "k", "usersig_provider": lambda: "s"}, "secret_key"),
        ({"secret_key": ""}, "secret_key"),
        ({"usersig": ""}, "usersig"),
        ({"secret_key": "k", "identifier": " "}, "identifier"),
        ({"secret_key": "k", "region": "mars"}, "region"),
        ({"secret_key": "k", "base_url": "ftp://x"}, "base_url"),
        ({"secret_key": "k", "region": "tokyo", "base_url": "http://127.0.0.1:9"}, "base_url"),
        ({"secret_key": "k", "timeout": 0.0}, "timeout"),
        ({"secret_key": "k", "timeout": -1.0}, "timeout"),
        ({"secret_key": "k", "timeout": float("nan")}, "timeout"),
        ({"secret_key": "k", "rate_limit": 0.0}, "rate_limit"),
        ({"secret_key": "k", "max_retries": -1}, "max_retries"),
        ({"secret_key": "k", "max_retries": 2**32}, "max_retries"),
    ],
)
def test_invalid_client_configuration(kwargs: dict[str, Any], field: str) -> None:
    for cls in (timadmin.Client, timadmin.AsyncClient):
        with pytest.raises(timadmin.InvalidArgumentError) as e:
            cls(1400000000, **kwargs)
        assert e.value.field == field, (cls, kwargs)


@pytest.mark.parametrize("sdkappid", [0, -1, 2**32, 2**64])
def test_sdkappid_is_a_32_bit_app_id(sdkappid: int) -> None:
    for cls in (timadmin.Client, timadmin.AsyncClient):
        with pytest.raises(timadmin.InvalidArgumentError) as e:
            cls(sdkappid, secret_key="k")
        assert e.value.field == "sdkappid", (cls, sdkappid)
    timadmin.Client(2**32 - 1, secret_key="k").close()


def test_region_and_base_url_together_are_refused() -> None:
    # base_url used to win silently; now giving both is an error, as in every front end.
    with pytest.raises(timadmin.InvalidArgumentError, match="not both") as e:
        timadmin.Client(1400000000, secret_key="k", region="singapore", base_url="http://127.0.0.1:9")
    assert e.value.field == "base_url"


@pytest.mark.parametrize(
    ("call", "exc"),
    [
        (lambda c: c.get_group_member_info(PUBLIC, member_info_filter="Role"), TypeError),
        (lambda c: c.get_group_member_info(PUBLIC, member_role_filter=[1]), TypeError),
        (lambda c: c.get_group_member_info(PUBLIC, limit="10"), TypeError),
        (lambda c: c.get_group_member_info(123), TypeError),
        (lambda c: c.modify_group_base_info(PUBLIC, app_defined_data={"k": 1}), TypeError),
        (lambda c: c.get_group_member_info(PUBLIC, bogus=1), TypeError),
    ],
)
def test_wrong_types_are_type_errors(client: timadmin.Client, emu: Emulator, call: Callable[[Any], Any], exc: Type[BaseException]) -> None:
    with pytest.raises(exc):
        call(client)
    assert emu.calls() == []


def test_usersig_provider_must_be_callable() -> None:
    with pytest.raises(TypeError):
        timadmin.Client(1400000000, usersig_provider="not callable")  # type: ignore[arg-type]
