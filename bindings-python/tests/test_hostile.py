"""Hostile servers and hostile input (issue 11), from Python: every defect's fix is the core's, and
these tests show Python gets it — typed exceptions, nothing sent for bad input, nothing leaked.
The emulator's ``reply`` and ``large_body`` faults play the hostile server."""

from __future__ import annotations

import asyncio
import json
import os
import threading
import time
import urllib.request
from typing import Any, Callable, List

import pytest

import timadmin
from timadmin.testing import Emulator

from conftest import PUBLIC

#: Runs of at least this many characters of a secret must never be shown.
FRAGMENT = 16


def assert_no_fragment(text: str, secret: str) -> None:
    for start in range(0, max(1, len(secret) - FRAGMENT + 1)):
        piece = secret[start : start + FRAGMENT]
        assert piece not in text, f"a fragment of a secret leaked: {text!r}"


def test_defaults_are_the_cores() -> None:
    assert timadmin.DEFAULT_MAX_RESPONSE_BYTES == 4 * 1024 * 1024
    assert timadmin.DEFAULT_MAX_IN_FLIGHT == 64
    assert issubclass(timadmin.BodyTooLargeError, timadmin.TransportError)


def test_an_endless_body_stops_at_the_limit(emu: Emulator, client: timadmin.Client) -> None:
    emu.inject_fault("large_body")
    started = time.monotonic()
    with pytest.raises(timadmin.BodyTooLargeError) as e:
        client.get_group_muted_account(PUBLIC)
    assert e.value.limit == timadmin.DEFAULT_MAX_RESPONSE_BYTES
    assert str(timadmin.DEFAULT_MAX_RESPONSE_BYTES) in str(e.value)
    assert time.monotonic() - started < 5
    # Announced up front (1.5 GB): refused from the header; a roomier client reads 5 MiB whole.
    emu.inject_fault("large_body", bytes=1_500_000_000, content_length=True)
    with pytest.raises(timadmin.BodyTooLargeError):
        client.get_group_member_info(PUBLIC)
    emu.inject_fault("large_body", bytes=5 * 1024 * 1024)
    with emu.client(max_retries=0, max_response_bytes=8 * 1024 * 1024) as roomy:
        assert roomy.get_group_muted_account(PUBLIC).group_id == "@TGS#large"


def test_the_async_client_has_the_limit_too(emu: Emulator) -> None:
    emu.inject_fault("large_body")
    c = emu.async_client(max_retries=0, max_response_bytes=2048)

    async def main() -> None:
        await c.get_group_muted_account(PUBLIC)

    with pytest.raises(timadmin.BodyTooLargeError) as e:
        asyncio.run(main())
    assert e.value.limit == 2048
    c.close()


@pytest.mark.parametrize(
    "body, missing",
    [
        ("{}", "ActionStatus"),
        ('{"ActionStatus":"OK"}', "ErrorCode"),
        ('{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}', "MemberNum or MemberList or Next"),
    ],
)
def test_empty_answers_are_decode_errors(emu: Emulator, client: timadmin.Client, body: str, missing: str) -> None:
    emu.inject_fault("reply", body=body)
    with pytest.raises(timadmin.DecodeError) as e:
        client.get_group_member_info(PUBLIC)
    assert missing in str(e.value)
    emu.inject_fault("reply", body=body)
    with pytest.raises(timadmin.DecodeError):
        client.get_group_muted_account(PUBLIC)
    # The emulator's real answers still decode.
    assert client.get_group_member_info(PUBLIC).member_num == 5


def test_bad_values_are_refused_before_the_network(emu: Emulator, client: timadmin.Client) -> None:
    for group_id in ["@TGS#\x00x", "@TGS#1\n", "g" * (1 << 20)]:
        calls: List[Callable[[str], object]] = [
            client.get_group_member_info,
            client.get_group_muted_account,
            lambda g: client.modify_group_base_info(g, name="x"),
            client.members,
        ]
        for call in calls:
            with pytest.raises(timadmin.InvalidArgumentError) as e:
                call(group_id)
            assert e.value.field == "GroupId"
    for identifier in ["admin\nistrator", "admin\x00"]:
        with pytest.raises(timadmin.InvalidArgumentError) as e:
            emu.client(identifier=identifier)
        assert e.value.field == "identifier"
    with pytest.raises(timadmin.InvalidArgumentError) as e:
        timadmin.Client(4294967296, secret_key="k", base_url=emu.base_url)
    assert e.value.field == "sdkappid"
    assert emu.calls() == []


SURROGATE = "\ud800"


@pytest.mark.parametrize(
    "call, field",
    [
        (lambda c: c.get_group_member_info("@TGS#" + SURROGATE), "GroupId"),
        (lambda c: c.get_group_member_info(PUBLIC, next=SURROGATE), "Next"),
        (lambda c: c.get_group_member_info(PUBLIC, member_info_filter=["Role", SURROGATE]), "MemberInfoFilter"),
        (lambda c: c.get_group_muted_account(PUBLIC, topic_id=SURROGATE), "TopicId"),
        (lambda c: c.modify_group_base_info(PUBLIC, name=SURROGATE), "Name"),
        (lambda c: c.modify_group_base_info(PUBLIC, app_defined_data={SURROGATE: "v"}), "AppDefinedData"),
        (lambda c: c.modify_group_base_info(PUBLIC, app_defined_data={"k": SURROGATE}), "AppDefinedData"),
        (lambda c: c.members(SURROGATE), "GroupId"),
    ],
)
def test_a_lone_surrogate_is_an_invalid_argument(
    emu: Emulator, client: timadmin.Client, call: Callable[[timadmin.Client], Any], field: str
) -> None:
    with pytest.raises(timadmin.InvalidArgumentError) as e:
        call(client)
    assert not isinstance(e.value, UnicodeError)
    assert e.value.field == field
    assert "surrogate" in str(e.value)
    assert emu.calls() == []


