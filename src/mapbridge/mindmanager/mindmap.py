"""Opening, creating and saving MindManager maps (.mmap archives and .xmmap XML files)."""

from __future__ import annotations

import base64
import logging
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mapbridge.errors import MapError
from mapbridge.mindmanager._archive import (
    MapLimits,
    ZipArchive,
    build_archive,
    parse_archive,
    read_member,
    rebuild_archive,
)
from mapbridge.mindmanager._files import (
    FileFingerprint,
    check_unchanged,
    fingerprint_of,
    read_file,
    write_atomically,
)
from mapbridge.mindmanager._names import AP, CLEAN_GENERATION, COR, DIRTY, PRI, XSI, ap
from mapbridge.mindmanager._properties import property_uris
from mapbridge.mindmanager._xmldoc import (
    XmlDocument,
    check_xml_text,
    parse_document,
    serialize_document,
)
from mapbridge.mindmanager.errors import (
    CorruptMapError,
    EncryptedMapError,
    NotAMindMapError,
    UnsafeMapError,
)
from mapbridge.mindmanager.topic import Topic

logger = logging.getLogger(__name__)

DOCUMENT_MEMBER = "Document.xml"
_ENCRYPTED_SUFFIX = ".zencr"
_XML_SUFFIX = ".xmmap"
_DELTA = "http://schemas.mindjet.com/MindManager/Delta/2003"
_SCHEMA_LOCATION = " ".join(f"{ns} {ns}" for ns in (AP, COR, _DELTA, PRI))


def open_map(path: str | os.PathLike[str], *, limits: MapLimits | None = None) -> MindMap:
    """Open a .mmap archive (desktop or web app) or an .xmmap XML file."""
    limits = limits or MapLimits()
    source = Path(path)
    data, fingerprint = read_file(source, limits.max_file_bytes)
    archive, document_bytes = _load_document_bytes(data, str(source), limits)
    document = parse_document(document_bytes, str(source))
    mindmap = MindMap(document, document_bytes, archive, source, fingerprint)
    logger.debug("Opened map %s (%d bytes)", source, len(data))
    return mindmap


def new_map(central_text: str) -> MindMap:
    """Create an unsaved map holding only a central topic with ``central_text``."""
    check_xml_text(central_text, "Central topic text")
    map_oid, topic_oid = _random_oid(), _random_oid()
    text = (
        central_text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("\n", "&#xA;")
        .replace("\r", "&#xD;")
        .replace("\t", "&#x9;")
    )
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        f'<ap:Map Dirty="{DIRTY}" OId="{map_oid}" Gen="{CLEAN_GENERATION}" '
        f'xmlns:ap="{AP}" xmlns:cor="{COR}" xmlns:pri="{PRI}" xmlns:xsi="{XSI}" '
        f'xsi:schemaLocation="{_SCHEMA_LOCATION}">'
        f'<ap:OneTopic><ap:Topic Dirty="{DIRTY}" OId="{topic_oid}" Gen="{CLEAN_GENERATION}">'
        '<ap:TopicViewGroup ViewIndex="0"/>'
        f'<ap:Text Dirty="{DIRTY}" PlainText="{text}" ReadOnly="false"><ap:Font/></ap:Text>'
        "</ap:Topic></ap:OneTopic></ap:Map>"
    ).encode()
    document = parse_document(xml, "new map")
    mindmap = MindMap(document, xml, None, None, None)
    mindmap._changed = True
    return mindmap


