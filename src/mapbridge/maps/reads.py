"""The map actions that only read: the topic tree, one topic, and a topic search."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from mapbridge.errors import InputError
from mapbridge.maps.address import (
    contact_id_property,
    find_by_path,
    find_topic,
    property_text,
    subtree,
)
from mapbridge.maps.edits import Result, open_input_map
from mapbridge.mindmanager import Topic


def read_map(data: Mapping[str, Any]) -> Result:
    mindmap = open_input_map(data)
    central = mindmap.central_topic
    return {
        "map": data["map"],
        "topic": central.to_dict(data.get("depth")),
        "topicCount": sum(1 for _ in mindmap.iter_topics()),
        "repairs": mindmap.repairs,
    }


def get_topic(data: Mapping[str, Any]) -> Result:
    mindmap = open_input_map(data)
    topic = find_topic(mindmap, data)
    return {"map": data["map"], "topic": topic.to_dict(data.get("depth"))}


def find_topics(data: Mapping[str, Any]) -> Result:
    """Return the topics that pass every filter of the input, in document order."""
    if "propertyValue" in data and "property" not in data:
        raise InputError(
            "find_topics got propertyValue without property; name the topic property to "
            "compare, e.g. {\"property\": \"Email\", \"propertyValue\": \"ada@example.com\"}."
        )
    mindmap = open_input_map(data)
    scope: Iterable[Topic] = mindmap.iter_topics()
    if "branch" in data:
        scope = subtree(find_by_path(mindmap, data["branch"]))
    filters = TopicFilter(data, datetime.now())
    matches = [topic for topic in scope if filters.accepts(topic)]
    limit = data.get("limit")
    returned = matches if limit is None else matches[:limit]
    return {
        "map": data["map"],
        "topics": [topic.to_dict(depth=0) for topic in returned],
        "count": len(returned),
        "total": len(matches),
    }


class TopicFilter:
    """The filters of a find_topics input; a filter the input leaves out accepts every topic."""

    def __init__(self, data: Mapping[str, Any], now: datetime) -> None:
        self.text = _fold(data["text"]) if "text" in data else None
        self.label = _fold(data["label"]) if "label" in data else None
        self.property = data.get("property")
        self.property_value = data.get("propertyValue")
        self.task_state = data.get("task")
        self.contact_id = data.get("contactId")
        self.now = now

    def accepts(self, topic: Topic) -> bool:
        return (
            self._text_matches(topic)
            and self._label_matches(topic)
            and self._property_matches(topic)
            and self._task_matches(topic)
            and self._contact_matches(topic)
        )

    def _text_matches(self, topic: Topic) -> bool:
        return self.text is None or self.text in _fold(topic.text)

    def _label_matches(self, topic: Topic) -> bool:
        return self.label is None or any(_fold(label) == self.label for label in topic.labels)

    def _property_matches(self, topic: Topic) -> bool:
        if self.property is None:
            return True
        properties = {_fold(name): found for name, found in topic.properties.items()}
        found = properties.get(_fold(self.property))
        if found is None:
            return False
        if self.property_value is None:
            return True
        return _fold(property_text(found.value)) == _fold(self.property_value)

    def _task_matches(self, topic: Topic) -> bool:
        if self.task_state is None:
            return True
        task = topic.task
        if task is None:
            return False
        is_open = task.percentage != 100
        if self.task_state == "open":
            return is_open
        if self.task_state == "completed":
            return not is_open
        if self.task_state == "overdue":
            return is_open and task.due is not None and task.due < self.now
        return task.due is not None

    def _contact_matches(self, topic: Topic) -> bool:
        if self.contact_id is None:
            return True
        found = topic.properties.get(contact_id_property())
        return found is not None and property_text(found.value) == self.contact_id.strip()


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()
