"""Offline testing: ``Emulator`` runs the embedded timadmin emulator in-process.

The emulator is a strict, stateful stand-in for the three group endpoints (it checks the
UserSig, the request fields and pages like the service) listening on a free loopback port::

    from timadmin.testing import Emulator

    def test_my_script() -> None:
        with Emulator() as emu:
            emu.generate_community_group("@TGS#_big", 5000)
            with emu.client() as client:
                assert sum(1 for _ in client.members("@TGS#_big")) == 5000
"""

from __future__ import annotations

import json
import os
from types import TracebackType
from typing import Any, Dict, List, Mapping, Optional, Sequence, Type, Union

from . import AsyncClient, Client
from ._timadmin import _DEMO_FIXTURE_JSON, _Emulator

__all__ = ["Emulator", "DEMO_FIXTURE_JSON"]

#: The emulator's demo fixture (``emulator/fixtures/demo.json``: a Public group
#: ``@TGS#2DEMOPUB`` with mutes and custom data, a community group with topics, ...), as JSON
#: text for ``Emulator(seed_json=...)`` or ``Emulator.seed_json``.
DEMO_FIXTURE_JSON: str = _DEMO_FIXTURE_JSON


class Emulator:
    """An in-process emulator on ``127.0.0.1:<free port>``; stop it with ``close()`` or ``with``.

    Defaults: SDKAppID 1400000000, the documentation's test key, admin ``administrator``,
    200 calls per second per command (``rate_limit=None`` disables the limit).
    """

    def __init__(
        self,
        *,
        sdkappid: Optional[int] = None,
        secret_key: Optional[str] = None,
        admins: Optional[Sequence[str]] = None,
        rate_limit: Optional[int] = 200,
        seed_file: Union[str, "os.PathLike[str]", None] = None,
        seed_json: Optional[str] = None,
        community_members: Optional[int] = None,
        usersig_log: Union[str, "os.PathLike[str]", None] = None,
    ) -> None:
        """``usersig_log`` is for leak sweeps only: every distinct UserSig received is appended
        to that file, so a sweep can look for them in what a test run printed."""
        self._emu = _Emulator(
            sdkappid=sdkappid,
            secret_key=secret_key,
            admins=list(admins) if admins is not None else None,
            rate_limit=rate_limit,
            seed_file=os.fspath(seed_file) if seed_file is not None else None,
            seed_json=seed_json,
            community_members=community_members,
            usersig_log=os.fspath(usersig_log) if usersig_log is not None else None,
        )

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``: pass as ``base_url`` to a client."""
        return self._emu.base_url

    @property
    def sdkappid(self) -> int:
        """The SDKAppID the emulator accepts."""
        return self._emu.sdkappid

    @property
    def secret_key(self) -> str:
        """The (test) secret key UserSigs must be signed with."""
        return self._emu.secret_key

    @property
    def key(self) -> str:
        """Deprecated name of ``secret_key``."""
        import warnings

        warnings.warn("Emulator.key is deprecated: use Emulator.secret_key", DeprecationWarning, stacklevel=2)
        return self._emu.secret_key

    @property
    def identifier(self) -> str:
        """The app admin identifier."""
        return self._emu.identifier

    @property
    def running(self) -> bool:
        """Whether the server still runs."""
        return self._emu.running

    def client(self, **kwargs: Any) -> Client:
        """A ``Client`` for this emulator; keyword arguments override the defaults."""
        return Client(self.sdkappid, **self._client_options(kwargs))

    def async_client(self, **kwargs: Any) -> AsyncClient:
        """An ``AsyncClient`` for this emulator; keyword arguments override the defaults."""
        return AsyncClient(self.sdkappid, **self._client_options(kwargs))

    def _client_options(self, overrides: Dict[str, Any]) -> Dict[str, Any]:
        """This emulator's credentials and URL, with ``overrides`` applied (another credential
        replaces the secret key)."""
        options: Dict[str, Any] = {"secret_key": self.secret_key, "identifier": self.identifier, "base_url": self.base_url}
        if overrides.keys() & {"usersig", "usersig_provider", "key"}:
            del options["secret_key"]
        options.update(overrides)
        return options

    def seed_json(self, document: Union[str, Mapping[str, Any]]) -> None:
        """Loads a fixture document (JSON text or a dict ``{"Groups": [...]}``)."""
        self._emu.seed_json(document if isinstance(document, str) else json.dumps(document))

    def seed_file(self, path: Union[str, "os.PathLike[str]"]) -> None:
        """Loads a fixture file."""
        self._emu.seed_file(os.fspath(path))

    def add_group(self, group: Union[str, Mapping[str, Any]]) -> None:
        """Adds or replaces one group in fixture form (``{"GroupId": ..., "Type": ..., ...}``)."""
        self._emu.add_group(group if isinstance(group, str) else json.dumps(group))

    def generate_community_group(self, group_id: str, members: int) -> None:
        """Adds a community group (``@TGS#_...``, paged by cursor) of generated members."""
        self._emu.generate_community_group(group_id, members)

    def generate_group(self, group_type: str, group_id: str, members: int) -> None:
        """Adds a group of ``group_type`` (``Public``, ``Work``, ``Meeting``, ...) of generated members."""
        self._emu.generate_group(group_type, group_id, members)

    def group(self, group_id: str) -> Optional[Dict[str, Any]]:
        """The group as stored (fixture form, REST field names), or ``None``."""
        return self._emu.group(group_id)

    def group_ids(self) -> List[str]:
        """IDs of all groups, sorted."""
        return self._emu.group_ids()

    def inject_fault(
        self,
        kind: str,
        times: int = 1,
        command: Optional[str] = None,
        code: Optional[int] = None,
        info: Optional[str] = None,
        status: Optional[int] = None,
        delay: Optional[float] = None,
        body: Optional[str] = None,
        location: Optional[str] = None,
        bytes: Optional[int] = None,
        content_length: Optional[bool] = None,
    ) -> None:
        """Makes the next ``times`` calls (of ``command`` only, if given) misbehave.

        ``kind``: ``"error_code"`` (``code``, ``info``), ``"http_status"`` (``status``, default
        502), ``"truncated_body"``, ``"delay"`` (``delay`` seconds, then a normal answer),
        ``"close_connection"``, ``"reply"`` (a hostile server's exact answer: ``status``, default
        200, ``body``, where ``${USERSIG}`` / ``${USERSIG_PARTIAL}`` echo the request's UserSig,
        and ``location``) or ``"large_body"`` (a 200 answer of ``bytes`` bytes, endless when
        ``None``, announced by Content-Length when ``content_length``).
        """
        self._emu.inject_fault(
            kind,
            times=times,
            command=command,
            code=code,
            info=info,
            status=status,
            delay=delay,
            body=body,
            location=location,
            bytes=bytes,
            content_length=content_length,
        )

    def clear_faults(self) -> None:
        """Drops the pending faults."""
        self._emu.clear_faults()

    def calls(self) -> List[Dict[str, Any]]:
        """The calls received, oldest first (``command``, ``body``, ``error_code``, ...)."""
        return self._emu.calls()

    def clear_calls(self) -> None:
        """Empties the call log."""
        self._emu.clear_calls()

    def set_rate_limit(self, per_sec: Optional[int]) -> None:
        """Calls per second per command; ``None`` disables the limit."""
        self._emu.set_rate_limit(per_sec)

    def reset(self) -> None:
        """Back to the start state (seed reloaded, call log and faults cleared)."""
        self._emu.reset()

    def close(self) -> None:
        """Stops the server. Idempotent."""
        self._emu.stop()

    def __enter__(self) -> "Emulator":
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Emulator(base_url={self.base_url!r}, sdkappid={self.sdkappid})"
