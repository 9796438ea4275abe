"""Validation of map XML against MindManager's own XML Schema (the files in a map's xsd/).

The schema is not shipped with mapbridge: MindManager writes it into every map it saves,
so callers point :func:`load_schema` at a folder with those four files. The schema accepts
note bodies (XHTML) laxly, and lxml has no XHTML schema, so their content is not checked.
MindManager's own note bodies would fail a strict XHTML check anyway.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

from lxml import etree

from mapbridge.mindmanager._names import AP, COR, PRI
from mapbridge.mindmanager.errors import MapError
from mapbridge.mindmanager.mindmap import MindMap

_XSD = "http://www.w3.org/2001/XMLSchema"
_DELTA = "http://schemas.mindjet.com/MindManager/Delta/2003"
_FILES = {
    COR: "MindManagerCore.xsd",
    PRI: "MindManagerPrimitive.xsd",
    _DELTA: "MindManagerDelta.xsd",
}
_APPLICATION_FILE = "MindManagerApplication.xsd"


def load_schema(folder: str | os.PathLike[str]) -> Any:
    """Compile MindManager's schema from a folder with its four .xsd files (cached)."""
    return _compile(str(Path(folder).resolve()))


def validate_map(mindmap: MindMap, folder: str | os.PathLike[str]) -> list[str]:
    """Return the schema violations of the map's current XML; empty when it is valid."""
    schema = load_schema(folder)
    document = etree.fromstring(mindmap.document_xml(), _parser())
    if schema.validate(document):
        return []
    return [f"line {error.line}: {error.message}" for error in schema.error_log]


@functools.lru_cache(maxsize=4)
def _compile(folder: str) -> Any:
    base = Path(folder)
    missing = [
        name for name in (_APPLICATION_FILE, *_FILES.values()) if not (base / name).is_file()
    ]
    if missing:
        raise MapError(
            f"Schema folder {folder} lacks {', '.join(missing)}; point it at the xsd/ folder "
            "of a map saved by MindManager."
        )
    document = etree.parse(str(base / _APPLICATION_FILE), _parser())
    root = document.getroot()
    if root.get("targetNamespace") != AP:
        raise MapError(f"{base / _APPLICATION_FILE} is not MindManager's application schema.")

    # The application schema imports the other three by namespace only, so point each
    # import at its file (and add the imports the schema leaves implicit).
    imported = set()
    for element in root.iter(f"{{{_XSD}}}import"):
        namespace = element.get("namespace")
        if namespace in _FILES:
            element.set("schemaLocation", (base / _FILES[namespace]).as_uri())
            imported.add(namespace)
    for namespace, name in _FILES.items():
        if namespace not in imported:
            element = etree.Element(f"{{{_XSD}}}import")
            element.set("namespace", namespace)
            element.set("schemaLocation", (base / name).as_uri())
            root.insert(0, element)
    try:
        return etree.XMLSchema(document)
    except etree.XMLSchemaParseError as error:
        raise MapError(f"MindManager's schema in {folder} cannot be compiled: {error}.") from None


def _parser() -> Any:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
