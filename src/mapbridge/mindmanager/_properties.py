"""Topic properties: ``ap:BusinessDataGroup`` / ``ap:CustomProperty`` with typed values."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from mapbridge.mindmanager._names import (
    BUSINESS_DATA_GROUP_CHILDREN,
    DIRTY,
    TOPIC_CHILDREN,
    ap,
    ensure_child,
    insert_in_order,
    mark_dirty,
    new_element,
    remove_if_empty,
)
from mapbridge.mindmanager._task import format_datetime, parse_datetime
from mapbridge.mindmanager._xmldoc import check_xml_text
from mapbridge.mindmanager.errors import MapEditError

PropertyValue = str | int | float | bool | datetime | None

_URN = "urn:mindjet:"
_CUSTOM_PROPERTIES_TYPE = "urn:mindjet:CustomProperties"
_CUSTOM_PROPERTIES_URI = "http://www.mindjet.com/MindManager/BusinessTypeCoreCustomProperties/2004"
_MAX_UNSIGNED_INT = 0xFFFFFFFF

# Property kind -> (value type in the XSD, default format, attribute holding the value).
_KINDS = {
    "text": ("Text", "Text", "Text"),
    "number": ("Number", "Real", "Number"),
    "integer": ("Integer", "Integer", "Integer"),
    # NOTE: the schema has no boolean value type. Storing a Boolean-format property as an
    # Integer 0/1 is inferred from the XSD and not checked against a MindManager save.
    "boolean": ("Integer", "Boolean", "Integer"),
    "datetime": ("DateTime", "DateAndTime", "DateTime"),
    "color": ("Color", "Color", "Color"),
}
_VALUE_ATTRIBUTES = ("Text", "Number", "Integer", "DateTime", "Color")


@dataclass(frozen=True)
class TopicProperty:
    """One topic property: its name, its typed value and MindManager's value kind.

    ``type`` is one of ``text``, ``number``, ``integer``, ``boolean``, ``datetime`` or
    ``color``; ``format`` is MindManager's display format (``Currency``, ``MaskedField`` …).
    """

    name: str
    value: PropertyValue
    type: str = "text"
    format: str | None = None

    def to_dict(self) -> dict[str, object]:
        value = self.value.isoformat() if isinstance(self.value, datetime) else self.value
        return {"value": value, "type": self.type, "format": self.format}


def read_properties(topic: Any) -> dict[str, TopicProperty]:
    """Return the topic properties of ``topic`` by name, in document order."""
    properties: dict[str, TopicProperty] = {}
    for element in _property_elements(topic):
        name = element.get("CustomPropertyName")
        if name is not None and name not in properties:
            properties[name] = _read_property(name, element.find(ap("CustomPropertyValue")))
    return properties


def write_properties(
    topic: Any, values: Mapping[str, object], uri_for: Callable[[str], str]
) -> None:
    """Set each named property on ``topic``; a None value removes that property."""
    prepared = {name: _prepare(name, value) for name, value in values.items()}
    removals = [name for name, value in prepared.items() if value is None]
    if removals:
        remove_properties(topic, removals)

    existing = {element.get("CustomPropertyName"): element for element in _property_elements(topic)}
    for name, wanted in prepared.items():
        if wanted is None:
            continue
        element = existing.get(name)
        if element is None:
            element = _new_property(topic, name, uri_for(name))
        _write_value(element, wanted)


def remove_properties(topic: Any, names: str | Iterable[str]) -> None:
    """Remove the named properties; names that are not present are ignored."""
    wanted = {names} if isinstance(names, str) else set(names)
    for element in list(_property_elements(topic)):
        if element.get("CustomPropertyName") in wanted:
            group = element.getparent()
            group.remove(element)
            _prune(group, topic)


def property_uris(root: Any) -> dict[str, str]:
    """Return the CustomPropertyUri used for each property name anywhere in the map."""
    uris: dict[str, str] = {}
    for element in root.iter(ap("CustomProperty")):
        name, uri = element.get("CustomPropertyName"), element.get("CustomPropertyUri")
        if name is not None and uri and name not in uris:
            uris[name] = uri
    return uris


def _property_elements(topic: Any) -> Iterator[Any]:
    holder = topic.find(f"{ap('BusinessDataGroup')}/{ap('CustomPropertiesBusinessData')}")
    if holder is None:
        return iter(())
    return (
        element
        for group in holder.findall(ap("CustomPropertyGroup"))
        for element in group.iter(ap("CustomProperty"))
    )


def _read_property(name: str, value: Any) -> TopicProperty:
    if value is None:
        return TopicProperty(name, None, "text", None)
    value_type = _strip_urn(value.get("Type"))
    value_format = _strip_urn(value.get("Format"))
    if value_type is None:
        value_type = next((a for a in _VALUE_ATTRIBUTES if value.get(a) is not None), "Text")

    raw = value.get(value_type)
    if value_format == "Boolean":
        raw = next((value.get(a) for a in _VALUE_ATTRIBUTES if value.get(a) is not None), None)
        flag = None if raw is None else raw.strip().lower() in ("1", "true", "1.0", "-1")
        return TopicProperty(name, flag, "boolean", value_format)
    if value_type == "Number":
        return TopicProperty(name, _to_float(raw), "number", value_format)
    if value_type == "Integer":
        return TopicProperty(name, _to_int(raw), "integer", value_format)
    if value_type == "DateTime":
        return TopicProperty(name, parse_datetime(raw), "datetime", value_format)
    if value_type == "Color":
        return TopicProperty(name, raw, "color", value_format)
    return TopicProperty(name, raw if raw is not None else "", "text", value_format)


def _prepare(name: str, value: object) -> tuple[str, str, str | None] | None:
    """Return (kind, XSD text of the value, explicit format) or None for a removal."""
    check_xml_text(name, "Topic property name")
    if not name.strip():
        raise MapEditError("Topic property names must not be empty; give each one a name.")
    explicit_format = None
    if isinstance(value, TopicProperty):
        explicit_format = value.format
        kind = value.type
        if kind not in _KINDS:
            raise MapEditError(
                f"Topic property {name!r} has the unknown type {kind!r}; use one of "
                f"{', '.join(_KINDS)}."
            )
        value = value.value
    else:
        kind = _kind_of(name, value)
    if value is None:
        return None
    return kind, _format_value(name, kind, value), explicit_format


def _kind_of(name: str, value: object) -> str:
    if value is None or isinstance(value, str):
        return "text"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer" if 0 <= value <= _MAX_UNSIGNED_INT else "number"
    if isinstance(value, float):
        return "number"
    if isinstance(value, (datetime, date)):
        return "datetime"
    raise MapEditError(
        f"Topic property {name!r} got a {type(value).__name__} value; use text, a number, "
        "true/false or a date."
    )


def _format_value(name: str, kind: str, value: object) -> str:
    what = f"Topic property {name!r}"
    if kind == "boolean":
        return "1" if value else "0"
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            raise MapEditError(f"{what} needs a whole number, got {value!r}.")
        if not 0 <= value <= _MAX_UNSIGNED_INT:
            raise MapEditError(f"{what} needs a whole number from 0 to {_MAX_UNSIGNED_INT}.")
        return str(value)
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise MapEditError(f"{what} needs a number, got {value!r}.")
        if not math.isfinite(value):
            raise MapEditError(f"{what} needs a finite number, got {value!r}.")
        return repr(float(value))
    if kind == "datetime":
        return format_datetime(value, what)
    return check_xml_text(str(value), what)


def _new_property(topic: Any, name: str, uri: str) -> Any:
    group_holder = topic.find(ap("BusinessDataGroup"))
    if group_holder is None:
        group_holder = insert_in_order(topic, new_element(ap("BusinessDataGroup")), TOPIC_CHILDREN)
    if group_holder.find(ap("BusinessData")) is None:
        marker = new_element(
            ap("BusinessData"),
            {
                "Dirty": DIRTY,
                "BusinessDataType": _CUSTOM_PROPERTIES_TYPE,
                "Uri": _CUSTOM_PROPERTIES_URI,
            },
        )
        insert_in_order(group_holder, marker, BUSINESS_DATA_GROUP_CHILDREN)
    holder = ensure_child(
        group_holder, ap("CustomPropertiesBusinessData"), BUSINESS_DATA_GROUP_CHILDREN, dirty=True
    )
    group = holder.find(ap("CustomPropertyGroup"))
    if group is None:
        group = new_element(ap("CustomPropertyGroup"))
        holder.append(group)
    element = new_element(
        ap("CustomProperty"),
        {
            "CustomPropertyUri": uri,
            "CustomPropertyName": name,
            "Basic": "true",
            "ReadOnly": "false",
            "Calculated": "false",
            "IsFormulaTarget": "false",
        },
    )
    nested = group.find(ap("CustomPropertyGroup"))
    if nested is None:
        group.append(element)
    else:
        nested.addprevious(element)
    return element


def _write_value(element: Any, wanted: tuple[str, str, str | None]) -> None:
    kind, text, explicit_format = wanted
    value_type, default_format, attribute = _KINDS[kind]
    value = element.find(ap("CustomPropertyValue"))
    if value is None:
        value = new_element(ap("CustomPropertyValue"))
        element.append(value)

    current = _read_property("", value)
    same_kind = current.type == kind and value.get("Type") is not None
    if not same_kind or (explicit_format and explicit_format != current.format):
        for child in list(value):
            value.remove(child)
        for name in _VALUE_ATTRIBUTES:
            value.attrib.pop(name, None)
        value.set("Format", _URN + (explicit_format or default_format))
        value.set("Type", _URN + value_type)
    value.set(attribute, text)
    holder = element.getparent()
    while holder is not None and holder.tag != ap("CustomPropertiesBusinessData"):
        holder = holder.getparent()
    if holder is not None and holder.get("Dirty") is not None:
        mark_dirty(holder)


def _prune(group: Any, topic: Any) -> None:
    holder = group
    while holder is not None and holder.tag == ap("CustomPropertyGroup"):
        parent = holder.getparent()
        remove_if_empty(holder)
        holder = parent
    if holder is None or holder.tag != ap("CustomPropertiesBusinessData") or len(holder):
        return
    business_group = holder.getparent()
    business_group.remove(holder)
    for marker in business_group.findall(ap("BusinessData")):
        if marker.get("BusinessDataType") == _CUSTOM_PROPERTIES_TYPE:
            business_group.remove(marker)
    remove_if_empty(business_group)


def _strip_urn(value: str | None) -> str | None:
    if value is None:
        return None
    return value.removeprefix(_URN)


def _to_float(raw: str | None) -> float | None:
    try:
        return float(raw) if raw is not None else None
    except ValueError:
        return None


def _to_int(raw: str | None) -> int | None:
    try:
        return int(raw) if raw is not None else None
    except ValueError:
        return None
