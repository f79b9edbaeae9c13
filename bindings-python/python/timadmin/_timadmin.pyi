"""Type stubs of the Rust extension module ``timadmin._timadmin``."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Mapping
from types import TracebackType
from typing import Any, ClassVar, Final, final

from typing_extensions import Self, Unpack

from ._options import ClientOptions, PageOptions
from ._role import Role

__version__: str
_DEMO_FIXTURE_JSON: str

# The core's defaults (``timadmin::options``): what a client uses for an argument left unset.
DEFAULT_IDENTIFIER: Final[str]
"""The admin account calls are made as (``identifier``)."""
DEFAULT_REGION: Final[str]
"""The region calls go to when neither ``region`` nor ``base_url`` is given."""
DEFAULT_TIMEOUT: Final[float]
"""Limit for one HTTP attempt, in seconds (``timeout``)."""
DEFAULT_MAX_RETRIES: Final[int]
"""Retries after a failed attempt (``max_retries``)."""
DEFAULT_RATE_LIMIT: Final[float]
"""Client-side calls per second per endpoint (``rate_limit``)."""
DEFAULT_PAGE_SIZE: Final[int]
"""Members fetched per call by ``members`` (``page_size``)."""
DEFAULT_USERSIG_LIFETIME: Final[int]
"""Lifetime, in seconds, of the admin UserSigs a client signs for itself with ``secret_key``
(and the default ``expire`` of ``generate_usersig``)."""
DEFAULT_MAX_RESPONSE_BYTES: Final[int]
"""Largest response body a client reads, in bytes (``max_response_bytes``)."""
DEFAULT_MAX_IN_FLIGHT: Final[int]
"""HTTP calls one client has in flight at once; more wait for a slot (``max_in_flight``)."""
DEFAULT_FLEET_SIZE: Final[int]
"""Processes sharing a Redis-backed rate limit (``fleet_size``)."""
DEFAULT_REDIS_FALLBACK: Final[str]
"""What calls do while the shared limiter's Redis is unreachable (``redis_fallback``): ``"local-share"``."""

def generate_usersig(
    sdkappid: int, secret_key: str, identifier: str, expire: int = ..., userbuf: bytes | None = None
) -> str:
    """Signs a UserSig (TLSSigAPIv2) for ``identifier``, valid ``expire`` seconds from now (default
    ``DEFAULT_USERSIG_LIFETIME``)."""

def verify_usersig(
    sdkappid: int, secret_key: str, identifier: str, usersig: str, userbuf: bytes | None = None
) -> Claims:
    """Verifies a UserSig and returns its claims; raises ``UserSigError`` saying what failed."""

@final
class Claims:
    """The fields of a verified UserSig."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    @property
    def identifier(self) -> str: ...
    @property
    def sdkappid(self) -> int: ...
    @property
    def time(self) -> int: ...
    @property
    def expire(self) -> int: ...
    @property
    def expires_at(self) -> int:
        """The Unix second after which the token is no longer valid (``time + expire``)."""
    @property
    def userbuf(self) -> bytes | None: ...
    def to_dict(self) -> dict[str, Any]:
        """The REST object, with the REST field names."""

def decode_usersig(usersig: str) -> UnverifiedClaims:
    """Reads a UserSig's claims **without verifying its signature** (no key needed, nothing
    trusted), to diagnose a token; raises ``UserSigError`` (reason ``malformed``) for a token that
    cannot be read."""

@final
class UnverifiedClaims:
    """The claims of a UserSig read by ``decode_usersig``, whose signature was **not** checked:
    anyone can write a token carrying these values. Use them to diagnose a token, never to
    authorize anything; ``verify_usersig`` gives trusted ``Claims``."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    @property
    def identifier(self) -> str:
        """The user the token says it was issued for (unverified)."""
    @property
    def sdkappid(self) -> int:
        """The app the token says issued it (unverified)."""
    @property
    def time(self) -> int:
        """Claimed issue time, Unix seconds (unverified)."""
    @property
    def expire(self) -> int:
        """Claimed lifetime in seconds from ``time`` (unverified)."""
    @property
    def expires_at(self) -> int:
        """The Unix second after which the token is no longer valid (``time + expire``, unverified)."""
    @property
    def userbuf(self) -> bytes | None:
        """The user buffer the token carries, if any (unverified)."""
    def to_dict(self) -> dict[str, Any]:
        """The claims with the token's field names (``TLS.identifier``, ...)."""

