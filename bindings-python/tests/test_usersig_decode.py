"""decode_usersig: a UserSig's claims read without the key and without checking the signature
(the core's ``usersig::decode``), as ``UnverifiedClaims``; what cannot be read is the core's
``UserSigError`` with reason ``malformed``."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

import timadmin

KEY = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e"
APP = 1400000000
VECTORS = json.loads(
    (Path(__file__).resolve().parents[2] / "tests" / "vectors" / "usersig.json").read_text(encoding="utf-8")
)


def test_decode_gives_what_generate_signed() -> None:
    before = int(time.time())
    sig = timadmin.generate_usersig(APP, KEY, "alice", expire=600, userbuf=b"\x00room-42")
    claims = timadmin.decode_usersig(sig)
    assert isinstance(claims, timadmin.UnverifiedClaims) and not isinstance(claims, timadmin.Claims)
    assert (claims.identifier, claims.sdkappid, claims.expire, claims.userbuf) == ("alice", APP, 600, b"\x00room-42")
    assert before - 1 <= claims.time <= int(time.time()) + 1
    assert claims.expires_at == claims.time + 600
    verified = timadmin.verify_usersig(APP, KEY, "alice", sig)
    assert claims.to_dict() == verified.to_dict()
    assert repr(claims).startswith("UnverifiedClaims(") and sig not in repr(claims)
    assert claims == timadmin.decode_usersig(sig)
    no_userbuf = timadmin.decode_usersig(timadmin.generate_usersig(APP, KEY, "bob"))
    assert no_userbuf.userbuf is None and "TLS.userbuf" not in no_userbuf.to_dict()
    assert no_userbuf.expire == timadmin.DEFAULT_USERSIG_LIFETIME


def test_decode_needs_no_key_and_trusts_nothing() -> None:
    # A token whose signature no key here matches, an expired one, one of another app: all read.
    forged = timadmin.generate_usersig(APP + 7, "a key nobody here has", "mallory", expire=0)
    time.sleep(1.1)
    with pytest.raises(timadmin.UserSigError) as e:
        timadmin.verify_usersig(APP + 7, KEY, "mallory", forged)
    assert e.value.reason in {"signature_mismatch", "expired"}
    claims = timadmin.decode_usersig(forged)
    assert (claims.identifier, claims.sdkappid, claims.expire) == ("mallory", APP + 7, 0)
    assert claims.expires_at < time.time()


@pytest.mark.parametrize("case", VECTORS["valid"], ids=lambda c: c["name"])
def test_decode_reads_every_implementations_tokens(case: dict[str, Any]) -> None:
    claims = timadmin.decode_usersig(case["usersig"])
    expect = case["expect"]
    assert (claims.identifier, claims.sdkappid, claims.time, claims.expire) == (
        expect["identifier"],
        expect["sdkappid"],
        expect["time"],
        expect["expire"],
    )
    assert claims.userbuf == (b"abc" if case["userbuf_b64"] == "YWJj" else None)


@pytest.mark.parametrize(
    "token",
    [c["usersig"] for c in VECTORS["invalid"] if c["error"] == "malformed"] + ["garbage!", "*" * 70_000],
)
def test_garbage_is_the_cores_malformed_error(token: str) -> None:
    with pytest.raises(timadmin.UserSigError) as e:
        timadmin.decode_usersig(token)
    assert e.value.reason == "malformed"
    assert isinstance(e.value, timadmin.TimError)
    assert not token or token[:16] not in str(e.value)


def test_decode_takes_a_str() -> None:
    with pytest.raises(TypeError):
        timadmin.decode_usersig(b"token")  # type: ignore[arg-type]
