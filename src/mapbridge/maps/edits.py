"""The map actions that write: each opens the map named by ``map``, edits it and saves it.

Saving is atomic and raises MapConflictError (exit 11) when the file changed on disk
since it was read. A map is written only when the edit changed something.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from mapbridge.errors import InputError, MapError
from mapbridge.maps.address import describe, find_topic, subtree
from mapbridge.maps.errors import InvalidEditError, MapExistsError
from mapbridge.mindmanager import MapEditError, MindMap, Topic, TopicProperty, new_map, open_map

logger = logging.getLogger(__name__)

Result = dict[str, Any]
TASK_INPUTS = ("priority", "percentage", "start", "due", "resources")


def open_input_map(data: Mapping[str, Any]) -> MindMap:
    """Open the map file that the input's ``map`` names."""
    return open_map(Path(data["map"]))


@contextmanager
def input_edits() -> Iterator[None]:
    """Report an edit the map library rejects as an input error (exit 2), not a map error."""
    try:
        yield
    except MapEditError as error:
        raise InvalidEditError(error.message) from None


def edit_topic(
    data: Mapping[str, Any], edit: Callable[[Topic, MindMap], Result | None]
) -> Result:
    """Open the map, apply ``edit`` to the addressed topic, save, and return the topic.

    ``edit`` may return more output fields, such as the labels it added.
    """
    mindmap = open_input_map(data)
    topic = find_topic(mindmap, data)
    with input_edits():
        extra = edit(topic, mindmap) or {}
    save_if_changed(mindmap)
    return {"map": data["map"], "topic": topic.to_dict(depth=0), **extra}


def save_if_changed(mindmap: MindMap) -> None:
    if mindmap.changed:
        mindmap.save()
    else:
        logger.info("Map %s is unchanged, so it was not written", mindmap.path)


# The actions


def create_map(data: Mapping[str, Any]) -> Result:
    mindmap = new_map(data["centralTopic"])
    with input_edits():
        for branch in data.get("branches", []):
            add_topic_tree(mindmap.central_topic, branch)
    write_new_map(mindmap, Path(data["map"]), overwrite=bool(data.get("overwrite", False)))
    return {"map": data["map"], "topic": mindmap.central_topic.to_dict()}


def add_topic(data: Mapping[str, Any]) -> Result:
    mindmap = open_input_map(data)
    parent = mindmap.central_topic
    if "parent" in data:
        parent = find_topic(mindmap, data["parent"], "input.parent")
    with input_edits():
        topic = add_topic_tree(parent, data, data.get("index"))
    mindmap.save()
    return {"map": data["map"], "topic": topic.to_dict()}


def update_topic(data: Mapping[str, Any]) -> Result:
    def edit(topic: Topic, mindmap: MindMap) -> None:
        topic.text = data["text"]

    return edit_topic(data, edit)


def delete_topic(data: Mapping[str, Any]) -> Result:
    mindmap = open_input_map(data)
    topic = find_topic(mindmap, data)
    removed = topic.to_dict(depth=0)
    count = len(subtree(topic))
    with input_edits():
        topic.delete()
    mindmap.save()
    logger.info("Deleted %s (%d topics) from %s", describe(topic), count, data["map"])
    return {"map": data["map"], "topic": removed, "deletedTopics": count}


def move_topic(data: Mapping[str, Any]) -> Result:
    def edit(topic: Topic, mindmap: MindMap) -> None:
        parent = find_topic(mindmap, data["parent"], "input.parent")
        topic.move_to(parent, data.get("index"))

    return edit_topic(data, edit)


def set_topic_notes(data: Mapping[str, Any]) -> Result:
    def edit(topic: Topic, mindmap: MindMap) -> None:
        if data.get("mode", "replace") == "append":
            if data["notes"]:
                topic.append_notes(data["notes"])
        else:
            topic.notes = data["notes"]

    return edit_topic(data, edit)


def set_topic_task(data: Mapping[str, Any]) -> Result:
    fields = {name: data[name] for name in TASK_INPUTS if name in data}
    if not fields and not data.get("clear"):
        raise InputError(
            "set_topic_task got no task field; give at least one of "
            f"{', '.join(TASK_INPUTS)} (null removes a field), or clear: true."
        )

    def edit(topic: Topic, mindmap: MindMap) -> None:
        if data.get("clear"):
            topic.clear_task()
        if fields:
            topic.set_task(**fields)

    return edit_topic(data, edit)


def add_topic_labels(data: Mapping[str, Any]) -> Result:
    def edit(topic: Topic, mindmap: MindMap) -> Result:
        before = set(topic.labels)
        topic.add_labels(data["labels"])
        return {"added": [label for label in topic.labels if label not in before]}

    return edit_topic(data, edit)


def remove_topic_labels(data: Mapping[str, Any]) -> Result:
    def edit(topic: Topic, mindmap: MindMap) -> Result:
        wanted = {label.strip().casefold() for label in data["labels"]}
        removed = [label for label in topic.labels if label.casefold() in wanted]
        topic.remove_labels(removed)
        return {"removed": removed}

    return edit_topic(data, edit)


def set_topic_properties(data: Mapping[str, Any]) -> Result:
    def edit(topic: Topic, mindmap: MindMap) -> None:
        topic.set_properties(property_values(data["properties"]))

    return edit_topic(data, edit)


def set_topic_hyperlink(data: Mapping[str, Any]) -> Result:
    def edit(topic: Topic, mindmap: MindMap) -> None:
        topic.set_hyperlink(data["url"], title=data.get("title"))

    return edit_topic(data, edit)


# Helpers


def add_topic_tree(parent: Topic, spec: Mapping[str, Any], index: int | None = None) -> Topic:
    """Add a subtopic as ``spec`` describes it (text, notes, task, labels, ...) with its subtopics."""
    topic = parent.add_subtopic(
        spec["text"],
        index,
        notes=spec.get("notes"),
        task=spec.get("task"),
        labels=spec.get("labels"),
        properties=property_values(spec.get("properties") or {}),
        hyperlink=spec.get("hyperlink"),
    )
    for child in spec.get("subtopics", []):
        add_topic_tree(topic, child)
    return topic


def property_values(values: Mapping[str, Any]) -> dict[str, object]:
    """Turn input property values into library values; ``{"value", "type"}`` sets the type."""
    converted: dict[str, object] = {}
    for name, value in values.items():
        if isinstance(value, Mapping):
            converted[name] = TopicProperty(
                name, value.get("value"), value.get("type", "text"), value.get("format")
            )
        else:
            converted[name] = value
    return converted


def write_new_map(mindmap: MindMap, path: Path, *, overwrite: bool) -> None:
    """Save a new map to ``path``; an existing file is replaced only when ``overwrite`` is set."""
    if path.is_dir():
        raise InputError(f"{path} is a folder; give the path of the map file to create in it.")
    if overwrite:
        mindmap.save(path)
        return
    try:
        # Creating the file exclusively reserves the name, so a map that appears between
        # the check and the write is not overwritten.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError:
        raise MapExistsError(
            f"{path} exists already. Pass \"overwrite\": true to replace it, or choose "
            "another path."
        ) from None
    except OSError as error:
        raise MapError(f"Map file {path} cannot be created: {error.strerror}.") from None
    os.close(descriptor)
    try:
        mindmap.save(path)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
