"""Mapping rules: defaults, name splitting, value checks and mapping files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mapbridge.errors import InputError
from mapbridge.sync.mapping import Mapping, load_mapping, split_name
from mapbridge.sync.normalize import ValueProblem, check_email, to_e164


@pytest.mark.parametrize(
    ("text", "rule", "expected"),
    [
        ("Ada Lovelace", "last_space", {"firstName": "Ada", "lastName": "Lovelace"}),
        ("Mary Ann Evans", "last_space", {"firstName": "Mary Ann", "lastName": "Evans"}),
        ("Mary Ann Evans", "first_space", {"firstName": "Mary", "lastName": "Ann Evans"}),
        ("Lovelace, Ada", "last_space", {"firstName": "Ada", "lastName": "Lovelace"}),
        ("Ada", "last_space", {"firstName": "Ada"}),
        ("Ada Lovelace\nmet in London", "last_space", {"firstName": "Ada", "lastName": "Lovelace"}),
        ("Acme Corp", "whole_first", {"firstName": "Acme Corp"}),
        ("   ", "last_space", {}),
    ],
)
def test_split_name(text: str, rule: str, expected: dict[str, str]) -> None:
    assert split_name(text, rule) == expected


def test_default_mapping_reads_common_properties() -> None:
    mapping = Mapping()
    assert mapping.field_for_property("Email") == "email"
    assert mapping.field_for_property("phone") == "phone"
    assert mapping.field_for_property("Company") == "companyName"
    assert mapping.contacts_branch == ["Leads", "Contacts"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+1 415-555-0100", "+14155550100"),
        ("(202) 555-0147", "+12025550147"),
        ("+44 20 7946 0958", "+442079460958"),
    ],
)
def test_phone_to_e164(raw: str, expected: str) -> None:
    assert to_e164(raw, "US") == expected


@pytest.mark.parametrize("raw", ["12", "call me", "+99 12"])
def test_phone_not_e164(raw: str) -> None:
    with pytest.raises(ValueProblem) as caught:
        to_e164(raw, "US")
    assert raw in str(caught.value)
    assert "country code" in str(caught.value)


def test_invalid_email_names_value() -> None:
    with pytest.raises(ValueProblem) as caught:
        check_email("ada@")
    assert "'ada@'" in str(caught.value)


def test_mapping_file_overrides(tmp_path: Path) -> None:
    path = tmp_path / "mapping.json"
    path.write_text(
        json.dumps(
            {
                "contacts_branch": ["Customers"],
                "properties": {"Mail": "email"},
                "labels": {"ignore": ["draft"], "rename": {"hot": "Hot Lead"}},
            }
        ),
        encoding="utf-8",
    )
    mapping = load_mapping(path)
    assert mapping.contacts_branch == ["Customers"]
    assert mapping.field_for_property("Mail") == "email"
    assert mapping.tag_for_label("draft") is None
    assert mapping.tag_for_label("hot") == "Hot Lead"
    assert mapping.label_for_tag("hot lead") == "hot"


def test_mapping_file_errors_list_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "mapping.json"
    path.write_text(
        json.dumps({"contacts_branch": "Leads", "properties": {"Mail": "mail"}, "colour": "red"}),
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        load_mapping(path)
    paths = {violation.path for violation in caught.value.violations}
    assert paths == {"mapping", "mapping.contacts_branch", "mapping.properties.Mail"}


def test_mapping_file_not_json(tmp_path: Path) -> None:
    path = tmp_path / "mapping.json"
    path.write_text("{contacts_branch: Leads}", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_mapping(path)
    assert "not valid JSON" in caught.value.message
    assert "line 1" in caught.value.message


def test_local_zone_follows_daylight_saving(monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import datetime

    from mapbridge.sync.normalize import local_to_api, map_timezone

    monkeypatch.setenv("TZ", "Europe/Berlin")
    zone = map_timezone(None)
    assert local_to_api(datetime(2027, 7, 1, 10, 0), zone) == "2027-07-01T08:00:00.000Z"
    assert local_to_api(datetime(2027, 1, 1, 10, 0), zone) == "2027-01-01T09:00:00.000Z"