def test_a_lone_surrogate_in_the_async_client_and_elsewhere(emu: Emulator) -> None:
    c = emu.async_client(max_retries=0)
    with pytest.raises(timadmin.InvalidArgumentError) as e:
        c.get_group_member_info(SURROGATE)
    assert e.value.field == "GroupId"
    c.close()
    for kwargs, field in [
        ({"secret_key": SURROGATE}, "secret_key"),
        ({"identifier": "a" + SURROGATE}, "identifier"),
        ({"base_url": SURROGATE}, "base_url"),
        ({"region": SURROGATE}, "region"),
        ({"usersig": SURROGATE}, "usersig"),
    ]:
        for make in [emu.client, emu.async_client]:
            with pytest.raises(timadmin.InvalidArgumentError) as e:
                make(**kwargs)
            assert e.value.field == field
    with pytest.raises(timadmin.InvalidArgumentError) as e:
        timadmin.generate_usersig(1400000000, "k", SURROGATE)
    assert e.value.field == "identifier"
    with pytest.raises(timadmin.InvalidArgumentError) as e:
        timadmin.verify_usersig(1400000000, "k", "a", SURROGATE)
    assert e.value.field == "usersig"
    # os.fsdecode of undecodable bytes gives such strings.
    with pytest.raises(timadmin.InvalidArgumentError):
        emu.client(secret_key=os.fsdecode(b"\xff\xfe"))
    # Not a str at all stays a TypeError.
    with pytest.raises(TypeError):
        emu.client(secret_key=b"bytes")


def test_clear_text_http_is_refused_unless_allowed() -> None:
    # Construction fails before any connection: these hosts are never contacted.
    for url in ["http://203.0.113.7", "http://10.0.0.1:8080"]:
        for cls in [timadmin.Client, timadmin.AsyncClient]:
            with pytest.raises(timadmin.InvalidArgumentError) as e:
                cls(1400000000, secret_key="k", base_url=url)
            assert e.value.field == "base_url"
            assert "allow_insecure_http" in str(e.value)
        timadmin.Client(1400000000, secret_key="k", base_url=url, allow_insecure_http=True).close()
    timadmin.Client(1400000000, secret_key="k", base_url="http://localhost:9").close()


def test_redirects_are_not_followed(emu: Emulator, client: timadmin.Client) -> None:
    target = emu.base_url + "/v4/group_open_http_svc/modify_group_base_info"
    for status in [302, 307]:
        emu.clear_calls()
        emu.inject_fault("reply", status=status, location=target)
        with pytest.raises(timadmin.HttpStatusError) as e:
            client.modify_group_base_info(PUBLIC, name="redirected")
        assert e.value.status == status
        assert len(emu.calls()) == 1
    group = emu.group(PUBLIC)
    assert group is not None and group["Name"] != "redirected"


def test_calls_in_flight_are_capped(emu: Emulator) -> None:
    # Eight threads, each call answered after 300 ms, at most two on the wire: about four rounds.
    emu.inject_fault("delay", delay=0.3, times=8)
    with emu.client(max_retries=0, rate_limit=None, max_in_flight=2) as c:
        errors: List[BaseException] = []

        def one() -> None:
            try:
                c.get_group_muted_account(PUBLIC)
            except BaseException as e:  # noqa: BLE001 - reported below
                errors.append(e)

        threads = [threading.Thread(target=one) for _ in range(8)]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
    assert errors == []
    assert elapsed >= 1.1, elapsed
    # From the server's side: never more than two requests in flight at once, and two at times.
    with urllib.request.urlopen(emu.base_url + "/__emulator/stats", timeout=10) as r:
        figures = json.load(r)
    assert figures["calls"] == 8, figures
    assert figures["peak_in_flight"] == 2, figures
    with pytest.raises(timadmin.InvalidArgumentError) as e:
        emu.client(max_in_flight=0)
    assert e.value.field == "max_in_flight"


def test_echoed_fragments_of_the_usersig_are_redacted(emu: Emulator, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG", logger="timadmin")
    usersig = timadmin.generate_usersig(emu.sdkappid, emu.secret_key, emu.identifier)
    shown: List[str] = []
    with emu.client(usersig=usersig, max_retries=1) as c:
        for status, body in [
            (200, '{"ActionStatus":"FAIL","ErrorCode":10002,"ErrorInfo":"busy ${USERSIG_PARTIAL}"}'),
            (200, '{"ActionStatus":"OK","ErrorCode":0,"MemberNum":"${USERSIG_PARTIAL}"}'),
            (502, "<html>${USERSIG_PARTIAL}</html>"),
        ]:
            emu.clear_faults()
            emu.inject_fault("reply", status=status, body=body, times=2)
            with pytest.raises(timadmin.TimError) as e:
                c.get_group_member_info(PUBLIC)
            shown.append(f"{e.value} {e.value!r} {getattr(e.value, 'info', '')}")
    text = "\n".join(shown) + caplog.text
    assert "[redacted]" in text
    assert "retrying" in caplog.text
    assert_no_fragment(text, usersig)
    assert_no_fragment(text, emu.secret_key)
