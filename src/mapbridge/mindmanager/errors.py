"""Errors of the MindManager map library.

Every class is a :class:`mapbridge.errors.MapError`, so the CLI maps all of them to exit
code 10, except :class:`MapConflictError` (exit 11)::

    MapError                    a map cannot be opened, read or written
    ├── NotAMindMapError        the file is neither a MindManager ZIP archive nor map XML
    ├── EncryptedMapError       the map is password-protected (Document.xml.zencr)
    ├── CorruptMapError         the archive or its Document.xml is truncated or broken
    ├── UnsafeMapError          the file breaks a safety limit or looks like an attack
    ├── MapEditError            an edit got an invalid value or would break the map
    └── MapConflictError        the file changed on disk since it was read
"""

from __future__ import annotations

from mapbridge.errors import MapConflictError, MapError

__all__ = [
    "CorruptMapError",
    "EncryptedMapError",
    "MapConflictError",
    "MapEditError",
    "MapError",
    "NotAMindMapError",
    "UnsafeMapError",
]


class NotAMindMapError(MapError):
    """The file is not a MindManager map: not a ZIP with Document.xml and not map XML."""


class EncryptedMapError(MapError):
    """The map is protected with a password, so its topics cannot be read."""


class CorruptMapError(MapError):
    """The archive or its Document.xml is truncated, damaged or not well-formed."""


class UnsafeMapError(MapError):
    """The file exceeds a size limit or carries content that could attack the reader."""


class MapEditError(MapError):
    """An edit was given an invalid value, or applying it would damage the map."""
