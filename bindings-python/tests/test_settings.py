"""The settings parity vectors (``tests/vectors/settings.json``) through Python: each case's
options as keywords of ``Client``/``AsyncClient`` (or its ``TIM_*`` variables in the environment,
read by ``from_env``), whose ``settings()`` must be the expected JSON, or refused with an
``InvalidArgumentError`` whose ``field`` is the expected one. No case sends anything."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Any, Callable, Dict, List, Union

import pytest

import timadmin
from timadmin.testing import Emulator

from conftest import PUBLIC

VECTORS = Path(__file__).resolve().parents[2] / "tests" / "vectors" / "settings.json"
CASES: List[Dict[str, Any]] = json.loads(VECTORS.read_text(encoding="utf-8"))["cases"]
CLASSES = [timadmin.Client, timadmin.AsyncClient]
AnyClient = Union[timadmin.Client, timadmin.AsyncClient]


def _keywords(options: Dict[str, Any]) -> Dict[str, Any]:
    """A case's options as Python keywords (``sdkappid`` stays in the dict)."""
    out: Dict[str, Any] = {}
    for name, value in options.items():
        if name == "rate_limit":
            # "off" or null: no limit, which Python spells None.
            out[name] = None if value in (None, "off") else value
        elif value is None:
            continue  # unset
        elif name == "usersig_provider":
            out[name] = lambda sig=value: sig
        elif name == "async_usersig_provider":

            async def provider(sig: str = value) -> str:
                return sig

            out[name] = provider
        else:
            out[name] = value
    return out


def _build(cls: Callable[..., AnyClient], case: Dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> AnyClient:
    for name in [n for n in os.environ if n.startswith("TIM_")]:
        monkeypatch.delenv(name)
    if "env" in case:
        for name, value in case["env"].items():
            monkeypatch.setenv(name, value)
        return cls.from_env()  # type: ignore[attr-defined, no-any-return]
    keywords = _keywords(case["options"])
    if "sdkappid" in keywords:
        return cls(keywords.pop("sdkappid"), **keywords)
    # Python's positional sdkappid cannot be left out; from_env with an empty environment can.
    return cls.from_env(**keywords)  # type: ignore[attr-defined, no-any-return]


def _same(got: Any, want: Any) -> bool:
    """JSON equality with numbers compared as numbers (2 == 2.0), booleans only with booleans."""
    if isinstance(want, bool) or isinstance(got, bool):
        return type(got) is type(want) and got == want
    if isinstance(want, (int, float)) and isinstance(got, (int, float)):
        return float(got) == float(want)
    if isinstance(want, dict) and isinstance(got, dict):
        return got.keys() == want.keys() and all(_same(got[k], want[k]) for k in want)
    return type(got) is type(want) and bool(got == want)


@pytest.mark.parametrize("cls", CLASSES, ids=["Client", "AsyncClient"])
@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_every_settings_vector(case: Dict[str, Any], cls: Callable[..., AnyClient], monkeypatch: pytest.MonkeyPatch) -> None:
    if "settings" in case:
        client = _build(cls, case, monkeypatch)
        try:
            shown = client.settings()
            assert _same(shown, case["settings"]), f"got {shown}\nwant {case['settings']}"
            # Secrets never appear in the document.
            text = json.dumps(shown)
            assert "pw-secret" not in text and "sig-from-callback" not in text
        finally:
            client.close()
    else:
        with pytest.raises(timadmin.InvalidArgumentError) as e:
            _build(cls, case, monkeypatch)
        assert e.value.field == case["error"]["field"]


def test_every_core_setting_is_a_python_option() -> None:
    # The effective-settings document has every setting of the core's table as a key: each is
    # a key of the ClientOptions TypedDict (sdkappid is Client's positional argument)...
    defaults = next(c for c in CASES if c["name"] == "defaults")["settings"]
    assert set(timadmin.ClientOptions.__annotations__) == set(defaults) - {"sdkappid"}
    # ...and the vectors set each of them as a keyword above.
    for name in defaults:
        assert any(name in c.get("options", {}) for c in CASES), f"no case sets {name}"
    assert len(CASES) >= 100


def test_settings_of_a_client_in_use(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIM_SDKAPPID", "1400000000")
    monkeypatch.setenv("TIM_SECRET_KEY", "k-from-env")
    monkeypatch.setenv("TIM_TIMEOUT", "2.5")
    # Options given to from_env win over the environment.
    with timadmin.Client.from_env(timeout=4, usersig_lifetime=3600) as c:
        shown = c.settings()
        assert (shown["timeout"], shown["usersig_lifetime"], shown["secret_key"]) == (4, 3600, "***")
    ac = timadmin.AsyncClient.from_env(rate_limit=None)
    assert ac.settings()["timeout"] == 2.5 and ac.settings()["rate_limit"] is None
    ac.close()
    with pytest.raises(timadmin.TimError):
        ac.settings()


def test_an_async_usersig_provider_is_awaited(emu: Emulator) -> None:
    asked: List[str] = []

    async def provider() -> str:
        await asyncio.sleep(0)
        asked.append("yes")
        return timadmin.generate_usersig(emu.sdkappid, emu.secret_key, emu.identifier)

    async def failing() -> str:
        raise ValueError("vault sealed")

    async def main() -> int:
        async with timadmin.AsyncClient(emu.sdkappid, async_usersig_provider=provider, base_url=emu.base_url) as c:
            assert c.settings()["async_usersig_provider"] == "***"
            return len((await c.get_group_muted_account(PUBLIC)).muted_account_list)

    assert asyncio.run(main()) == 2
    # A synchronous client has no event loop of its own to await on: the coroutine is run.
    with timadmin.Client(emu.sdkappid, async_usersig_provider=provider, base_url=emu.base_url) as c:
        assert c.get_group_member_info(PUBLIC).member_num == 5
    assert asked == ["yes", "yes"]
    with timadmin.Client(emu.sdkappid, async_usersig_provider=failing, base_url=emu.base_url, max_retries=0) as c:
        with pytest.raises(timadmin.CredentialsError, match="async_usersig_provider raised ValueError: vault sealed"):
            c.get_group_member_info(PUBLIC)
