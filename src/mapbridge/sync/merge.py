"""Three-way merges against the last synced value: per field, and for sets such as tags."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Side = Literal["map", "api"]


@dataclass
class FieldMerge:
    """Changes for each side, and the fields changed differently on both sides."""

    to_api: dict[str, Any] = field(default_factory=dict)
    to_map: dict[str, Any] = field(default_factory=dict)
    conflicts: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    merged: dict[str, Any] = field(default_factory=dict)


def _blank(value: Any) -> Any:
    return None if value in ("", [], {}) else value


def merge_fields(
    base: Mapping[str, Any],
    ours: Mapping[str, Any],
    theirs: Mapping[str, Any],
    *,
    prefer: Side | None = None,
    equal: Callable[[str, Any, Any], bool] | None = None,
) -> FieldMerge:
    """Merge map values (``ours``) and API values (``theirs``) field by field against ``base``."""
    same = equal or (lambda _name, left, right: _blank(left) == _blank(right))
    result = FieldMerge()
    for name in sorted(set(base) | set(ours) | set(theirs)):
        old, mine, other = base.get(name), ours.get(name), theirs.get(name)
        map_changed = not same(name, mine, old)
        api_changed = not same(name, other, old)
        if map_changed and (not api_changed or same(name, mine, other)):
            value = mine
            if not same(name, mine, other):
                result.to_api[name] = mine
        elif api_changed and not map_changed:
            value = other
            result.to_map[name] = other
        elif map_changed and api_changed:
            if prefer == "map":
                value = mine
                result.to_api[name] = mine
            elif prefer == "api":
                value = other
                result.to_map[name] = other
            else:
                result.conflicts[name] = (mine, other)
                value = old
        else:
            value = mine if mine is not None else other
        if _blank(value) is not None:
            result.merged[name] = value
    return result


@dataclass
class SetMerge:
    add_to_api: list[str] = field(default_factory=list)
    remove_from_api: list[str] = field(default_factory=list)
    add_to_map: list[str] = field(default_factory=list)
    remove_from_map: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)


def merge_sets(base: Iterable[str], ours: Iterable[str], theirs: Iterable[str]) -> SetMerge:
    """Merge two edited copies of a set (case-insensitive), keeping each side's additions and
    removals; the spelling first seen wins."""

    def keyed(items: Iterable[str]) -> dict[str, str]:
        return {item.casefold(): item for item in reversed(list(items))}

    old, mine, other = keyed(base), keyed(ours), keyed(theirs)
    added = {
        k: v for k, v in {**other, **mine}.items() if k not in old and (k in mine or k in other)
    }
    removed = {k for k in old if k not in mine or k not in other}
    merged_keys = (set(old) - removed) | set(added)
    spelling = {**old, **other, **mine}

    result = SetMerge()
    for key in sorted(merged_keys):
        result.merged.append(spelling[key])
        if key not in other:
            result.add_to_api.append(spelling[key])
        if key not in mine:
            result.add_to_map.append(spelling[key])
    for key in sorted(set(other) - merged_keys):
        result.remove_from_api.append(other[key])
    for key in sorted(set(mine) - merged_keys):
        result.remove_from_map.append(mine[key])
    return result
