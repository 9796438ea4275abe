"""``mapbridge poll`` and ``mapbridge watch`` on a map trigger.

``watch`` runs as a real process: the test waits until it watches, edits the map, reads one
batch from its output and stops it with Ctrl-C (SIGINT), all within fixed time limits.
"""

from __future__ import annotations

import json
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest
import watchfiles
from map_cli import invoke, run

from mapbridge.cli.trigger_commands import file_changes

WAIT_SECONDS = 20


def test_poll_prints_new_items_as_json(leads: Path) -> None:
    data = json.dumps({"map": str(leads)})
    first = invoke("poll", "new_topic", "--input", data, "--json")
    assert first.exit_code == 0
    assert json.loads(first.output) == {"items": []}

    run("add_topic", {"map": str(leads), "parent": {"path": "Leads"}, "text": "Grace Brewster"})
    second = invoke("poll", "new_topic", "--input", data, "--json")
    [item] = json.loads(second.output)["items"]
    assert item["topic"]["text"] == "Grace Brewster"

    third = invoke("poll", "new_topic", "--input", data, "--json")
    assert json.loads(third.output) == {"items": []}


def test_poll_text_lists_changes(leads: Path) -> None:
    data = json.dumps({"map": str(leads)})
    assert "no new changes" in invoke("poll", "updated_topic", "--input", data, "--text").output
    run("update_topic", {"map": str(leads), "path": "Ideas / Referral bonus", "text": "Referral plan"})
    result = invoke("poll", "updated_topic", "--input", data, "--text")
    assert result.exit_code == 0
    assert "updated_topic: 1 new change" in result.output
    assert "updated   Ideas / Referral plan" in result.output
    assert "changed: text" in result.output


@pytest.mark.parametrize("command", ["poll", "watch"])
def test_action_key_rejected(command: str, leads: Path) -> None:
    result = invoke(command, "add_topic", "--input", json.dumps({"map": str(leads)}), "--text")
    assert result.exit_code == 2
    assert "add_topic is an action, not a polling or map-watch trigger" in result.output
    assert "mapbridge run add_topic" in result.output


def test_unknown_key_rejected(leads: Path) -> None:
    result = invoke("poll", "new_topics", "--input", json.dumps({"map": str(leads)}), "--text")
    assert result.exit_code == 2
    assert "Did you mean new_topic" in result.output


def test_poll_invalid_input(leads: Path) -> None:
    result = invoke("poll", "new_topic", "--input", json.dumps({"map": str(leads), "x": 1}), "--text")
    assert result.exit_code == 2
    assert "unknown property 'x'" in result.output


def lines_of(stream: IO[str]) -> queue.Queue[str]:
    """Collect a stream's lines in a background thread, so reading can time out."""
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        for line in stream:
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    return lines


def wait_for(lines: queue.Queue[str], text: str, seconds: float) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=max(0.01, deadline - time.monotonic()))
        except queue.Empty:
            break
        if text in line:
            return line
    raise AssertionError(f"no line with {text!r} within {seconds} s")


@pytest.mark.parametrize("mode", [[], ["--poll", "--interval", "0.2"]], ids=["events", "polling"])
def test_watch_prints_batch_and_stops(leads: Path, mode: list[str]) -> None:
    command = [
        sys.executable, "-c", "from mapbridge.cli import main; main()", "-v",
        "watch", "new_topic", "--input", json.dumps({"map": str(leads)}), "--json", *mode,
    ]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
    )
    try:
        output, errors = lines_of(process.stdout), lines_of(process.stderr)  # type: ignore[arg-type]
        wait_for(errors, "Watching", WAIT_SECONDS)
        run("add_topic", {"map": str(leads), "parent": {"path": "Ideas"}, "text": "Idea"})
        batch = json.loads(output.get(timeout=WAIT_SECONDS))
        assert [item["topic"]["text"] for item in batch["items"]] == ["Idea"]

        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=WAIT_SECONDS) == 0
        wait_for(errors, "Stopped watching.", WAIT_SECONDS)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=WAIT_SECONDS)


def test_watch_falls_back_to_polling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # Exhausting the system's file-watch limit is not possible in a test, so a stand-in
    # for watchfiles.watch fails the way it does when events are not available.
    calls: list[bool] = []

    def fake_watch(*paths: object, force_polling: bool, **options: object) -> Iterator[set[object]]:
        calls.append(force_polling)
        if not force_polling:
            raise OSError(28, "inotify watch limit reached")
        yield set()
        yield {(2, str(tmp_path / "map.mmap"))}

    monkeypatch.setattr(watchfiles, "watch", fake_watch)
    wakeups = file_changes(tmp_path / "map.mmap", 0.5, force_polling=False)
    assert [next(wakeups), next(wakeups)] == [None, None]
    assert calls == [False, True]
    assert "polling every 0.5 s instead" in caplog.text
