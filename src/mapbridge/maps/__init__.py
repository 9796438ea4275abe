"""The map operations of the catalog: MindManager actions and map-watch triggers.

Each operation module of ``actions/mindmanager`` and ``triggers/mindmanager`` calls one
function of this package with its input. The functions open the map named by ``map``,
address topics (:mod:`mapbridge.maps.address`), and return JSON-ready results.
"""

from mapbridge.maps.edits import (
    add_topic,
    add_topic_labels,
    create_map,
    delete_topic,
    move_topic,
    remove_topic_labels,
    set_topic_hyperlink,
    set_topic_notes,
    set_topic_properties,
    set_topic_task,
    update_topic,
)
from mapbridge.maps.errors import (
    AmbiguousTopicError,
    InvalidEditError,
    MapExistsError,
    TopicNotFoundError,
)
from mapbridge.maps.outline import export_map_outline
from mapbridge.maps.reads import find_topics, get_topic, read_map
from mapbridge.maps.watch import TRIGGERS, check

__all__ = [
    "TRIGGERS",
    "AmbiguousTopicError",
    "InvalidEditError",
    "MapExistsError",
    "TopicNotFoundError",
    "add_topic",
    "add_topic_labels",
    "check",
    "create_map",
    "delete_topic",
    "export_map_outline",
    "find_topics",
    "get_topic",
    "move_topic",
    "read_map",
    "remove_topic_labels",
    "set_topic_hyperlink",
    "set_topic_notes",
    "set_topic_properties",
    "set_topic_task",
    "update_topic",
]