@final
class GroupMember:
    """One group member; fields that were not returned are ``None``."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    @property
    def member_account(self) -> str: ...
    @property
    def role(self) -> Role | None:
        """The member's role; a ``Role`` is also its REST spelling as a ``str``."""
    @property
    def join_time(self) -> int | None: ...
    @property
    def msg_seq(self) -> int | None: ...
    @property
    def msg_flag(self) -> str | None: ...
    @property
    def last_send_msg_time(self) -> int | None: ...
    @property
    def mute_until(self) -> int | None: ...
    @property
    def name_card(self) -> str | None: ...
    @property
    def app_member_defined_data(self) -> dict[str, str] | None: ...
    def to_dict(self) -> dict[str, Any]:
        """The REST object, with the REST field names."""

@final
class GetGroupMemberInfoResponse:
    """One ``get_group_member_info`` answer."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    @property
    def member_num(self) -> int: ...
    @property
    def member_list(self) -> list[GroupMember]: ...
    @property
    def next(self) -> str | None: ...
    def to_dict(self) -> dict[str, Any]:
        """The REST object, with the REST field names."""

@final
class MutedAccount:
    """A muted member and the Unix second the mute ends (4294967295 = for good)."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    @property
    def member_account(self) -> str: ...
    @property
    def muted_until(self) -> int: ...
    def to_dict(self) -> dict[str, Any]:
        """The REST object, with the REST field names."""

@final
class GetGroupMutedAccountResponse:
    """One ``get_group_muted_account`` answer."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    @property
    def group_id(self) -> str: ...
    @property
    def muted_account_list(self) -> list[MutedAccount]: ...
    def to_dict(self) -> dict[str, Any]:
        """The REST object, with the REST field names."""

@final
class MemberPager(Iterator[GroupMember]):
    """Iterator over a group's members (one page in memory at a time)."""

    def __iter__(self) -> Self: ...
    def __next__(self) -> GroupMember: ...
    @property
    def member_num(self) -> int | None:
        """The group's member count, known after the first page."""

@final
class AsyncMemberPager(AsyncIterator[GroupMember]):
    """Async iterator over a group's members (one page in memory at a time)."""

    def __aiter__(self) -> Self: ...
    def __anext__(self) -> Awaitable[GroupMember]: ...
    @property
    def member_num(self) -> int | None:
        """The group's member count, known after the first page."""

