"""generate_usersig refuses what verify_usersig or the service would refuse: an identifier over
32 bytes of UTF-8 (the service's maximum) or a userbuf over 32 KiB (its token would be longer than
verify reads), with InvalidArgumentError naming the argument, before anything is signed."""

from __future__ import annotations

import base64
import zlib

import pytest

import timadmin

KEY = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e"
APP = 1400000000
MAX_IDENTIFIER_BYTES = 32
MAX_USERBUF_BYTES = 32 * 1024


def _inflate(token: str) -> bytes:
    """The JSON inside a token, inflated by Python's zlib (the C library)."""
    raw = token.replace("*", "+").replace("-", "/").replace("_", "=")
    return zlib.decompress(base64.b64decode(raw))


def test_identifier_is_bounded_in_bytes() -> None:
    for ok in ["a" * MAX_IDENTIFIER_BYTES, "é" * (MAX_IDENTIFIER_BYTES // 2)]:
        sig = timadmin.generate_usersig(APP, KEY, ok)
        assert timadmin.verify_usersig(APP, KEY, ok, sig).identifier == ok
    for bad in ["a" * (MAX_IDENTIFIER_BYTES + 1), "é" * (MAX_IDENTIFIER_BYTES // 2 + 1), "a" * 49_000]:
        with pytest.raises(timadmin.InvalidArgumentError) as e:
            timadmin.generate_usersig(APP, KEY, bad)
        assert e.value.field == "identifier"
        assert KEY not in str(e.value)


def test_userbuf_is_bounded_and_the_largest_token_verifies() -> None:
    widest = '"' * MAX_IDENTIFIER_BYTES  # escaped in the JSON: the longest identifier text
    userbuf = bytes(range(256)) * (MAX_USERBUF_BYTES // 256)
    sig = timadmin.generate_usersig(APP, KEY, widest, expire=86400, userbuf=userbuf)
    claims = timadmin.verify_usersig(APP, KEY, widest, sig, userbuf=userbuf)
    assert claims.userbuf == userbuf
    # The stream is one Python's (real) zlib reads back, Adler-32 checked.
    assert b'"TLS.userbuf":' in _inflate(sig)
    with pytest.raises(timadmin.InvalidArgumentError) as e:
        timadmin.generate_usersig(APP, KEY, "alice", userbuf=userbuf + b"x")
    assert e.value.field == "userbuf"


@pytest.mark.parametrize("size", [0, 1, 200, 4_000, 32_768])
def test_tokens_inflate_with_python_zlib(size: int) -> None:
    userbuf = bytes((i * 7) % 251 for i in range(size))
    sig = timadmin.generate_usersig(APP, KEY, "alice", userbuf=userbuf or None)
    json = _inflate(sig)
    assert json.startswith(b'{"TLS.ver":"2.0"') and json.endswith(b"}")