class MindMap:
    """A MindManager map: its topic tree as a view over the XML, plus what it was read from."""

    def __init__(
        self,
        document: XmlDocument,
        document_bytes: bytes,
        archive: ZipArchive | None,
        path: Path | None,
        fingerprint: FileFingerprint | None,
    ) -> None:
        self._document = document
        self._document_bytes = document_bytes
        self._archive = archive
        self._path = path
        self._fingerprint = fingerprint
        self._changed = False
        self._oids: set[str] | None = None
        self._topic_index: dict[str, Any] | None = None
        self._property_uris: dict[str, str] | None = None
        one_topic = document.root.find(ap("OneTopic"))
        central = one_topic.find(ap("Topic")) if one_topic is not None else None
        if central is None:
            raise CorruptMapError(
                f"{path or 'The map'} has no central topic (ap:OneTopic/ap:Topic). "
                "Re-save the map in MindManager."
            )
        self._central = central

    @property
    def path(self) -> Path | None:
        """The file the map was read from or last saved to; None for an unsaved new map."""
        return self._path

    @property
    def repairs(self) -> list[str]:
        """Descriptions of the damage repaired while reading, such as removed control characters."""
        return list(self._document.repairs)

    @property
    def changed(self) -> bool:
        """Whether the map has edits that are not saved yet."""
        return self._changed

    @property
    def root(self) -> Any:
        """The lxml ``ap:Map`` element; call :meth:`mark_changed` after editing it directly."""
        return self._document.root

    @property
    def member_names(self) -> list[str]:
        """Names of the archive members, in archive order (empty for XML files and new maps)."""
        return self._archive.names if self._archive is not None else []

    @property
    def central_topic(self) -> Topic:
        return Topic(self._central, self)

    def iter_topics(self) -> Iterator[Topic]:
        """Yield every topic depth-first: a topic, its subtopics, then its floating topics."""
        stack = [self._central]
        while stack:
            element = stack.pop()
            yield Topic(element, self)
            children = element.findall(f"{ap('SubTopics')}/{ap('Topic')}")
            children += element.findall(f"{ap('FloatingTopics')}/{ap('Topic')}")
            stack.extend(reversed(children))

    def find_by_oid(self, oid: str) -> Topic | None:
        """Return the topic with this OId, or None."""
        if self._topic_index is None:
            self._topic_index = {}
            for element in self._document.root.iter(ap("Topic")):
                key = element.get("OId")
                if key is not None:
                    self._topic_index.setdefault(key, element)
        element = self._topic_index.get(oid)
        if element is None or not _is_attached(element, self._document.root):
            return None
        return Topic(element, self)

    def document_xml(self) -> bytes:
        """Return the Document.xml bytes that :meth:`save` would write."""
        if not self._changed:
            return self._document_bytes
        return serialize_document(self._document)

    def mark_changed(self) -> None:
        """Record an edit made directly on the XML, so that saving writes it."""
        self._changed = True
        self._topic_index = None
        self._oids = None
        self._property_uris = None

    def save(self, path: str | os.PathLike[str] | None = None, *, force: bool = False) -> Path:
        """Write the map atomically and return the path written.

        Saving to the path the map was read from raises MapConflictError when that file
        changed since it was read, unless ``force`` is true. A path ending in ``.xmmap``
        gets plain XML; any other path gets a .mmap archive.
        """
        target = Path(path) if path is not None else self._path
        if target is None:
            raise MapError(
                "This map was never saved, so it has no path; call save() with one, "
                "for example save('leads.mmap')."
            )
        same_file = self._path is not None and _same_file(target, self._path)
        if same_file and not force and self._fingerprint is not None:
            check_unchanged(target, self._fingerprint)

        document_bytes = self.document_xml()
        data = self._render(target, document_bytes)
        modified_ns = write_atomically(target, data)
        logger.info("Saved map %s (%d bytes)", target, len(data))

        if target.suffix.lower() != _XML_SUFFIX:
            self._archive = parse_archive(data, str(target), MapLimits(max_members=1 << 31))
        self._document_bytes = document_bytes
        self._path = target
        self._fingerprint = fingerprint_of(data, modified_ns)
        self._changed = False
        return target

    def new_oid(self) -> str:
        """Return a fresh OId (base64 of 16 random bytes) that no object in the map uses."""
        if self._oids is None:
            self._oids = {
                value
                for element in self._document.root.iter()
                if isinstance(element.tag, str)
                for value in (element.get("OId"),)
                if value is not None
            }
        while True:
            oid = _random_oid()
            if oid not in self._oids:
                self._oids.add(oid)
                return oid

    def property_uri(self, name: str) -> str:
        """Return the CustomPropertyUri for a property name: the one the map already uses,
        or a new ``urn:uuid:`` that later properties of that name will share."""
        if self._property_uris is None:
            self._property_uris = property_uris(self._document.root)
        if name not in self._property_uris:
            self._property_uris[name] = f"urn:uuid:{uuid.uuid4()}"
        return self._property_uris[name]

    def _note_change(self, structure: bool = False) -> None:
        self._changed = True
        if structure:
            self._topic_index = None

    def _render(self, target: Path, document_bytes: bytes) -> bytes:
        if target.suffix.lower() == _XML_SUFFIX:
            return document_bytes
        if self._archive is None:
            return build_archive({DOCUMENT_MEMBER: document_bytes})
        replacements = {DOCUMENT_MEMBER: document_bytes} if self._changed else {}
        return rebuild_archive(self._archive, replacements)


def _load_document_bytes(
    data: bytes, source: str, limits: MapLimits
) -> tuple[ZipArchive | None, bytes]:
    if not data:
        raise NotAMindMapError(f"{source} is empty; open a map saved by MindManager.")
    if data.startswith(b"PK"):
        archive = parse_archive(data, source, limits)
        member = archive.member(DOCUMENT_MEMBER)
        if member is None:
            if any(name.endswith(_ENCRYPTED_SUFFIX) for name in archive.names):
                raise EncryptedMapError(
                    f"{source} is protected with a password. Remove the password in "
                    "MindManager (save a copy without it) and try again."
                )
            raise NotAMindMapError(
                f"{source} is a ZIP archive without Document.xml, so it is not a "
                "MindManager map. Open a .mmap file saved by MindManager."
            )
        return archive, read_member(archive, member, source, limits.max_document_bytes)
    start = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"<"):
        if len(data) > limits.max_document_bytes:
            raise UnsafeMapError(
                f"{source} is larger than the limit of {limits.max_document_bytes} bytes "
                "for map XML. Raise MapLimits.max_document_bytes only if you trust the file."
            )
        return None, data
    raise NotAMindMapError(
        f"{source} is neither a ZIP archive nor XML, so it is not a MindManager map. "
        "Open a .mmap file saved by MindManager."
    )


def _random_oid() -> str:
    return base64.b64encode(os.urandom(16)).decode("ascii")


def _same_file(first: Path, second: Path) -> bool:
    return os.path.realpath(first) == os.path.realpath(second)


def _is_attached(element: Any, root: Any) -> bool:
    # A removed lxml element still reports its old document from getroottree().
    top = element
    for ancestor in element.iterancestors():
        top = ancestor
    return top is root