@final
class Client:
    """Synchronous client; thread-safe, releases the GIL during calls."""

    def __new__(cls, sdkappid: int, **options: Unpack[ClientOptions]) -> Self:
        """A client for app ``sdkappid`` (options: ``ClientOptions``; no call is made). Give exactly one of
        ``secret_key`` (the client signs, caches and renews its admin UserSig), ``usersig`` (pre-signed) or
        ``usersig_provider`` (a callable returning a fresh UserSig) or ``async_usersig_provider`` (a coroutine
        function returning one); a missing, empty or second credential raises
        ``InvalidArgumentError`` with ``.field == "secret_key"``. ``region`` is one of the documented regions
        and ``base_url`` an explicit URL (emulator, proxy): give at most one (both raise ``InvalidArgumentError``,
        ``.field == "base_url"``). Options left out take the core's defaults (``DEFAULT_*``); ``rate_limit=None``
        disables the client-side limiter. A plain ``http://`` ``base_url`` must name a loopback host unless
        ``allow_insecure_http=True``: every request carries the UserSig in its URL. ``rate_limit_redis_url``
        (never shown) shares ``rate_limit`` with every process of the app using the same Redis; while it is
        unreachable each process keeps to ``rate_limit / fleet_size`` (``redis_fallback="local-share"``) or
        calls raise ``RateLimiterUnavailableError`` (``"fail"``). A ``str`` holding a lone surrogate raises
        ``InvalidArgumentError``; an unknown option ``TypeError``. ``key=`` is the deprecated name of
        ``secret_key``."""
    @classmethod
    def from_env(cls, **options: Unpack[ClientOptions]) -> Client:
        """A client configured from the ``TIM_*`` environment variables, read by the core: the variable of
        every setting (``TIM_SDKAPPID``, ``TIM_SECRET_KEY`` or ``TIM_USERSIG``, ``TIM_IDENTIFIER``, ``TIM_REGION`` or
        ``TIM_BASE_URL``, ``TIM_TIMEOUT``, ``TIM_MAX_RETRIES``, ``TIM_RATE_LIMIT``, ``TIM_USERSIG_LIFETIME``,
        ``TIM_MAX_RESPONSE_BYTES``, ``TIM_ALLOW_INSECURE_HTTP``, ``TIM_MAX_IN_FLIGHT``, ``TIM_RATE_LIMIT_REDIS_URL``,
        ``TIM_FLEET_SIZE``, ``TIM_REDIS_FALLBACK``) in the core's text form (durations ``10``, ``2.5``, ``500ms``;
        ``TIM_RATE_LIMIT=off``). Options given here win over the environment. An ``InvalidArgumentError`` names
        the variable at fault (``.field == "TIM_TIMEOUT"``)."""
    def settings(self) -> dict[str, Any]:
        """The settings the client runs with, as the core shows them (the same JSON document in every host):
        every setting by name, durations in seconds, ``rate_limit`` ``None`` when off, secrets as ``"***"``."""
    def stats(self) -> dict[str, Any]:
        """What the client has done so far, as the core's stats document (the same JSON in every host):
        ``commands`` maps each REST command used (``"get_group_member_info"``, ...) to ``calls``, ``ok``,
        ``errors`` (a count per error kind: ``"group_not_found"``, ``"timeout"``, ...), ``retries``,
        ``rate_limit_wait_ms`` (``total``, ``max``) and ``latency_ms`` (``p50``, ``p99``, ``max``);
        ``in_flight`` and ``peak_in_flight`` count HTTP attempts holding a slot. No network call."""
    def close(self) -> None:
        """Releases the client's connections; later calls raise ``TimError``."""
    @property
    def closed(self) -> bool:
        """Whether ``close()`` was called."""
    def __enter__(self) -> Self:
        """Returns the client itself, for ``with``."""
    def __exit__(self, *_exc: object) -> None:
        """Closes the client."""
    def get_group_member_info(
        self,
        group_id: str,
        *,
        member_info_filter: Iterable[str] | None = None,
        member_role_filter: Iterable[str] | None = None,
        app_defined_data_filter_group_member: Iterable[str] | None = None,
        limit: int | None = None,
        offset: int | None = None,
        next: str | None = None,
    ) -> GetGroupMemberInfoResponse:
        """One ``get_group_member_info`` call: member profiles of ``group_id``. Use ``limit``/``offset``
        for ordinary groups, ``limit`` (at most 100)/``next`` (``""`` first) for community groups. Arguments are
        validated before any call (``InvalidArgumentError``)."""
    def members(self, group_id: str, **options: Unpack[PageOptions]) -> MemberPager:
        """Every member of ``group_id``, fetched lazily ``page_size`` (default ``DEFAULT_PAGE_SIZE``) at a time
        (Offset for ordinary groups, the ``Next`` cursor for community groups), each member once. Options: ``PageOptions``."""
    def iter_group_members(self, group_id: str, **options: Unpack[PageOptions]) -> MemberPager:
        """Deprecated name of ``members``."""
    def call(self, command: str, body: dict[str, Any]) -> dict[str, Any]:
        """Any REST command, ``command`` being its path below ``v4/`` (``"service/command"``, e.g.
        ``"openim/sendmsg"``), with ``body`` sent as JSON; returns the service's answer as a dict, ``ActionStatus``
        and ``ErrorCode`` included. The same signing, retries, rate limit (per command) and exceptions as the
        typed methods: a failure answer raises ``ApiError`` (10003 for a command the service does not know); a
        bad ``command`` or a ``body`` that is not a JSON object raises ``InvalidArgumentError`` (``.field``
        ``"command"`` or ``"body"``) before anything is sent. Retries re-send the request after a timeout, a
        broken connection, an HTTP 5xx or a retryable service error, so a non-idempotent command (``sendmsg``)
        may act twice: use its own de-duplication field or ``max_retries=0``."""
    def get_group_muted_account(self, group_id: str, *, topic_id: str | None = None) -> GetGroupMutedAccountResponse:
        """The muted members of ``group_id`` (or of its topic ``topic_id``)."""
    def modify_group_base_info(
        self,
        group_id: str,
        *,
        name: str | None = None,
        introduction: str | None = None,
        notification: str | None = None,
        face_url: str | None = None,
        max_member_num: int | None = None,
        apply_join_option: str | None = None,
        shut_up_all_member: bool | None = None,
        app_defined_data: Mapping[str, str | None] | None = None,
    ) -> None:
        """Changes ``group_id``'s profile; only the arguments given change. ``shut_up_all_member`` mutes
        everyone but owner and admins; in ``app_defined_data`` a value of ``None`` deletes that key."""

