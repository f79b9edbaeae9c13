"""The exception hierarchy of timadmin.

Which class is raised is decided by the Rust core's error variant (and, for service errors,
its classification of the ``ErrorCode``). Messages never contain the secret key or a UserSig.
"""

from __future__ import annotations

import builtins
import re
import sys

__all__ = [
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


class TimError(Exception):
    """Base class of every error raised by timadmin."""


class ApiError(TimError):
    """The service answered ``ActionStatus: FAIL`` with a non-zero ``ErrorCode``.

    ``code`` and ``info`` are the service's ``ErrorCode`` and ``ErrorInfo``; ``kind`` is the
    core's stable snake_case name of the code, the same in every host (``"group_not_found"``,
    ``"rate_limited"``, ..., ``"other"``); ``description`` says in English what it means.
    """

    code: int
    info: str
    kind: str
    description: str

    def __init__(
        self, message: str, code: int = 0, info: str = "", kind: str = "other", description: str = ""
    ) -> None:
        super().__init__(message)
        self.code = code
        self.info = info
        self.kind = kind
        self.description = description


class GroupNotFoundError(ApiError):
    """10010: the group does not exist or was deleted."""


class PermissionDeniedError(ApiError):
    """10007 (or 60010): the identifier is not an app admin."""


class InvalidParameterError(ApiError):
    """10004: the service rejected a parameter."""


class ResponseTooLargeError(ApiError):
    """10018: the response would exceed 1 MB; ask for fewer members."""


class RateLimitedError(ApiError):
    """60007/60011: call rate over the limit (after the client's own retries)."""


class AuthError(ApiError):
    """60004/60005 and 700xx: account, signature or UserSig problem."""


class TransportError(TimError):
    """The request got no complete HTTP answer (connection refused or reset, DNS, TLS...)."""


class TimeoutError(TransportError, builtins.TimeoutError):
    """No answer within the configured timeout. Also a builtin ``TimeoutError``."""

    def __init__(self, message: str) -> None:
        # OSError would read a 2-tuple as (errno, strerror); keep one message argument.
        super().__init__(message)


class HttpStatusError(TransportError):
    """The HTTP status was not 200 (``status``); the service does that only when the network fails."""

    status: int

    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.status = status


class BodyTooLargeError(TransportError):
    """The answer's body was larger than the client's ``max_response_bytes`` (``limit``);
    reading stopped there. Not retried: a server sending such answers is broken or hostile."""

    limit: int

    def __init__(self, message: str, limit: int = 0) -> None:
        super().__init__(message)
        self.limit = limit


class DecodeError(TimError):
    """The body was not the JSON the endpoint documents."""


class InvalidArgumentError(TimError, ValueError):
    """An argument was rejected before any network call.

    ``field`` is the core's name of it, the same string in every host: the REST name of a
    request field (``"GroupId"``, ``"Limit"``, ``"AppDefinedData"``), the setting's name for a
    client option (``"sdkappid"``, ``"rate_limit"``), the variable for ``from_env``
    (``"TIM_SDKAPPID"``). ``reason`` says what is wrong with it.
    """

    field: str
    reason: str

    def __init__(self, message: str, field: str = "", reason: str = "") -> None:
        super().__init__(message)
        self.field = field
        self.reason = reason

    def add_note(self, note: str) -> None:
        """Adds ``note`` (PEP 678). A ``str`` argument that is not valid Unicode is refused
        before its name is known; the note the extension then adds, ``while processing
        'group_id'``, supplies ``field`` (the core's name: ``GroupId``)."""
        match = _ARGUMENT_NOTE.fullmatch(note)
        if match is not None and not self.field:
            self.field = _POSITIONAL_FIELDS.get(match.group(1), match.group(1))
        if sys.version_info >= (3, 11):
            super().add_note(note)
        else:
            notes: list[str] = list(getattr(self, "__notes__", []))
            self.__notes__ = [*notes, note]


_ARGUMENT_NOTE = re.compile(r"while processing '(\w+)'")
#: Positional ``str`` arguments that are REST request fields, with their REST names; the other
#: positional ``str`` arguments (``secret_key``, ``identifier``, ``usersig``) are the core's names.
_POSITIONAL_FIELDS = {"group_id": "GroupId"}


class UserSigError(TimError):
    """A UserSig could not be signed or did not verify.

    ``reason`` is one of ``malformed``, ``identifier_mismatch``, ``sdkappid_mismatch``,
    ``expired``, ``userbuf_mismatch``, ``signature_mismatch``, ``invalid_input``.
    """

    reason: str

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason


class CredentialsError(TimError):
    """The ``usersig_provider`` callback failed or returned nothing usable."""


class PagingError(TimError):
    """The server broke the paging protocol (repeated cursor, no progress)."""


class RateLimiterUnavailableError(TimError):
    """The shared rate limiter's Redis cannot be reached and the client was built with
    ``redis_fallback="fail"``: the call was not sent. Redis is tried again at most every second;
    the message names the server without its password."""
