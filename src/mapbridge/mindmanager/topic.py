"""The topic model: a thin view over one ``ap:Topic`` element that edits it in place."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mapbridge.mindmanager import _properties
from mapbridge.mindmanager._names import (
    CLEAN_GENERATION,
    DIRTY,
    NOTES_GROUP_CHILDREN,
    TOPIC_CHILDREN,
    XHTML,
    ap,
    ensure_child,
    insert_in_order,
    mark_dirty,
    new_element,
    remove_if_empty,
)
from mapbridge.mindmanager._notes import (
    append_paragraph,
    normalise_newlines,
    preview_text,
    text_to_xhtml,
    xhtml_to_text,
)
from mapbridge.mindmanager._properties import TopicProperty
from mapbridge.mindmanager._task import TASK_FIELDS, TaskInfo, read_task, write_task
from mapbridge.mindmanager._xmldoc import check_xml_text
from mapbridge.mindmanager.errors import MapEditError

if TYPE_CHECKING:
    from mapbridge.mindmanager.mindmap import MindMap

_URN = "urn:mindjet:"
_UNSAFE_LINK = re.compile(r"^\s*(javascript|vbscript|data):", re.IGNORECASE)
_CACHED_LINK_ATTRIBUTES = ("CachedName", "CachedDocumentExtension", "CachedDocumentType")
_TEXT_RANGES = (ap("FontRange"), ap("IgnoreSpellingRange"))


@dataclass(frozen=True)
class TopicIcon:
    """An icon on a topic: a stock icon (``kind="stock"``, name such as ``FlagRed``) or a
    custom icon (``kind="custom"``, name = its IconSignature)."""

    kind: str
    name: str


class Topic:
    """One topic of a map. Reads come from the XML; edits change the XML in place."""

    def __init__(self, element: Any, mindmap: MindMap) -> None:
        self._element = element
        self._map = mindmap

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Topic) and other._element is self._element

    def __hash__(self) -> int:
        return id(self._element)

    def __repr__(self) -> str:
        return f"Topic(oid={self.oid!r}, text={self.text!r})"

    @property
    def element(self) -> Any:
        """The lxml ``ap:Topic`` element; call ``MindMap.mark_changed()`` after editing it."""
        return self._element

    @property
    def oid(self) -> str | None:
        value: str | None = self._element.get("OId")
        return value

    # Text and notes

    @property
    def text(self) -> str:
        """The topic text (``PlainText``), newlines kept; empty when the topic has none."""
        text = self._element.find(ap("Text"))
        value: str = text.get("PlainText", "") if text is not None else ""
        return value

    @text.setter
    def text(self, value: str) -> None:
        check_xml_text(value, "Topic text")
        value = normalise_newlines(value)
        text = self._element.find(ap("Text"))
        if text is None:
            text = new_element(
                ap("Text"), {"Dirty": DIRTY, "PlainText": value, "ReadOnly": "false"}
            )
            text.append(new_element(ap("Font")))
            insert_in_order(self._element, text, TOPIC_CHILDREN)
        elif text.get("PlainText") == value:
            return
        else:
            # Font ranges index characters of the old text, so they no longer apply.
            for child in list(text):
                if child.tag in _TEXT_RANGES:
                    text.remove(child)
            text.set("PlainText", value)
            mark_dirty(text)
        self._map._note_change()

    @property
    def notes(self) -> str:
        """The notes as plain text, read from the XHTML body (never from the preview)."""
        html = self._notes_html()
        return xhtml_to_text(html) if html is not None else ""

    @notes.setter
    def notes(self, value: str | None) -> None:
        if not value:
            self._remove_notes()
            return
        check_xml_text(value, "Topic notes")
        data = self._notes_data(create=True)
        for child in list(data):
            data.remove(child)
        data.append(text_to_xhtml(value))
        data.set("PreviewPlainText", preview_text(value))
        mark_dirty(data)
        self._map._note_change()

    def append_notes(self, text: str) -> None:
        """Add ``text`` as new paragraphs after the existing notes, keeping their formatting."""
        check_xml_text(text, "Topic notes")
        html = self._notes_html()
        if html is None:
            self.notes = text
            return
        for line in normalise_newlines(text).split("\n"):
            append_paragraph(html, line)
        data = html.getparent()
        data.set("PreviewPlainText", preview_text(xhtml_to_text(html)))
        mark_dirty(data)
        self._map._note_change()

    # Task info

    @property
    def task(self) -> TaskInfo | None:
        return read_task(self._element.find(ap("Task")))

    def set_task(self, **fields: object) -> None:
        """Update the named task fields (``priority``, ``percentage``, ``start``, ``due``,
        ``resources``); fields not named stay as they are and None removes a field."""
        write_task(self._element, fields)
        self._map._note_change()

    def clear_task(self) -> None:
        """Remove all task info from the topic."""
        task = self._element.find(ap("Task"))
        if task is not None:
            self._element.remove(task)
            self._map._note_change()

    # Text labels, icons, hyperlink

    @property
    def labels(self) -> list[str]:
        return [
            label.get("TextLabelName", "")
            for label in self._element.findall(f"{ap('TextLabels')}/{ap('TextLabel')}")
        ]

    def add_labels(self, labels: str | Iterable[str]) -> None:
        """Add text labels that the topic does not carry yet, in the order given."""
        names = _label_names(labels)
        missing = [name for name in dict.fromkeys(names) if name not in self.labels]
        if not missing:
            return
        container = ensure_child(self._element, ap("TextLabels"), TOPIC_CHILDREN, dirty=True)
        for name in missing:
            container.append(new_element(ap("TextLabel"), {"TextLabelName": name}))
        mark_dirty(container)
        self._map._note_change()

    def remove_labels(self, labels: str | Iterable[str]) -> None:
        """Remove the named text labels; names the topic does not carry are ignored."""
        names = set(_label_names(labels))
        container = self._element.find(ap("TextLabels"))
        if container is None:
            return
        removed = [label for label in container if label.get("TextLabelName") in names]
        for label in removed:
            container.remove(label)
        if removed:
            mark_dirty(container)
            remove_if_empty(container)
            self._map._note_change()

    @property
    def icons(self) -> list[TopicIcon]:
        icons = []
        for icon in self._element.findall(f"{ap('IconsGroup')}/{ap('Icons')}/{ap('Icon')}"):
            if icon.get("IconType") is not None:
                icons.append(TopicIcon("stock", _strip_urn(icon.get("IconType"))))
            elif icon.get("IconSignature") is not None:
                icons.append(TopicIcon("custom", icon.get("IconSignature")))
        return icons

    @property
    def hyperlink(self) -> str | None:
        link = self._element.find(ap("Hyperlink"))
        value: str | None = link.get("Url") if link is not None else None
        return value

    def set_hyperlink(self, url: str | None, *, title: str | None = None) -> None:
        """Set the topic hyperlink to ``url`` (None removes it); ``title`` is optional."""
        link = self._element.find(ap("Hyperlink"))
        if url is None:
            if link is not None:
                self._element.remove(link)
                self._map._note_change()
            return
        check_xml_text(url, "Hyperlink")
        if not url.strip() or _UNSAFE_LINK.match(url):
            raise MapEditError(
                f"Hyperlink {url!r} is empty or uses a script or data scheme; give a web "
                "address such as https://example.com or a file path."
            )
        if link is None:
            link = insert_in_order(
                self._element, new_element(ap("Hyperlink"), {"Dirty": DIRTY}), TOPIC_CHILDREN
            )
        for name in _CACHED_LINK_ATTRIBUTES:
            link.attrib.pop(name, None)
        link.set("Url", url.strip())
        if title is not None:
            link.set("Title", check_xml_text(title, "Hyperlink title"))
            link.set("TitleAutoCreated", "false")
        else:
            link.attrib.pop("Title", None)
        mark_dirty(link)
        self._map._note_change()

    # Topic properties

    @property
    def properties(self) -> dict[str, TopicProperty]:
        return _properties.read_properties(self._element)

    def set_properties(self, values: Mapping[str, object]) -> None:
        """Set topic properties by name; the value's Python type picks the property type,
        a :class:`TopicProperty` sets it explicitly and None removes the property."""
        if not isinstance(values, Mapping):
            raise MapEditError(
                f"Topic properties must be a mapping of name to value, got {values!r}."
            )
        _properties.write_properties(self._element, values, self._map.property_uri)
        self._map._note_change()

    def remove_properties(self, names: str | Iterable[str]) -> None:
        _properties.remove_properties(self._element, names)
        self._map._note_change()

    # Structure

    @property
    def subtopics(self) -> list[Topic]:
        return self._children("SubTopics")

    @property
    def floating_topics(self) -> list[Topic]:
        return self._children("FloatingTopics")

    @property
    def parent(self) -> Topic | None:
        """The topic above this one (for a floating topic, the topic it floats on)."""
        container = self._element.getparent()
        owner = container.getparent() if container is not None else None
        if owner is None or owner.tag != ap("Topic"):
            return None
        return Topic(owner, self._map)

    @property
    def is_floating(self) -> bool:
        container = self._element.getparent()
        return container is not None and container.tag == ap("FloatingTopics")

    @property
    def is_central(self) -> bool:
        container = self._element.getparent()
        return container is not None and container.tag == ap("OneTopic")

    @property
    def path(self) -> tuple[str, ...]:
        """Texts of the topics from the central topic down to this one."""
        texts = []
        topic: Topic | None = self
        while topic is not None:
            texts.append(topic.text)
            topic = topic.parent
        return tuple(reversed(texts))

    def add_subtopic(
        self,
        text: str,
        index: int | None = None,
        *,
        notes: str | None = None,
        task: Mapping[str, object] | TaskInfo | None = None,
        labels: Iterable[str] | None = None,
        properties: Mapping[str, object] | None = None,
        hyperlink: str | None = None,
    ) -> Topic:
        """Create a subtopic at ``index`` (default: last) with a fresh OId and return it."""
        element = new_element(
            ap("Topic"), {"Dirty": DIRTY, "OId": self._map.new_oid(), "Gen": CLEAN_GENERATION}
        )
        element.append(new_element(ap("TopicViewGroup"), {"ViewIndex": "0"}))
        topic = Topic(element, self._map)
        topic.text = text
        if notes:
            topic.notes = notes
        if task is not None:
            fields = _task_fields(task)
            topic.set_task(**fields)
        if labels:
            topic.add_labels(labels)
        if properties:
            topic.set_properties(properties)
        if hyperlink:
            topic.set_hyperlink(hyperlink)
        self._insert_subtopic(element, index)
        self._map._note_change(structure=True)
        return topic

    def delete(self) -> None:
        """Remove this topic with its subtree, and relationships that point into it."""
        if self.is_central:
            raise MapEditError("The central topic cannot be deleted; delete its subtopics instead.")
        if not self._attached():
            raise MapEditError(f"Topic {self.oid!r} was already deleted.")
        removed = {
            oid
            for element in self._element.iter()
            if isinstance(element.tag, str)
            for oid in (element.get("OId"),)
            if oid is not None
        }
        container = self._element.getparent()
        root = self._map.root
        container.remove(self._element)
        remove_if_empty(container)
        _drop_references(root, removed)
        self._map._note_change(structure=True)

    def move_to(self, parent: Topic, index: int | None = None) -> None:
        """Make this topic a subtopic of ``parent`` at ``index`` (default: last)."""
        if self.is_central:
            raise MapEditError("The central topic cannot be moved.")
        if parent._map is not self._map or not parent._attached():
            raise MapEditError("Topics can only move under a topic of the same open map.")
        if parent._element is self._element or any(
            ancestor is self._element for ancestor in parent._element.iterancestors(ap("Topic"))
        ):
            raise MapEditError(
                f"Topic {self.text!r} cannot move under {parent.text!r}, which lies in its "
                "own subtree; pick a parent outside it."
            )
        container = self._element.getparent()
        parent._check_index(index, exclude=self._element)
        container.remove(self._element)
        remove_if_empty(container)
        parent._insert_subtopic(self._element, index)
        self._map._note_change(structure=True)

    def to_dict(self, depth: int | None = None) -> dict[str, object]:
        """Return the topic as JSON-ready data; ``depth`` limits the subtopic levels
        (None: all, 0: none, in which case ``subtopics`` and ``floatingTopics`` are left out)."""
        task = self.task
        data: dict[str, object] = {
            "oid": self.oid,
            "text": self.text,
            "path": list(self.path),
            "isFloating": self.is_floating,
            "notes": self.notes,
            "task": task.to_dict() if task else None,
            "labels": self.labels,
            "icons": [{"kind": icon.kind, "name": icon.name} for icon in self.icons],
            "hyperlink": self.hyperlink,
            "properties": {name: prop.to_dict() for name, prop in self.properties.items()},
        }
        if depth is None or depth > 0:
            below = None if depth is None else depth - 1
            data["subtopics"] = [topic.to_dict(below) for topic in self.subtopics]
            data["floatingTopics"] = [topic.to_dict(below) for topic in self.floating_topics]
        return data

    # Helpers

    def _children(self, container: str) -> list[Topic]:
        return [
            Topic(element, self._map)
            for element in self._element.findall(f"{ap(container)}/{ap('Topic')}")
        ]

    def _attached(self) -> bool:
        # A removed lxml element still reports its old document from getroottree(), so
        # walk up to the topmost ancestor instead.
        return _topmost(self._element) is self._map.root

    def _check_index(self, index: int | None, exclude: Any = None) -> None:
        siblings = self._element.findall(f"{ap('SubTopics')}/{ap('Topic')}")
        count = len([sibling for sibling in siblings if sibling is not exclude])
        if index is not None and (isinstance(index, bool) or not 0 <= index <= count):
            raise MapEditError(
                f"Subtopic index {index!r} is out of range; {self.text!r} has {count} "
                f"subtopics, so use 0 to {count} or None for last."
            )

    def _insert_subtopic(self, element: Any, index: int | None) -> None:
        self._check_index(index)
        container = ensure_child(self._element, ap("SubTopics"), TOPIC_CHILDREN)
        siblings = container.findall(ap("Topic"))
        if index is None or index >= len(siblings):
            container.append(element)
        else:
            siblings[index].addprevious(element)

    def _notes_html(self) -> Any:
        data = self._notes_data(create=False)
        return data.find(f"{{{XHTML}}}html") if data is not None else None

    def _notes_data(self, create: bool) -> Any:
        group = self._element.find(ap("NotesGroup"))
        if group is None and not create:
            return None
        if group is None:
            group = insert_in_order(self._element, new_element(ap("NotesGroup")), TOPIC_CHILDREN)
        data = group.find(ap("NotesXhtmlData"))
        if data is None and create:
            data = insert_in_order(
                group, new_element(ap("NotesXhtmlData"), {"Dirty": DIRTY}), NOTES_GROUP_CHILDREN
            )
        return data

    def _remove_notes(self) -> None:
        group = self._element.find(ap("NotesGroup"))
        data = group.find(ap("NotesXhtmlData")) if group is not None else None
        if data is None:
            return
        group.remove(data)
        remove_if_empty(group)
        self._map._note_change()


def _label_names(labels: str | Iterable[str]) -> list[str]:
    if isinstance(labels, str):
        labels = [labels]
    names = []
    for label in labels:
        check_xml_text(label, "Text label")
        if not label.strip():
            raise MapEditError("Text labels must not be empty; give each label a name.")
        names.append(label.strip())
    return names


def _task_fields(task: Mapping[str, object] | TaskInfo) -> dict[str, object]:
    if isinstance(task, TaskInfo):
        return {name: getattr(task, name) for name in TASK_FIELDS if name != "resources"} | (
            {"resources": task.resources} if task.resources else {}
        )
    return dict(task)


def _topmost(element: Any) -> Any:
    top = element
    for ancestor in element.iterancestors():
        top = ancestor
    return top


def _strip_urn(value: str) -> str:
    return value.removeprefix(_URN)


def _drop_references(root: Any, removed: set[str]) -> None:
    # A relationship needs both ends, so one that points into the removed subtree goes too.
    # Other references, such as the selection of a map view, lose only the reference.
    for reference in list(root.iter()):
        if not isinstance(reference.tag, str) or reference.get("OIdRef") not in removed:
            continue
        relationship = next(reference.iterancestors(ap("Relationship")), None)
        target = relationship if relationship is not None else reference
        if target.getparent() is not None:
            target.getparent().remove(target)
