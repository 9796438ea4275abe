"""Safe parsing of Document.xml and serialization that keeps its prolog and epilog bytes."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from mapbridge.mindmanager._names import AP
from mapbridge.mindmanager.errors import (
    CorruptMapError,
    MapEditError,
    NotAMindMapError,
    UnsafeMapError,
)

logger = logging.getLogger(__name__)

# C0 control characters other than tab, line feed and carriage return are not allowed in
# XML 1.0, neither raw nor as character references. MindManager sometimes writes them into
# PlainText attributes.
_CONTROL_CHARACTERS = re.compile(
    rb"[\x00-\x08\x0b\x0c\x0e-\x1f]"
    rb"|&#[xX]0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F]);"
    rb"|&#0*(?:[0-8]|1[124-9]|2[0-9]|3[01]);"
)
_INVALID_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_PROLOG = re.compile(rb"(?:\xef\xbb\xbf)?(?:\s+|<\?.*?\?>|<!--.*?-->)*", re.DOTALL)
_ROOT_TAG = b"<ap:Map"
_ROOT_END_TAG = b"</ap:Map>"
_DEFAULT_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'


@dataclass
class XmlDocument:
    """A parsed Document.xml: the lxml root plus the bytes around it, kept for writing."""

    root: Any
    prolog: bytes
    epilog: bytes
    encoding: str
    repairs: list[str] = field(default_factory=list)


def parse_document(data: bytes, source: str) -> XmlDocument:
    """Parse map XML with entity expansion, DTD loading and network access disabled."""
    if b"<!ENTITY" in data:
        raise UnsafeMapError(
            f"{source}: Document.xml declares XML entities, which MindManager never writes "
            "and which can expand without bound or read local files. Do not open this file."
        )
    repairs: list[str] = []
    try:
        root = etree.fromstring(data, _new_parser())
    except etree.XMLSyntaxError as error:
        cleaned, repair = _remove_control_characters(data, source)
        if repair is None:
            raise CorruptMapError(
                f"{source}: Document.xml is not well-formed XML ({error}). Re-save the map "
                "in MindManager, or restore it from a backup."
            ) from None
        try:
            root = etree.fromstring(cleaned, _new_parser())
        except etree.XMLSyntaxError as second_error:
            raise CorruptMapError(
                f"{source}: Document.xml is not well-formed XML ({second_error}). Re-save "
                "the map in MindManager, or restore it from a backup."
            ) from None
        logger.warning("%s", repair)
        repairs.append(repair)
        data = cleaned

    tree = root.getroottree()
    dtd = tree.docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise UnsafeMapError(
            f"{source}: Document.xml declares XML entities, which MindManager never writes. "
            "Do not open this file."
        )
    if root.tag != f"{{{AP}}}Map":
        raise NotAMindMapError(
            f"{source}: the root element is {root.tag!r}, not a MindManager ap:Map. "
            "Open a map saved by MindManager."
        )

    encoding = tree.docinfo.encoding or "UTF-8"
    prolog, epilog = _surrounding_bytes(data, root, encoding)
    return XmlDocument(root, prolog, epilog, encoding, repairs)


def serialize_document(document: XmlDocument) -> bytes:
    """Return the document bytes: the original prolog, the serialized root, the epilog."""
    body: bytes = etree.tostring(document.root, encoding=document.encoding, xml_declaration=False)
    return document.prolog + body + document.epilog


def check_xml_text(value: str, what: str) -> str:
    """Return ``value`` if XML can store it, else raise a MapEditError naming ``what``."""
    if not isinstance(value, str):
        raise MapEditError(f"{what} must be a string, got {type(value).__name__} {value!r}.")
    bad = _INVALID_TEXT.search(value)
    if bad is not None:
        raise MapEditError(
            f"{what} contains the control character U+{ord(bad.group()):04X}, which XML "
            f"cannot store. Remove it from {value!r}."
        )
    return value


def _new_parser() -> Any:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        strip_cdata=False,
        remove_blank_text=False,
    )


def _remove_control_characters(data: bytes, source: str) -> tuple[bytes, str | None]:
    found = _CONTROL_CHARACTERS.findall(data)
    if not found:
        return data, None
    first = _CONTROL_CHARACTERS.search(data)
    assert first is not None
    line = data.count(b"\n", 0, first.start()) + 1
    column = first.start() - (data.rfind(b"\n", 0, first.start()) + 1) + 1
    names = sorted({_describe_control(match) for match in found})
    repair = (
        f"{source}: removed {len(found)} control character(s) ({', '.join(names)}) from "
        f"Document.xml, first at line {line}, column {column}; XML 1.0 cannot store them."
    )
    return _CONTROL_CHARACTERS.sub(b"", data), repair


def _describe_control(match: bytes) -> str:
    if len(match) == 1:
        return f"U+{match[0]:04X}"
    digits = match[2:-1]
    value = int(digits[1:], 16) if digits[:1] in (b"x", b"X") else int(digits)
    return f"U+{value:04X}"


def _surrounding_bytes(data: bytes, root: Any, encoding: str) -> tuple[bytes, bytes]:
    prolog_end = _PROLOG.match(data)
    root_start = prolog_end.end() if prolog_end else 0
    body = data.rstrip()
    if data.startswith(_ROOT_TAG, root_start) and body.endswith(_ROOT_END_TAG):
        return data[:root_start], data[len(body) :]

    # Fallback for documents that use another prefix or encoding: write a standard
    # declaration and let lxml serialize the nodes around the root element.
    logger.debug("Document.xml prolog not recognised; writing a standard declaration")
    before = b"".join(
        etree.tostring(node, encoding=encoding) + b"\n"
        for node in reversed(list(root.itersiblings(preceding=True)))
    )
    after = b"".join(
        b"\n" + etree.tostring(node, encoding=encoding) for node in root.itersiblings()
    )
    declaration = _DEFAULT_DECLARATION.replace(b"UTF-8", encoding.encode("ascii"))
    return declaration + before, after
