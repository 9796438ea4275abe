"""mapbridge: a connector between MindManager maps and HighLevel's Contacts API.

Operation modules need one import line: ``from mapbridge import OperationContext, ...``. Names
load on first use, so running one operation imports only what that operation needs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "Runner": "mapbridge.runner",
    "parse_input": "mapbridge.runner",
    "OperationContext": "mapbridge.context",
    "OperationApi": "mapbridge.context",
    "Connection": "mapbridge.connection",
    "create_once": "mapbridge.lookups",
    "find_duplicate_contact": "mapbridge.lookups",
    "find_created_contact": "mapbridge.lookups",
    "find_task": "mapbridge.lookups",
    "find_note": "mapbridge.lookups",
    "MapbridgeError": "mapbridge.errors",
    "InputError": "mapbridge.errors",
    "ApiError": "mapbridge.errors",
    "DuplicateContact": "mapbridge.errors",
    "NotFound": "mapbridge.errors",
    "MapError": "mapbridge.errors",
}

__all__ = [
    "ApiError",
    "Connection",
    "DuplicateContact",
    "InputError",
    "MapError",
    "MapbridgeError",
    "NotFound",
    "OperationApi",
    "OperationContext",
    "Runner",
    "create_once",
    "find_created_contact",
    "find_duplicate_contact",
    "find_note",
    "find_task",
    "parse_input",
]

if TYPE_CHECKING:
    from mapbridge.connection import Connection
    from mapbridge.context import OperationApi, OperationContext
    from mapbridge.errors import (
        ApiError,
        DuplicateContact,
        InputError,
        MapbridgeError,
        MapError,
        NotFound,
    )
    from mapbridge.lookups import (
        create_once,
        find_created_contact,
        find_duplicate_contact,
        find_note,
        find_task,
    )
    from mapbridge.runner import Runner, parse_input


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'mapbridge' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