@final
class AsyncClient:
    """asyncio client: the same methods as ``Client``, as coroutines."""

    def __new__(cls, sdkappid: int, **options: Unpack[ClientOptions]) -> Self:
        """A client for app ``sdkappid``: the same options (``ClientOptions``) and checks as ``Client``."""
    @classmethod
    def from_env(cls, **options: Unpack[ClientOptions]) -> AsyncClient:
        """A client configured from the ``TIM_*`` environment variables, read by the core: the variable of
        every setting (``TIM_SDKAPPID``, ``TIM_SECRET_KEY`` or ``TIM_USERSIG``, ``TIM_IDENTIFIER``, ``TIM_REGION`` or
        ``TIM_BASE_URL``, ``TIM_TIMEOUT``, ``TIM_MAX_RETRIES``, ``TIM_RATE_LIMIT``, ``TIM_USERSIG_LIFETIME``,
        ``TIM_MAX_RESPONSE_BYTES``, ``TIM_ALLOW_INSECURE_HTTP``, ``TIM_MAX_IN_FLIGHT``, ``TIM_RATE_LIMIT_REDIS_URL``,
        ``TIM_FLEET_SIZE``, ``TIM_REDIS_FALLBACK``) in the core's text form (durations ``10``, ``2.5``, ``500ms``;
        ``TIM_RATE_LIMIT=off``). Options given here win over the environment. An ``InvalidArgumentError`` names
        the variable at fault (``.field == "TIM_TIMEOUT"``)."""
    def settings(self) -> dict[str, Any]:
        """The settings the client runs with, as the core shows them (the same JSON document in every host):
        every setting by name, durations in seconds, ``rate_limit`` ``None`` when off, secrets as ``"***"``."""
    def stats(self) -> dict[str, Any]:
        """What the client has done so far, as the core's stats document (the same JSON in every host):
        ``commands`` maps each REST command used (``"get_group_member_info"``, ...) to ``calls``, ``ok``,
        ``errors`` (a count per error kind: ``"group_not_found"``, ``"timeout"``, ...), ``retries``,
        ``rate_limit_wait_ms`` (``total``, ``max``) and ``latency_ms`` (``p50``, ``p99``, ``max``);
        ``in_flight`` and ``peak_in_flight`` count HTTP attempts holding a slot. No network call; not awaitable."""
    def close(self) -> None:
        """Releases the client's connections; later calls raise ``TimError``."""
    @property
    def closed(self) -> bool:
        """Whether ``close()`` was called."""
    def __aenter__(self) -> Awaitable[Self]:
        """Returns the client itself, for ``async with``."""
    def __aexit__(self, *_exc: object) -> Awaitable[None]:
        """Closes the client."""
    def get_group_member_info(
        self,
        group_id: str,
        *,
        member_info_filter: Iterable[str] | None = None,
        member_role_filter: Iterable[str] | None = None,
        app_defined_data_filter_group_member: Iterable[str] | None = None,
        limit: int | None = None,
        offset: int | None = None,
        next: str | None = None,
    ) -> Awaitable[GetGroupMemberInfoResponse]:
        """Coroutine: one ``get_group_member_info`` call: member profiles of ``group_id``. Use ``limit``/``offset``
        for ordinary groups, ``limit`` (at most 100)/``next`` (``""`` first) for community groups. Arguments are
        validated before any call (``InvalidArgumentError``)."""
    def members(self, group_id: str, **options: Unpack[PageOptions]) -> AsyncMemberPager:
        """Async iterator over every member of ``group_id``, fetched lazily ``page_size`` (default
        ``DEFAULT_PAGE_SIZE``) at a time (Offset for ordinary groups, the ``Next`` cursor for community groups),
        each member once. Options: ``PageOptions``."""
    def iter_group_members(self, group_id: str, **options: Unpack[PageOptions]) -> AsyncMemberPager:
        """Deprecated name of ``members``."""
    def call(self, command: str, body: dict[str, Any]) -> Awaitable[dict[str, Any]]:
        """Coroutine: any REST command with ``body`` sent as JSON; the answer as a dict (as for ``Client.call``)."""
    def get_group_muted_account(
        self, group_id: str, *, topic_id: str | None = None
    ) -> Awaitable[GetGroupMutedAccountResponse]:
        """Coroutine: the muted members of ``group_id`` (or of its topic ``topic_id``)."""
    def modify_group_base_info(
        self,
        group_id: str,
        *,
        name: str | None = None,
        introduction: str | None = None,
        notification: str | None = None,
        face_url: str | None = None,
        max_member_num: int | None = None,
        apply_join_option: str | None = None,
        shut_up_all_member: bool | None = None,
        app_defined_data: Mapping[str, str | None] | None = None,
    ) -> Awaitable[None]:
        """Coroutine: changes ``group_id``'s profile; only the arguments given change. ``shut_up_all_member`` mutes
        everyone but owner and admins; in ``app_defined_data`` a value of ``None`` deletes that key."""

