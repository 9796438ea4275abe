"""Snapshots of watched topics and the changes between two of them.

A snapshot keeps one compact, JSON-ready record per topic, keyed by OId: text, parent,
a hash of the notes, text labels, task info, topic properties and hyperlink (and, for
contact topics, the values the sync's mapping reads). Two snapshots are compared by OId.

MindManager gives a copied or re-imported topic a new OId. So before comparing, a topic
that disappeared and one that appeared are paired up when they have the same identity:
the same text under the same parent, or for contact topics the same contact id, else the
same e-mail, else the same text. A pair counts as one topic that may have changed, not as
a deletion plus a new topic.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

from mapbridge.mindmanager import Topic

Record = dict[str, Any]
Records = dict[str, Record]
Identity = Callable[[Record, str | None], Hashable]

TRACKED_FIELDS = ("text", "parent", "notes", "labels", "task", "properties", "hyperlink")


def topic_key(topic: Topic) -> str:
    """Return the topic's OId, or for a topic without one a key made of its path."""
    return topic.oid or "path:" + " / ".join(topic.path)


def topic_record(topic: Topic, contact: Record | None = None) -> Record:
    """Return the compact record of a topic that a snapshot keeps."""
    task = topic.task
    parent = topic.parent
    record: Record = {
        "text": topic.text,
        "parent": topic_key(parent) if parent is not None else None,
        "notes": _digest(topic.notes) if topic.notes else "",
        "labels": topic.labels,
        "task": task.to_dict() if task is not None else None,
        "properties": {name: found.to_dict()["value"] for name, found in topic.properties.items()},
        "hyperlink": topic.hyperlink,
    }
    if contact is not None:
        record["contact"] = contact
    return record


def text_identity(record: Record, parent: str | None) -> Hashable:
    return (parent, " ".join(record["text"].split()).casefold())


def contact_identity(record: Record, parent: str | None) -> Hashable:
    contact = record.get("contact") or {}
    if contact.get("contactId"):
        return (parent, "contactId", contact["contactId"])
    email = (contact.get("fields") or {}).get("email")
    if email:
        return (parent, "email", str(email).casefold())
    return text_identity(record, parent)


@dataclass
class Change:
    """One topic that is new, updated or deleted between two snapshots."""

    kind: str
    key: str
    before: Record | None
    after: Record | None
    previous_key: str | None = None
    changed: list[str] = field(default_factory=list)


def compare(previous: Records, current: Records, identity: Identity) -> list[Change]:
    """Return the changes from ``previous`` to ``current``, both in document order."""
    renamed = match_new_oids(previous, current, identity)
    matched_previous = set(renamed.values())
    changes = []
    for key, record in current.items():
        previous_key = renamed.get(key, key)
        before = previous.get(previous_key)
        if before is None:
            changes.append(Change("new", key, None, record))
            continue
        after = dict(record, parent=renamed.get(record["parent"], record["parent"]))
        changed = changed_fields(before, after)
        if changed:
            changes.append(Change("updated", key, before, record, previous_key, changed))
    for previous_key, before in previous.items():
        if previous_key not in current and previous_key not in matched_previous:
            changes.append(Change("deleted", previous_key, before, None, previous_key))
    return changes


def match_new_oids(previous: Records, current: Records, identity: Identity) -> dict[str, str]:
    """Pair topics that appeared with topics that disappeared; return new key -> old key.

    ``current`` lists parents before their subtopics, so a copied branch pairs from the
    top down: a subtopic's parent is already translated to its old key when it is looked up.
    """
    gone = [key for key in previous if key not in current]
    appeared = [key for key in current if key not in previous]
    if not gone or not appeared:
        return {}
    pool: dict[Hashable, list[str]] = defaultdict(list)
    for key in gone:
        pool[identity(previous[key], previous[key]["parent"])].append(key)
    renamed: dict[str, str] = {}
    for key in appeared:
        record = current[key]
        parent = renamed.get(record["parent"], record["parent"])
        candidates = pool.get(identity(record, parent))
        if candidates:
            renamed[key] = candidates.pop(0)
    return renamed


def changed_fields(before: Record, after: Record) -> list[str]:
    """Name what differs: top-level fields, ``task.<field>`` and ``properties.<name>``."""
    changed = []
    for name in TRACKED_FIELDS:
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        if name == "task":
            changed += [f"task.{part}" for part in _differing_keys(old or {}, new or {})]
        elif name == "properties":
            changed += [f"properties.{part}" for part in _differing_keys(old or {}, new or {})]
        else:
            changed.append(name)
    return changed


def contact_changes(before: Record, after: Record) -> list[str]:
    """Name the mapped contact fields that differ, plus ``tags`` when the tags differ."""
    old = before.get("contact") or {}
    new = after.get("contact") or {}
    changed = _differing_keys(old.get("fields") or {}, new.get("fields") or {})
    if sorted(old.get("tags") or []) != sorted(new.get("tags") or []):
        changed.append("tags")
    return changed


def record_path(records: Records, key: str, base: Iterable[str]) -> list[str]:
    """Return the texts from the central topic down to the topic ``key`` of ``records``."""
    texts = []
    seen = set()
    current: str | None = key
    while current is not None and current in records and current not in seen:
        seen.add(current)
        texts.append(records[current]["text"])
        current = records[current]["parent"]
    return [*base, *reversed(texts)]


def _differing_keys(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    names = list(dict.fromkeys([*old, *new]))
    return [name for name in names if old.get(name) != new.get(name)]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
