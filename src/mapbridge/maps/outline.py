"""A map or one branch as a Markdown outline: a heading, then nested bullets.

Each bullet carries the topic text (a link when the topic has a hyperlink), its text
labels and its task info; the notes follow as text indented under the bullet.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from mapbridge.maps.address import ADDRESS_FIELDS, find_topic
from mapbridge.maps.edits import Result, open_input_map
from mapbridge.mindmanager import TaskInfo, Topic

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>])")
_INDENT = "  "


def export_map_outline(data: Mapping[str, Any]) -> Result:
    mindmap = open_input_map(data)
    root = mindmap.central_topic
    if any(name in data for name in ADDRESS_FIELDS):
        root = find_topic(mindmap, data)
    writer = OutlineWriter(depth=data.get("depth"), notes=data.get("notes", True))
    return {"map": data["map"], "markdown": writer.render(root)}


class OutlineWriter:
    """Renders a topic and, down to ``depth`` levels (None: all), the topics below it."""

    def __init__(self, *, depth: int | None, notes: bool) -> None:
        self.depth = depth
        self.notes = notes

    def render(self, root: Topic) -> str:
        lines = [f"# {self.title(root)}{self.details(root)}"]
        if self.notes and root.notes.strip():
            lines += ["", *root.notes.strip().splitlines()]
        if self.depth != 0:
            lines.append("")
            self._add_children(root, 0, lines)
        return "\n".join(lines).rstrip() + "\n"

    def _add_children(self, topic: Topic, level: int, lines: list[str]) -> None:
        children = [(child, "") for child in topic.subtopics]
        children += [(child, " (floating)") for child in topic.floating_topics]
        for child, marker in children:
            indent = _INDENT * level
            lines.append(f"{indent}- {self.title(child)}{marker}{self.details(child)}")
            if self.notes and child.notes.strip():
                for line in child.notes.strip().splitlines():
                    lines.append(f"{indent}{_INDENT}{line}".rstrip())
            if self.depth is None or level + 1 < self.depth:
                self._add_children(child, level + 1, lines)

    @staticmethod
    def title(topic: Topic) -> str:
        text = _escape(" ".join(topic.text.split())) or "(no text)"
        link = topic.hyperlink
        if link:
            return f"[{text}](<{link.replace('>', '%3E')}>)"
        return text

    @staticmethod
    def details(topic: Topic) -> str:
        parts = []
        if topic.labels:
            parts.append("labels: " + ", ".join(_escape(label) for label in topic.labels))
        task = topic.task
        if task is not None:
            parts.append("task: " + describe_task(task))
        return " — " + "; ".join(parts) if parts else ""


def describe_task(task: TaskInfo) -> str:
    """Describe task info in a few words: priority, progress, dates and resources."""
    parts = []
    if task.priority is not None:
        parts.append(f"priority {task.priority}")
    if task.percentage is not None:
        parts.append(f"{task.percentage} % complete")
    if task.start is not None:
        parts.append(f"start {_format_date(task.start)}")
    if task.due is not None:
        parts.append(f"due {_format_date(task.due)}")
    if task.resources:
        parts.append("resources " + ", ".join(_escape(name) for name in task.resources))
    return ", ".join(parts)


def _format_date(value: datetime) -> str:
    if (value.hour, value.minute, value.second) == (0, 0, 0):
        return value.strftime("%Y-%m-%d")
    return value.strftime("%Y-%m-%d %H:%M")


def _escape(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)
