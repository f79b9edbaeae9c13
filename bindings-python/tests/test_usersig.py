"""generate_usersig / verify_usersig over the core's TLSSigAPIv2 implementation."""

from __future__ import annotations

import time

import pytest

import timadmin

KEY = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e"
APP = 1400000000


def test_round_trip_with_defaults() -> None:
    before = int(time.time())
    sig = timadmin.generate_usersig(APP, KEY, "administrator")
    assert isinstance(sig, str) and sig
    claims = timadmin.verify_usersig(APP, KEY, "administrator", sig)
    assert claims.identifier == "administrator"
    assert claims.sdkappid == APP
    assert claims.expire == 86400
    assert before - 1 <= claims.time <= int(time.time()) + 1
    assert claims.userbuf is None
    assert claims.to_dict() == {
        "TLS.identifier": "administrator",
        "TLS.sdkappid": APP,
        "TLS.time": claims.time,
        "TLS.expire": 86400,
    }
    assert "administrator" in repr(claims) and KEY not in repr(claims)


def test_userbuf_and_expire() -> None:
    sig = timadmin.generate_usersig(APP, KEY, "alice", expire=600, userbuf=b"\x00room-42")
    claims = timadmin.verify_usersig(APP, KEY, "alice", sig, userbuf=b"\x00room-42")
    assert claims.expire == 600
    assert claims.userbuf == b"\x00room-42"
    assert claims.to_dict()["TLS.userbuf"] == b"\x00room-42"
    assert claims == timadmin.verify_usersig(APP, KEY, "alice", sig, userbuf=b"\x00room-42")
    with pytest.raises(timadmin.UserSigError) as e:
        timadmin.verify_usersig(APP, KEY, "alice", sig, userbuf=b"other")
    assert e.value.reason == "userbuf_mismatch"


@pytest.mark.parametrize(
    ("key", "identifier", "app", "reason"),
    [
        ("another-key", "alice", APP, "signature_mismatch"),
        (KEY, "bob", APP, "identifier_mismatch"),
        (KEY, "alice", APP + 1, "sdkappid_mismatch"),
    ],
)
def test_verify_failures_say_why(key: str, identifier: str, app: int, reason: str) -> None:
    sig = timadmin.generate_usersig(APP, KEY, "alice")
    with pytest.raises(timadmin.UserSigError) as e:
        timadmin.verify_usersig(app, key, identifier, sig)
    assert e.value.reason == reason
    assert isinstance(e.value, timadmin.TimError)
    assert KEY not in str(e.value) and sig not in str(e.value)


def test_expired_and_malformed() -> None:
    sig = timadmin.generate_usersig(APP, KEY, "alice", expire=0)
    time.sleep(1.1)
    with pytest.raises(timadmin.UserSigError) as e:
        timadmin.verify_usersig(APP, KEY, "alice", sig)
    assert e.value.reason == "expired"
    with pytest.raises(timadmin.UserSigError) as e:
        timadmin.verify_usersig(APP, KEY, "alice", "not a token")
    assert e.value.reason == "malformed"


def test_bad_inputs() -> None:
    with pytest.raises(timadmin.UserSigError) as e:
        timadmin.generate_usersig(APP, "", "alice")
    assert e.value.reason == "invalid_input"
    with pytest.raises(timadmin.UserSigError):
        timadmin.generate_usersig(APP, KEY, "")
    with pytest.raises(timadmin.InvalidArgumentError) as ia:
        timadmin.generate_usersig(-1, KEY, "alice")
    assert ia.value.field == "sdkappid"
    with pytest.raises(timadmin.InvalidArgumentError):
        timadmin.generate_usersig(APP, KEY, "alice", expire=-5)
    with pytest.raises(TypeError):
        timadmin.generate_usersig(APP, KEY, "alice", userbuf="text")  # type: ignore[arg-type]


def test_signature_accepted_by_emulator() -> None:
    from timadmin.testing import Emulator

    with Emulator() as emu:
        emu.generate_group("Public", "@TGS#2SIGNED", 3)
        sig = timadmin.generate_usersig(emu.sdkappid, emu.secret_key, emu.identifier)
        with timadmin.Client(emu.sdkappid, usersig=sig, base_url=emu.base_url) as c:
            assert c.get_group_member_info("@TGS#2SIGNED").member_num == 3
