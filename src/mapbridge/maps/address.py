"""Finding the one topic that an operation's input names: by OId, by path or by contact id.

A path lists topic texts from the central topic down, either as a list or as one string
split at ``/`` (``"Leads / Ada Lovelace"``). The central topic's own text may lead the
path or be left out. Texts match without regard to case and runs of white space, and a
part may give only the first line of a multi-line topic text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from mapbridge.errors import InputError
from mapbridge.maps.errors import AmbiguousTopicError, TopicNotFoundError
from mapbridge.mindmanager import MindMap, Topic

ADDRESS_FIELDS = ("oid", "path", "contactId")


def contact_id_property() -> str:
    """Return the name of the topic property in which the sync stores the contact id."""
    from mapbridge.sync.mapping import IdProperties

    return IdProperties().contact


def describe(topic: Topic) -> str:
    """Name a topic for messages: its path below the central topic, or its own text."""
    parts = [_first_line(text) for text in topic.path[1:]] or [_first_line(topic.text)]
    return " / ".join(parts)


def find_topic(mindmap: MindMap, address: Mapping[str, Any], field: str = "input") -> Topic:
    """Return the topic that ``address`` names with exactly one of oid, path or contactId.

    ``field`` names the address in messages, such as ``input`` or ``input.parent``.
    """
    given = [name for name in ADDRESS_FIELDS if name in address]
    if len(given) != 1:
        found = " and ".join(given) if given else "none of them"
        raise InputError(
            f"{field} must name the topic with exactly one of oid, path or contactId, but "
            f"it gives {found}. Keep one, e.g. {{\"path\": \"Leads / Ada Lovelace\"}}."
        )
    name = given[0]
    value = address[name]
    if name == "oid":
        return find_by_oid(mindmap, value)
    if name == "path":
        return find_by_path(mindmap, value)
    return find_by_contact_id(mindmap, value)


def find_by_oid(mindmap: MindMap, oid: str) -> Topic:
    topic = mindmap.find_by_oid(oid)
    if topic is None:
        raise TopicNotFoundError(
            f"No topic has the OId {oid!r} in {_map_name(mindmap)}. Look the OId up with "
            "read_map or find_topics, or address the topic by path."
        )
    return topic


def find_by_contact_id(mindmap: MindMap, contact_id: str) -> Topic:
    name = contact_id_property()
    matches = [
        topic
        for topic in mindmap.iter_topics()
        if _property_text(topic, name) == contact_id.strip()
    ]
    if not matches:
        raise TopicNotFoundError(
            f"No topic of {_map_name(mindmap)} has {contact_id!r} in its {name!r} property. "
            "Link the contact with push_contact_topic or sync_map, or address the topic by "
            "oid or path."
        )
    if len(matches) > 1:
        raise AmbiguousTopicError(
            f"{len(matches)} topics of {_map_name(mindmap)} carry the contact id "
            f"{contact_id!r} ({_list_topics(matches)}), probably a copied topic. Remove the "
            f"{name!r} property from all but one, or address the topic by oid."
        )
    return matches[0]


def find_by_path(mindmap: MindMap, path: str | Sequence[str]) -> Topic:
    parts = parse_path(path)
    central = mindmap.central_topic
    matches, depth = _descend(central, parts)
    if not matches and parts and _same_text(central.text, parts[0]):
        below_central, deeper = _descend(central, parts[1:])
        if below_central or deeper + 1 > depth:
            matches, depth = below_central, deeper + 1
    shown = " / ".join(parts)
    if not matches:
        raise TopicNotFoundError(_not_found_message(mindmap, shown, parts, depth))
    if len(matches) > 1:
        raise AmbiguousTopicError(
            f"The path {shown!r} matches {len(matches)} topics in {_map_name(mindmap)} "
            f"({_list_topics(matches)}). Address the topic by its oid instead."
        )
    return matches[0]


def parse_path(path: str | Sequence[str]) -> list[str]:
    """Split a path string at ``/``; a list is taken part by part, so a part may hold ``/``."""
    if isinstance(path, str):
        return [part.strip() for part in path.split("/") if part.strip()]
    return [str(part).strip() for part in path]


def subtree(topic: Topic) -> list[Topic]:
    """Return ``topic`` and every topic below it (subtopics and floating topics), depth-first."""
    found = []
    stack = [topic]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(reversed(children(current)))
    return found


def children(topic: Topic) -> list[Topic]:
    return topic.subtopics + topic.floating_topics


def _descend(start: Topic, parts: list[str]) -> tuple[list[Topic], int]:
    """Follow ``parts`` down from ``start``; return the matches and how many parts matched."""
    level = [start]
    for depth, part in enumerate(parts):
        level = [child for topic in level for child in children(topic) if _same_text(child.text, part)]
        if not level:
            return [], depth
    return level, len(parts)


def _same_text(text: str, part: str) -> bool:
    wanted = _normalise(part)
    return wanted in (_normalise(text), _normalise(_first_line(text)))


def _normalise(text: str) -> str:
    return " ".join(text.split()).casefold()


def _first_line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[0].strip() if lines else "(no text)"


def property_text(value: object) -> str:
    """Render a topic property value as the text a user would type for it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value).strip()


def _property_text(topic: Topic, name: str) -> str | None:
    found = topic.properties.get(name)
    text = property_text(found.value) if found is not None else ""
    return text or None


def _not_found_message(mindmap: MindMap, shown: str, parts: list[str], depth: int) -> str:
    missing = parts[min(depth, len(parts) - 1)]
    above = " / ".join(parts[:depth]) or "the central topic"
    return (
        f"No topic {missing!r} under {above} in {_map_name(mindmap)}, so the path {shown!r} "
        "names no topic. Check the spelling with read_map, or address the topic by oid."
    )


def _list_topics(topics: list[Topic]) -> str:
    shown = ", ".join(f"{describe(topic)!r} OId {topic.oid}" for topic in topics[:5])
    return shown + (", ..." if len(topics) > 5 else "")


def _map_name(mindmap: MindMap) -> str:
    return str(mindmap.path) if mindmap.path is not None else "the map"
