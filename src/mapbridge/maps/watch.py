"""The map-watch triggers: compare a map with the snapshot of the last check, emit changes.

The runner stores the snapshot (``ctx.next_state``) and the ids it delivered in one
transaction, so each change fires once, also across restarts. The first check only
records the snapshot. Item ids name the topic, the kind of change and the number of
the check that found it, so a later change of the same topic gets a new id.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mapbridge.context import OperationContext
from mapbridge.maps.address import describe, find_by_path, subtree
from mapbridge.maps.edits import Result, open_input_map
from mapbridge.maps.errors import TopicNotFoundError
from mapbridge.maps.snapshot import (
    Change,
    Record,
    compare,
    contact_changes,
    contact_identity,
    record_path,
    text_identity,
    topic_key,
    topic_record,
)
from mapbridge.mindmanager import MindMap, Topic

if TYPE_CHECKING:
    from mapbridge.sync.mapping import Mapping as ContactMapping

logger = logging.getLogger(__name__)

STATE_VERSION = 1


@dataclass(frozen=True)
class Trigger:
    """A trigger's kind of topics (all, or contacts), its change filter and its change name."""

    change: str
    selects: Callable[[Change], list[str] | None]
    contacts: bool = False


@dataclass
class Scope:
    """The watched topics in document order, with the path texts above them."""

    topics: list[Topic]
    base: list[str]
    branch: str | None


def _new(change: Change) -> list[str] | None:
    return [] if change.kind == "new" else None


def _deleted(change: Change) -> list[str] | None:
    return [] if change.kind == "deleted" else None


def _updated(change: Change) -> list[str] | None:
    return change.changed if change.kind == "updated" else None


def _contact_updated(change: Change) -> list[str] | None:
    if change.kind != "updated" or change.before is None or change.after is None:
        return None
    return contact_changes(change.before, change.after) or None


def _task_updated(change: Change) -> list[str] | None:
    if change.kind != "updated" or not (_task(change.before) or _task(change.after)):
        return None
    changed = [name for name in change.changed if name == "text" or name.startswith("task.")]
    return changed or None


def _completed(change: Change) -> list[str] | None:
    if change.kind == "deleted" or _percentage(change.after) != 100:
        return None
    if change.before is not None and _percentage(change.before) == 100:
        return None
    return ["task.percentage"]


def _labels_changed(change: Change) -> list[str] | None:
    if change.kind == "deleted":
        return None
    added, removed = _label_changes(change)
    return ["labels"] if added or removed else None


TRIGGERS = {
    "new_topic": Trigger("new", _new),
    "updated_topic": Trigger("updated", _updated),
    "deleted_topic": Trigger("deleted", _deleted),
    "new_contact_topic": Trigger("new", _new, contacts=True),
    "updated_contact_topic": Trigger("updated", _contact_updated, contacts=True),
    "updated_task_topic": Trigger("updated", _task_updated),
    "completed_task_topic": Trigger("completed", _completed),
    "topic_labels_changed": Trigger("labels", _labels_changed),
}


def check(ctx: OperationContext, data: Mapping[str, Any], key: str) -> Result:
    """Run one check of the trigger ``key``: set ``ctx.next_state`` and return new items."""
    trigger = TRIGGERS[key]
    mapping = _load_mapping(data) if trigger.contacts else None
    previous = _usable_state(ctx.previous_state, key)
    mindmap = open_input_map(data)
    if mapping is not None:
        scope = _contact_scope(mindmap, data, previous, mapping)
    else:
        scope = _scope(mindmap, data, previous)

    topics: dict[str, Topic] = {}
    for topic in scope.topics:
        topics.setdefault(topic_key(topic), topic)
    records = {
        name: topic_record(topic, _contact_record(topic, mapping) if mapping is not None else None)
        for name, topic in topics.items()
    }
    sequence = previous["sequence"] + 1 if previous else 0
    ctx.next_state = {
        "version": STATE_VERSION,
        "sequence": sequence,
        "branch": scope.branch,
        "base": scope.base,
        "topics": records,
    }
    if previous is None:
        logger.info("%s: first check of %s recorded %d topics", key, data["map"], len(records))
        return {"items": []}

    identity = contact_identity if trigger.contacts else text_identity
    items = []
    for change in compare(previous["topics"], records, identity):
        changed = trigger.selects(change)
        if changed is not None:
            items.append(_item(trigger, change, changed, sequence, topics, previous))
    logger.info("%s: check %d of %s found %d items", key, sequence, data["map"], len(items))
    # NOTE: a map records no edit times, so "newest first" within one check is reverse
    # document order: topics added at the end of a branch come first.
    return {"items": list(reversed(items))}


