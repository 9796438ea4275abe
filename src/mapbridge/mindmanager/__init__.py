"""Lossless reading and editing of MindManager maps (.mmap archives and .xmmap XML).

Open a map, read and edit its topics, save it::

    from mapbridge.mindmanager import open_map

    mindmap = open_map("leads.mmap")
    for topic in mindmap.iter_topics():
        print(topic.path, topic.properties.get("Email"))
    lead = mindmap.central_topic.add_subtopic("Grace Hopper", labels=["hot"])
    lead.set_properties({"Email": "grace@example.com"})
    mindmap.save()

Edits change the XML tree in place, so everything the library does not model (styles,
images, relationships, add-in data, other archive members) is written back unchanged.
"""

from mapbridge.mindmanager._archive import MapLimits
from mapbridge.mindmanager._properties import TopicProperty
from mapbridge.mindmanager._task import TaskInfo
from mapbridge.mindmanager.errors import (
    CorruptMapError,
    EncryptedMapError,
    MapConflictError,
    MapEditError,
    MapError,
    NotAMindMapError,
    UnsafeMapError,
)
from mapbridge.mindmanager.mindmap import MindMap, new_map, open_map
from mapbridge.mindmanager.topic import Topic, TopicIcon
from mapbridge.mindmanager.validation import load_schema, validate_map

__all__ = [
    "CorruptMapError",
    "EncryptedMapError",
    "MapConflictError",
    "MapEditError",
    "MapError",
    "MapLimits",
    "MindMap",
    "NotAMindMapError",
    "TaskInfo",
    "Topic",
    "TopicIcon",
    "TopicProperty",
    "UnsafeMapError",
    "load_schema",
    "new_map",
    "open_map",
    "validate_map",
]