@final
class _Emulator:
    def __new__(
        cls,
        *,
        sdkappid: int | None = None,
        secret_key: str | None = None,
        admins: list[str] | None = None,
        rate_limit: int | None = 200,
        seed_file: str | os.PathLike[str] | None = None,
        seed_json: str | None = None,
        community_members: int | None = None,
        usersig_log: str | os.PathLike[str] | None = None,
    ) -> Self: ...
    @property
    def base_url(self) -> str: ...
    @property
    def sdkappid(self) -> int: ...
    @property
    def secret_key(self) -> str: ...
    @property
    def identifier(self) -> str: ...
    @property
    def running(self) -> bool: ...
    def stop(self) -> None: ...
    def seed_json(self, json: str) -> None: ...
    def seed_file(self, path: str | os.PathLike[str]) -> None: ...
    def add_group(self, json: str) -> None: ...
    def generate_community_group(self, group_id: str, members: int) -> None: ...
    def generate_group(self, group_type: str, group_id: str, members: int) -> None: ...
    def group(self, group_id: str) -> dict[str, Any] | None: ...
    def group_ids(self) -> list[str]: ...
    def inject_fault(
        self,
        kind: str,
        *,
        times: int = 1,
        command: str | None = None,
        code: int | None = None,
        info: str | None = None,
        status: int | None = None,
        delay: float | None = None,
        body: str | None = None,
        location: str | None = None,
        bytes: int | None = None,
        content_length: bool | None = None,
    ) -> None: ...
    def clear_faults(self) -> None: ...
    def calls(self) -> list[dict[str, Any]]: ...
    def clear_calls(self) -> None: ...
    def set_rate_limit(self, per_sec: int | None) -> None: ...
    def reset(self) -> None: ...

__all__ = [
    "__version__",
    "DEFAULT_IDENTIFIER",
    "DEFAULT_REGION",
    "DEFAULT_TIMEOUT",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_RATE_LIMIT",
    "DEFAULT_PAGE_SIZE",
    "DEFAULT_USERSIG_LIFETIME",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "DEFAULT_MAX_IN_FLIGHT",
    "DEFAULT_FLEET_SIZE",
    "DEFAULT_REDIS_FALLBACK",
    "generate_usersig",
    "verify_usersig",
    "Claims",
    "decode_usersig",
    "UnverifiedClaims",
    "GroupMember",
    "GetGroupMemberInfoResponse",
    "MutedAccount",
    "GetGroupMutedAccountResponse",
    "Client",
    "MemberPager",
    "AsyncClient",
    "AsyncMemberPager",
    "_Emulator",
    "_DEMO_FIXTURE_JSON",
]
