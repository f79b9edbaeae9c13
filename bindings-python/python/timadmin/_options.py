"""The keyword options of ``Client``/``AsyncClient`` and of ``members``, as ``TypedDict``s.

They carry the Rust core's names (``timadmin::ClientOptions``, ``timadmin::PageOptions``), so a
configuration can be built once, checked by a type checker, and passed to either client::

    options: timadmin.ClientOptions = {"secret_key": key, "region": "singapore"}
    client = timadmin.Client(1400000000, **options)

One key per setting of the core's settings table (``Client.settings()`` shows them all). Every key is
optional; a key left out takes the core's default (``timadmin.DEFAULT_*``), or the environment's
with ``from_env``, except ``rate_limit=None``, which turns the client-side limiter off.
"""

from __future__ import annotations

from typing import Awaitable, Callable, Iterable, Optional, TypedDict

__all__ = ["ClientOptions", "PageOptions"]


class ClientOptions(TypedDict, total=False):
    """Options of ``Client(sdkappid, **options)`` and ``AsyncClient(sdkappid, **options)``."""

    secret_key: str
    """The app's secret key: the client signs, caches and renews its admin UserSig."""
    usersig: str
    """A pre-signed admin UserSig, instead of ``secret_key``."""
    usersig_provider: Callable[[], str]
    """A callable returning a fresh admin UserSig, instead of ``secret_key``."""
    async_usersig_provider: Callable[[], Awaitable[str]]
    """A coroutine function returning a fresh admin UserSig, instead of ``secret_key`` (awaited on the
    ``AsyncClient`` call's event loop; a ``Client`` runs it with ``asyncio.run``)."""
    identifier: str
    """The app admin account calls are made as (``DEFAULT_IDENTIFIER``)."""
    region: str
    """The service region (``DEFAULT_REGION``); not with ``base_url``."""
    base_url: str
    """An explicit base URL (emulator, proxy); not with ``region``."""
    timeout: float
    """Limit for one HTTP attempt, in seconds (``DEFAULT_TIMEOUT``)."""
    max_retries: int
    """Retries after a failed attempt (``DEFAULT_MAX_RETRIES``)."""
    rate_limit: Optional[float]
    """Calls per second per endpoint (``DEFAULT_RATE_LIMIT``); ``None`` disables the limiter."""
    usersig_lifetime: float
    """Lifetime of the admin UserSigs the client signs with ``secret_key``, in seconds
    (``DEFAULT_USERSIG_LIFETIME``; at least 60)."""
    max_response_bytes: int
    """Largest response body read, in bytes (``DEFAULT_MAX_RESPONSE_BYTES``)."""
    allow_insecure_http: bool
    """Allow a plain ``http://`` ``base_url`` to a host other than loopback."""
    max_in_flight: int
    """HTTP calls one client has in flight at once (``DEFAULT_MAX_IN_FLIGHT``)."""
    rate_limit_redis_url: str
    """Share ``rate_limit`` with every process using this Redis (``redis://...``)."""
    fleet_size: int
    """Processes sharing the Redis budget (``DEFAULT_FLEET_SIZE``)."""
    redis_fallback: str
    """While Redis is unreachable: ``"local-share"`` (``DEFAULT_REDIS_FALLBACK``) or ``"fail"``."""


class PageOptions(TypedDict, total=False):
    """Options of ``members(group_id, **options)``."""

    page_size: int
    """Members per call (``DEFAULT_PAGE_SIZE``; at most 100 for community groups)."""
    member_info_filter: Iterable[str]
    """``MemberInfoFilter``: the member fields to return."""
    member_role_filter: Iterable[str]
    """``MemberRoleFilter``: the roles to return."""
    app_defined_data_filter_group_member: Iterable[str]
    """``AppDefinedDataFilter_GroupMember``: the custom member-data keys to return."""
