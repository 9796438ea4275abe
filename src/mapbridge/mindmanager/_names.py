"""Namespaces, element names and the child order of MindManager's XML Schema."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from lxml import etree

AP = "http://schemas.mindjet.com/MindManager/Application/2003"
COR = "http://schemas.mindjet.com/MindManager/Core/2003"
PRI = "http://schemas.mindjet.com/MindManager/Primitive/2003"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XHTML = "http://www.w3.org/1999/xhtml"

# MindManager marks new and changed objects with this Dirty bit set; untouched
# elements keep whatever value they had.
DIRTY = "0000000000000001"
CLEAN_GENERATION = "0000000000000000"


def ap(local: str) -> str:
    """Return the Clark name (``{namespace}local``) of an element in the ap namespace."""
    return f"{{{AP}}}{local}"


def cor(local: str) -> str:
    return f"{{{COR}}}{local}"


# Child order of ap:Topic in MindManager's XSD (25.0): cor:Custom from the cor:Object base
# type first, then the sequence of the Topic type. New children go to their place in it.
TOPIC_CHILDREN = (
    cor("Custom"),
    *(
        ap(name)
        for name in (
            "SubTopics",
            "FloatingTopics",
            "OneBoundary",
            "OneImage",
            "TopicViewGroup",
            "Text",
            "Color",
            "NotesGroup",
            "Offset",
            "IconsGroup",
            "SubTopicShape",
            "LabelFloatingTopicShape",
            "CalloutFloatingTopicShape",
            "TopicLayout",
            "SubTopicsShape",
            "SubTopicsVisibility",
            "Hyperlink",
            "Task",
            "Bookmark",
            "Comments",
            "SpellingOptions",
            "InkGroup",
            "OneInkSketch",
            "AttachmentGroup",
            "TextLabels",
            "BusinessDataGroup",
            "CustomControlStripData",
            "TopicReview",
            "TopicBookmark",
            "ModificationStamp",
            "CreationInfo",
            "LoadingState",
            "NamedDefaultsId",
            "HyperlinkGroup",
            "Formulas",
            "TopicFormulas",
            "ConditionalRules",
            "FilterSettings",
            "ConditionalFormattingSettingsGroup",
            "ImageThumbnailSize",
            "RevisionGroup",
        )
    ),
)
NOTES_GROUP_CHILDREN = tuple(
    ap(name) for name in ("NotesXhtmlData", "NotesData", "NotesInkData", "NotesPermissions")
)
BUSINESS_DATA_GROUP_CHILDREN = tuple(
    ap(name)
    for name in (
        "BusinessData",
        "TableBusinessDataGroup",
        "CustomPropertiesBusinessData",
        "CustomBusinessDataGroup",
    )
)
MAP_CHILDREN = (
    cor("Custom"),
    *(
        ap(name)
        for name in (
            "OneTopic",
            "Relationships",
            "StyleGroup",
            "MapViewGroup",
            "DocumentGroup",
            "MarkersSetGroup",
        )
    ),
)


def insert_in_order(parent: Any, child: Any, order: Sequence[str]) -> Any:
    """Insert ``child`` into ``parent`` at the place ``order`` gives its tag; return it.

    Children whose tags are not in ``order`` keep their place and do not move the new one.
    """
    rank = {tag: index for index, tag in enumerate(order)}
    child_rank = rank[child.tag]
    for index, sibling in enumerate(parent):
        sibling_rank = rank.get(sibling.tag) if isinstance(sibling.tag, str) else None
        if sibling_rank is not None and sibling_rank > child_rank:
            parent.insert(index, child)
            return child
    parent.append(child)
    return child


def new_element(tag: str, attributes: dict[str, str] | None = None, **nsmap: str) -> Any:
    """Create a detached element; ``attributes`` keep the order given."""
    element = etree.Element(tag, nsmap=nsmap or None)
    for name, value in (attributes or {}).items():
        element.set(name, value)
    return element


def ensure_child(parent: Any, tag: str, order: Sequence[str], dirty: bool = False) -> Any:
    """Return the first ``tag`` child of ``parent``, creating it in schema order if missing."""
    child = parent.find(tag)
    if child is None:
        child = insert_in_order(
            parent, new_element(tag, {"Dirty": DIRTY} if dirty else None), order
        )
    return child


def mark_dirty(element: Any) -> None:
    element.set("Dirty", DIRTY)


def remove_if_empty(element: Any) -> None:
    """Remove ``element`` from its parent when it has no child elements left."""
    if element is not None and len(element) == 0 and element.getparent() is not None:
        element.getparent().remove(element)
