"""Dry-run syncs of real maps (the corpus, when present) and of maps the project builds."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from mapbridge.mindmanager import open_map
from mapbridge.sandbox import RunningServer
from tests.mindmanager.mapfactory import write_rich_map
from tests.sync.conftest import EXAMPLES, run_sync


def corpus_maps() -> list[Path]:
    folder = os.environ.get("MAPBRIDGE_MMAP_CORPUS")
    return sorted(Path(folder).glob("*.mmap")) if folder else []


def project_maps(folder: Path) -> list[Path]:
    return [EXAMPLES / "leads.mmap", write_rich_map(folder / "rich.mmap")]


def branches_with_topics(map_path: Path) -> list[str]:
    """The central topic's branches that have text and subtopics, the largest first."""
    central = open_map(map_path).central_topic
    candidates = [*central.subtopics, *central.floating_topics]
    branches = [t for t in candidates if (t.text or "").strip() and t.subtopics]
    branches.sort(key=lambda topic: len(topic.subtopics), reverse=True)
    return [topic.text.strip().splitlines()[0] for topic in branches[:3]]


def dry_run_every_branch(map_path: Path, tmp_path: Path) -> int:
    checked = 0
    for branch in branches_with_topics(map_path):
        mapping = tmp_path / "mapping.json"
        mapping.write_text(json.dumps({"contacts_branch": [branch]}), encoding="utf-8")
        before = map_path.read_bytes()
        result = run_sync(map_path, "--dry-run", "--mapping", str(mapping))
        assert result.exit_code in (0, 12), result.output
        assert result.report["dryRun"] is True
        assert [p for p in result.report["problems"] if p["topic"] is None] == []
        assert all(call["planned"] for call in result.report["calls"])
        assert map_path.read_bytes() == before
        checked += 1
    return checked


@pytest.mark.skipif(not corpus_maps(), reason="MAPBRIDGE_MMAP_CORPUS is not set")
@pytest.mark.parametrize("map_path", corpus_maps(), ids=lambda path: path.stem)
def test_dry_run_corpus_map(connected: RunningServer, map_path: Path, tmp_path: Path) -> None:
    assert dry_run_every_branch(map_path, tmp_path) >= 1


def test_dry_run_project_maps(connected: RunningServer, tmp_path: Path) -> None:
    for map_path in project_maps(tmp_path):
        assert dry_run_every_branch(map_path, tmp_path) >= 1
