"""Three-way merges of fields and tag sets against the last synced value."""

from __future__ import annotations

import pytest

from mapbridge.sync.merge import merge_fields, merge_sets


@pytest.mark.parametrize(
    ("base", "ours", "theirs", "to_api", "to_map", "conflicts"),
    [
        ({"a": 1}, {"a": 1}, {"a": 1}, {}, {}, []),
        ({"a": 1}, {"a": 2}, {"a": 1}, {"a": 2}, {}, []),
        ({"a": 1}, {"a": 1}, {"a": 3}, {}, {"a": 3}, []),
        ({"a": 1}, {"a": 2}, {"a": 2}, {}, {}, []),
        ({"a": 1}, {"a": 2}, {"a": 3}, {}, {}, ["a"]),
        ({}, {"a": 1}, {}, {"a": 1}, {}, []),
        ({}, {}, {"a": 1}, {}, {"a": 1}, []),
        ({"a": 1}, {}, {"a": 1}, {"a": None}, {}, []),
    ],
    ids=[
        "same",
        "map-changed",
        "api-changed",
        "both-same",
        "conflict",
        "map-new",
        "api-new",
        "map-cleared",
    ],
)
def test_merge_fields_table(
    base: dict, ours: dict, theirs: dict, to_api: dict, to_map: dict, conflicts: list[str]
) -> None:
    result = merge_fields(base, ours, theirs)
    assert result.to_api == to_api
    assert result.to_map == to_map
    assert sorted(result.conflicts) == conflicts


def test_merge_fields_prefer_sides() -> None:
    map_wins = merge_fields({"a": 1}, {"a": 2}, {"a": 3}, prefer="map")
    api_wins = merge_fields({"a": 1}, {"a": 2}, {"a": 3}, prefer="api")
    assert map_wins.to_api == {"a": 2}
    assert map_wins.conflicts == {}
    assert api_wins.to_map == {"a": 3}
    assert api_wins.conflicts == {}


def test_merge_sets_keeps_both_sides_edits() -> None:
    result = merge_sets(base=["hot", "lead"], ours=["hot", "lead", "vip"], theirs=["hot"])
    assert result.merged == ["hot", "vip"]
    assert result.add_to_api == ["vip"]
    assert result.remove_from_api == []
    assert result.add_to_map == []
    assert result.remove_from_map == ["lead"]


def test_merge_sets_ignores_case() -> None:
    result = merge_sets(base=["Hot"], ours=["hot"], theirs=["HOT"])
    assert result.add_to_api == []
    assert result.remove_from_api == []
    assert len(result.merged) == 1


def test_merge_sets_first_link_is_union() -> None:
    result = merge_sets(base=[], ours=["a", "b"], theirs=["b", "c"])
    assert result.merged == ["a", "b", "c"]
    assert result.add_to_api == ["a"]
    assert result.add_to_map == ["c"]
