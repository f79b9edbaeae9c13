"""timadmin: the Tencent Cloud Chat (IM) server-side REST API for Python admin scripts.

A thin layer over the Rust core ``timadmin``: UserSig (TLSSigAPIv2) signing, the group
endpoints ``get_group_member_info``, ``get_group_muted_account`` and
``modify_group_base_info``, paging over whole groups, retries, failover and rate limiting.

>>> import timadmin
>>> with timadmin.Client(1400000000, secret_key="...") as client:       # doctest: +SKIP
...     for member in client.members("@TGS#_community"):
...         print(member.member_account)

The words are the core's in every host (see the README's table of names): endpoint methods
are the REST command words, arguments and attributes the REST field names in snake case, and
types the core's type names (``GetGroupMemberInfoResponse``, ``MemberPager``, ``Claims``,
``Role``, ``ClientOptions``, ``PageOptions``); ``InvalidArgumentError.field`` is the core's
string (``"GroupId"``, ``"sdkappid"``, ``"TIM_SDKAPPID"``). Options left unset take the core's defaults, exported as ``DEFAULT_IDENTIFIER``,
``DEFAULT_REGION``, ``DEFAULT_TIMEOUT``, ``DEFAULT_MAX_RETRIES``, ``DEFAULT_RATE_LIMIT``,
``DEFAULT_PAGE_SIZE``, ``DEFAULT_USERSIG_LIFETIME``, ``DEFAULT_MAX_RESPONSE_BYTES``,
``DEFAULT_MAX_IN_FLIGHT``, ``DEFAULT_FLEET_SIZE`` and ``DEFAULT_REDIS_FALLBACK``.

Every setting of the core's settings table is a keyword (``ClientOptions``);
``client.settings()`` shows the settings a client runs with, as the same JSON document every host
shows, and ``Client.from_env()`` reads the same ``TIM_*`` variables as every host.

A fleet of processes shares one budget per endpoint through Redis:
``Client(..., rate_limit_redis_url="redis://host:6379/0", fleet_size=4)`` (or
``TIM_RATE_LIMIT_REDIS_URL`` with ``Client.from_env()``).

Rust ``tracing`` events of the core are forwarded to the ``timadmin`` logger of ``logging``.
"""

from __future__ import annotations

from ._errors import (
    ApiError,
    AuthError,
    BodyTooLargeError,
    CredentialsError,
    DecodeError,
    GroupNotFoundError,
    HttpStatusError,
    InvalidArgumentError,
    InvalidParameterError,
    PagingError,
    PermissionDeniedError,
    RateLimitedError,
    RateLimiterUnavailableError,
    ResponseTooLargeError,
    TimeoutError,
    TimError,
    TransportError,
    UserSigError,
)
from ._timadmin import (
    DEFAULT_FLEET_SIZE,
    DEFAULT_IDENTIFIER,
    DEFAULT_MAX_IN_FLIGHT,
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_MAX_RETRIES,
    DEFAULT_PAGE_SIZE,
    DEFAULT_RATE_LIMIT,
    DEFAULT_REDIS_FALLBACK,
    DEFAULT_REGION,
    DEFAULT_TIMEOUT,
    DEFAULT_USERSIG_LIFETIME,
    AsyncClient,
    AsyncMemberPager,
    Claims,
    Client,
    GetGroupMemberInfoResponse,
    GetGroupMutedAccountResponse,
    GroupMember,
    MemberPager,
    MutedAccount,
    UnverifiedClaims,
    __version__,
    decode_usersig,
    generate_usersig,
    verify_usersig,
)
from ._options import ClientOptions, PageOptions
from ._role import Role

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
    "ClientOptions",
    "PageOptions",
    "Client",
    "AsyncClient",
    "GetGroupMemberInfoResponse",
    "GetGroupMutedAccountResponse",
    "GroupMember",
    "MutedAccount",
    "Role",
    "MemberPager",
    "AsyncMemberPager",
    "TimError",
    "ApiError",
    "GroupNotFoundError",
    "PermissionDeniedError",
    "InvalidParameterError",
    "ResponseTooLargeError",
    "RateLimitedError",
    "AuthError",
    "TransportError",
    "TimeoutError",
    "HttpStatusError",
    "BodyTooLargeError",
    "DecodeError",
    "InvalidArgumentError",
    "UserSigError",
    "CredentialsError",
    "PagingError",
    "RateLimiterUnavailableError",
]


#: Names of earlier releases → the current ones; using an old name warns (``DeprecationWarning``).
_RENAMED = {
    "gen_usersig": "generate_usersig",
    "UserSigClaims": "Claims",
    "GroupMemberInfo": "GetGroupMemberInfoResponse",
    "GroupMutedAccount": "GetGroupMutedAccountResponse",
    "GroupMemberIterator": "MemberPager",
    "AsyncGroupMemberIterator": "AsyncMemberPager",
}


def __getattr__(name: str) -> object:
    """The deprecated names of ``_RENAMED``, with a ``DeprecationWarning``."""
    new = _RENAMED.get(name)
    if new is None:
        raise AttributeError(f"module 'timadmin' has no attribute {name!r}")
    import warnings

    warnings.warn(f"timadmin.{name} is deprecated: use timadmin.{new}", DeprecationWarning, stacklevel=2)
    return globals()[new]
