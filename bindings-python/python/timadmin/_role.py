"""``Role``: a group member's role, the core's ``timadmin::Role`` in Python's idiom."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Optional

__all__ = ["Role"]


class Role(str, enum.Enum):
    """A member's role (``Role``): ``OWNER``, ``ADMIN`` or ``MEMBER``, a ``str`` equal to its
    REST spelling (``Role.OWNER == "Owner"``).

    A role this version does not know is kept verbatim: ``Role("Moderator")`` is a ``Role``
    named ``OTHER`` whose value is ``"Moderator"`` (the core's ``Role::Other``); ``is_other``
    tells it apart. A ``Role`` is accepted wherever a role name is (``member_role_filter``).
    """

    OWNER = "Owner"
    ADMIN = "Admin"
    MEMBER = "Member"

    if TYPE_CHECKING:
        # What type checkers should see: the Enum's own constructor (a role name), not str's.
        def __new__(cls, value: object) -> Role: ...

    @classmethod
    def _missing_(cls, value: object) -> Optional[Role]:
        """An unknown role name: a ``Role`` named ``OTHER`` holding it verbatim."""
        if not isinstance(value, str):
            return None
        other = str.__new__(cls, value)
        other._name_ = "OTHER"
        other._value_ = value
        return other

    @property
    def is_other(self) -> bool:
        """Whether this is a role this version does not know (the core's ``Role::Other``)."""
        return self._name_ == "OTHER"

    def __str__(self) -> str:
        """The REST spelling (``"Owner"``), as the ``str`` it is."""
        return str.__str__(self)
