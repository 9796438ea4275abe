"""Running operations through the real ``mapbridge`` command, and looking topics up."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from mapbridge.cli import cli
from mapbridge.mindmanager import open_map


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def run(key: str, data: dict[str, Any]) -> dict[str, Any]:
    """Run an operation through ``mapbridge run`` and return its JSON output."""
    result = invoke("run", key, "--input", json.dumps(data), "--json")
    assert result.exit_code == 0, result.output
    output: dict[str, Any] = json.loads(result.output)
    return output


def run_failing(key: str, data: dict[str, Any]) -> Result:
    """Run an operation that must fail, and check that no traceback reaches the user."""
    result = invoke("run", key, "--input", json.dumps(data), "--text")
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit), result.exception
    return result


def topic_oid(path: Path, *texts: str) -> str:
    """Return the OId of the topic at ``texts`` below the central topic."""
    topic = open_map(path).central_topic
    for text in texts:
        topic = next(child for child in topic.subtopics if child.text == text)
    assert topic.oid is not None
    return topic.oid
