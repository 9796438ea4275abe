"""Maps for the MindManager action and trigger tests.

Every test works on its own copy of a map: the shipped ``examples/leads.mmap``, or a map
built here with the map library.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mapbridge.mindmanager import new_map
from mapbridge.runner import Runner
from mapbridge.state import StateStore

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def leads(tmp_path: Path) -> Path:
    """A private copy of the shipped sales pipeline map."""
    copy = tmp_path / "leads.mmap"
    shutil.copyfile(EXAMPLES / "leads.mmap", copy)
    return copy


@pytest.fixture
def twins(tmp_path: Path) -> Path:
    """A map with two subtopics of the same text under one branch, so their path is ambiguous."""
    mindmap = new_map("Projects")
    branch = mindmap.central_topic.add_subtopic("Website")
    branch.add_subtopic("Review", task={"priority": 2})
    branch.add_subtopic("Review", notes="Second pass.")
    branch.add_subtopic("Launch", labels=["q3"])
    return mindmap.save(tmp_path / "twins.mmap")


@pytest.fixture
def state_file(tmp_path: Path) -> Path:
    return tmp_path / "triggers.sqlite3"


@pytest.fixture
def check(state_file: Path) -> Callable[[str, dict[str, Any]], list[dict[str, Any]]]:
    """Run one trigger check with a fresh Runner on the shared state file, as after a restart."""

    def check_once(key: str, data: dict[str, Any]) -> list[dict[str, Any]]:
        store = StateStore(state_file)
        try:
            items: list[dict[str, Any]] = Runner(state_store=store).run(key, data)["items"]
        finally:
            store.close()
        return items

    return check_once
