"""Building and changing the stored form of a contact, which is also its wire form.

A contact is kept as the JSON object the API returns, with camelCase keys. A key is left
out when the contact has no value for it, because the documented schemas allow no nulls.
The object also has lowercase copies of names and email, and ``dateAdded``/``dateUpdated``
as ISO 8601 UTC with milliseconds.
"""

from __future__ import annotations

from typing import Any

from mapbridge.sandbox.problems import UnprocessableProblem

# Fields copied from a request body as they are (after the request DTO checked them).
PLAIN_FIELDS = (
    "email",
    "phone",
    "address1",
    "city",
    "state",
    "postalCode",
    "country",
    "website",
    "timezone",
    "companyName",
    "source",
    "assignedTo",
    "dnd",
    "dndSettings",
    "inboundDndSettings",
    "dateOfBirth",
    "gender",
)

_TEXT_TYPES = frozenset(
    {"TEXT", "LARGE_TEXT", "SINGLE_OPTIONS", "RADIO", "PHONE", "EMAIL", "DATE", "TEXTBOX_LIST"}
)
_NUMBER_TYPES = frozenset({"NUMERICAL", "MONETORY"})
_LIST_TYPES = frozenset({"CHECKBOX", "MULTIPLE_OPTIONS"})


def new_contact(contact_id: str, location_id: str, now: str) -> dict[str, Any]:
    return {
        "id": contact_id,
        "locationId": location_id,
        "type": "lead",
        "dnd": False,
        "tags": [],
        "customFields": [],
        "followers": [],
        "additionalEmails": [],
        "dateAdded": now,
        "dateUpdated": now,
    }


def display_name(record: dict[str, Any]) -> str | None:
    parts = [record.get("firstName"), record.get("lastName")]
    name = " ".join(part for part in parts if part)
    return name or None


def _set(record: dict[str, Any], key: str, value: Any) -> None:
    if value is None or value == "":
        record.pop(key, None)
    else:
        record[key] = value


def _apply_names(record: dict[str, Any], changes: dict[str, Any]) -> None:
    # A bare ``name`` splits into first and last name at its first space.
    if "name" in changes and "firstName" not in changes and "lastName" not in changes:
        full = (changes["name"] or "").strip()
        first, _, last = full.partition(" ")
        _set(record, "firstName", first)
        _set(record, "lastName", last.strip())
    for key in ("firstName", "lastName"):
        if key in changes:
            _set(record, key, changes[key])

    _set(record, "name", display_name(record))
    _set(record, "firstNameLowerCase", (record.get("firstName") or "").lower())
    _set(record, "lastNameLowerCase", (record.get("lastName") or "").lower())
    _set(record, "fullNameLowerCase", (display_name(record) or "").lower())


def check_custom_value(index: int, data_type: str, value: Any) -> str | None:
    """Return a 422 message when ``value`` does not fit the custom field's data type."""
    if value is None:
        return None
    where = f"customFields.{index}.field_value"
    if data_type in _TEXT_TYPES and not isinstance(value, str):
        return f"{where} must be a string for a {data_type} field"
    if data_type in _NUMBER_TYPES:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            return f"{where} must be a number for a {data_type} field"
        if isinstance(value, str):
            try:
                float(value)
            except ValueError:
                return f"{where} must be a number for a {data_type} field"
    if data_type in _LIST_TYPES and not (
        isinstance(value, list) and all(isinstance(item, str) for item in value)
    ):
        return f"{where} must be an array of strings for a {data_type} field"
    if data_type == "FILE_UPLOAD" and not isinstance(value, dict):
        return f"{where} must be an object for a FILE_UPLOAD field"
    return None


def merge_custom_fields(record: dict[str, Any], resolved: list[tuple[str, str, Any]]) -> None:
    """Set each given custom field; a null or empty value removes it. Others stay."""
    problems = [
        message
        for index, (_, data_type, value) in enumerate(resolved)
        if (message := check_custom_value(index, data_type, value)) is not None
    ]
    if problems:
        raise UnprocessableProblem(problems)

    values = {entry["id"]: entry["value"] for entry in record.get("customFields", [])}
    for field_id, _, value in resolved:
        if value is None or value == "" or value == []:
            values.pop(field_id, None)
        else:
            values[field_id] = value
    record["customFields"] = [{"id": key, "value": value} for key, value in values.items()]


def apply_changes(record: dict[str, Any], changes: dict[str, Any], now: str) -> None:
    """Apply checked request fields except ``tags`` and ``customFields``, which need the store."""
    for key in PLAIN_FIELDS:
        if key in changes:
            _set(record, key, changes[key])
    record.setdefault("dnd", False)
    _set(record, "emailLowerCase", (record.get("email") or "").lower())
    _apply_names(record, changes)
    record["dateUpdated"] = now
