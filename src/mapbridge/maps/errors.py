"""Errors of the map operations, each caused by an input that needs changing.

All of them are :class:`mapbridge.errors.InputError` (exit code 2), because the fix is a
change to the input::

    InputError
    ├── TopicNotFoundError      no topic matches the oid, path or contactId
    ├── AmbiguousTopicError     a path or contact id matches more than one topic
    ├── InvalidEditError        the map library rejected a value or an edit of the input
    └── MapExistsError          create_map would overwrite an existing file

Problems with the map file itself (missing, not a map, password-protected, damaged)
stay :class:`mapbridge.errors.MapError` (exit code 10), and a map changed on disk since
it was read stays :class:`mapbridge.errors.MapConflictError` (exit code 11).
"""

from __future__ import annotations

from mapbridge.errors import InputError


class TopicNotFoundError(InputError):
    """No topic of the map matches the address in the input."""


class AmbiguousTopicError(InputError):
    """The address in the input matches more than one topic."""


class InvalidEditError(InputError):
    """The input requests an edit the map cannot take, such as a topic moved into its subtree."""


class MapExistsError(InputError):
    """The map file to create exists already and the input does not allow overwriting it."""