def _item(
    trigger: Trigger,
    change: Change,
    changed: list[str],
    sequence: int,
    topics: dict[str, Topic],
    previous: dict[str, Any],
) -> Result:
    topic = topics.get(change.key) if change.kind != "deleted" else None
    item: Result = {
        "id": f"{change.key}:{trigger.change}:{sequence}",
        "oid": _oid(change.key),
        "change": trigger.change,
        "topic": topic.to_dict(depth=0) if topic is not None else None,
        "previous": None,
        "changed": changed,
    }
    if change.before is not None and change.previous_key is not None:
        item["previous"] = _render_previous(change.before, change.previous_key, previous)
        if change.previous_key != change.key:
            item["previousOid"] = _oid(change.previous_key)
    if trigger.change == "labels":
        item["labelsAdded"], item["labelsRemoved"] = _label_changes(change)
    if trigger.contacts:
        item["contact"] = (change.after or change.before or {}).get("contact")
    return item


def _render_previous(record: Record, key: str, state: dict[str, Any]) -> Result:
    rendered = {
        "oid": _oid(key),
        "text": record["text"],
        "path": record_path(state["topics"], key, state["base"]),
        "hasNotes": bool(record["notes"]),
        "labels": record["labels"],
        "task": record["task"],
        "properties": record["properties"],
        "hyperlink": record["hyperlink"],
    }
    if "contact" in record:
        rendered["contact"] = record["contact"]
    return rendered


# Scopes


def _scope(mindmap: MindMap, data: Mapping[str, Any], previous: dict[str, Any] | None) -> Scope:
    if "branch" not in data:
        return Scope(list(mindmap.iter_topics()), [], None)
    branch = _find_branch(mindmap, data["branch"], previous)
    return Scope(subtree(branch), list(branch.path[:-1]), topic_key(branch))


def _contact_scope(
    mindmap: MindMap,
    data: Mapping[str, Any],
    previous: dict[str, Any] | None,
    mapping: ContactMapping,
) -> Scope:
    from mapbridge.sync.topics import find_contact_branch

    if "branch" in data:
        branch = _find_branch(mindmap, data["branch"], previous)
    else:
        found = find_contact_branch(mindmap, mapping)
        if found is None:
            raise TopicNotFoundError(
                f"{data['map']} has no contacts branch: no topic below the central topic is "
                f"named {' or '.join(map(repr, mapping.contacts_branch))}. Give the branch "
                "path in the branch input, or set contacts_branch in a mapping file."
            )
        branch = found
    return Scope(branch.subtopics, list(branch.path), topic_key(branch))


def _find_branch(mindmap: MindMap, path: Any, previous: dict[str, Any] | None) -> Topic:
    """Find the watched branch by path, or by the OId it had at the last check if renamed."""
    try:
        return find_by_path(mindmap, path)
    except TopicNotFoundError:
        stored = previous.get("branch") if previous else None
        topic = mindmap.find_by_oid(stored) if stored else None
        if topic is None:
            raise
        logger.info("Watched branch %r is now %r; following it by OId", path, describe(topic))
        return topic


# Helpers


def _load_mapping(data: Mapping[str, Any]) -> ContactMapping:
    from mapbridge.sync.mapping import load_mapping

    return load_mapping(Path(data["mapping"]) if "mapping" in data else None)


def _contact_record(topic: Topic, mapping: ContactMapping) -> Record:
    from mapbridge.maps.address import property_text
    from mapbridge.sync.topics import read_contact

    values = read_contact(topic, mapping)
    found = topic.properties.get(mapping.ids.contact)
    contact_id = property_text(found.value) if found is not None else ""
    return {
        "fields": values.fields,
        "tags": values.tags,
        "contactId": contact_id or None,
        "problems": values.problems,
    }


def _usable_state(state: Any, key: str) -> dict[str, Any] | None:
    if state is None:
        return None
    if isinstance(state, dict) and state.get("version") == STATE_VERSION:
        return state
    logger.warning("%s: ignoring a stored snapshot of an unknown format; starting afresh", key)
    return None


def _label_changes(change: Change) -> tuple[list[str], list[str]]:
    before = (change.before or {}).get("labels") or []
    after = (change.after or {}).get("labels") or []
    added = [label for label in after if label not in before]
    removed = [label for label in before if label not in after]
    return added, removed


def _task(record: Record | None) -> Any:
    return record.get("task") if record else None


def _percentage(record: Record | None) -> Any:
    task = _task(record)
    return task.get("percentage") if task else None


def _oid(key: str) -> str | None:
    return None if key.startswith("path:") else key

