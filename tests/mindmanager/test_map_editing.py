"""Edits change the XML in place: values, structure, new topics and their schema order."""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from mapfactory import OIDS

from mapbridge.mindmanager import (
    MapEditError,
    MindMap,
    TaskInfo,
    Topic,
    TopicProperty,
    new_map,
    open_map,
)
from mapbridge.mindmanager._names import TOPIC_CHILDREN

AP = "{http://schemas.mindjet.com/MindManager/Application/2003}"


@pytest.fixture
def mindmap(rich_map: Path) -> MindMap:
    return open_map(rich_map)


def _topic(mindmap: MindMap, key: str) -> Topic:
    topic = mindmap.find_by_oid(OIDS[key])
    assert topic is not None, key
    return topic


def _reopen(mindmap: MindMap) -> MindMap:
    mindmap.save()
    assert mindmap.path is not None
    return open_map(mindmap.path)


def _child_order_ok(topic: Topic) -> bool:
    rank = {tag: index for index, tag in enumerate(TOPIC_CHILDREN)}
    ranks = [rank[child.tag] for child in topic.element]
    return ranks == sorted(ranks)


# Text and notes


def test_set_text_drops_font_ranges(mindmap: MindMap) -> None:
    ada = _topic(mindmap, "ada")
    text = ada.element.find(f"{AP}Text")
    text.append(text.makeelement(f"{AP}FontRange", {"From": "0", "To": "3", "Bold": "true"}))

    ada.text = "Ada King\nCountess"

    assert ada.text == "Ada King\nCountess"
    assert text.find(f"{AP}FontRange") is None
    assert text.find(f"{AP}Font") is not None
    assert _topic(_reopen(mindmap), "ada").text == "Ada King\nCountess"


def test_set_text_rejects_control_characters(mindmap: MindMap) -> None:
    with pytest.raises(MapEditError, match="U\\+0007"):
        _topic(mindmap, "ada").text = "bell\x07"


def test_set_notes_writes_body_and_preview(mindmap: MindMap) -> None:
    grace = _topic(mindmap, "grace")

    grace.notes = "Renewal in May.\n\n  Budget: <50k & growing"

    assert grace.notes == "Renewal in May.\n\n  Budget: <50k & growing"
    data = grace.element.find(f"{AP}NotesGroup/{AP}NotesXhtmlData")
    assert data.get("PreviewPlainText") == "Renewal in May.<br><br>  Budget: <50k & growing"
    assert _child_order_ok(grace)
    assert _topic(_reopen(mindmap), "grace").notes == "Renewal in May.\n\n  Budget: <50k & growing"


def test_append_notes_keeps_formatting(mindmap: MindMap) -> None:
    ada = _topic(mindmap, "ada")

    ada.append_notes("Called on Monday.")

    assert ada.notes == "Met at the fair.\nWants a demo.\nCalled on Monday."
    assert ada.element.find(".//{http://www.w3.org/1999/xhtml}b").text == "Met"


def test_clear_notes_removes_only_the_body(mindmap: MindMap) -> None:
    ada = _topic(mindmap, "ada")
    ada.notes = ""
    assert ada.notes == ""
    assert ada.element.find(f"{AP}NotesGroup") is None


# Task info


def test_set_task_partial_update(mindmap: MindMap) -> None:
    call = _topic(mindmap, "call")

    call.set_task(percentage=50, due=date(2024, 6, 1))

    assert call.task == TaskInfo(
        2, 50, datetime(2024, 5, 1, 8), datetime(2024, 6, 1), ["Ada Lovelace", "Sales team"]
    )


def test_set_task_none_removes_field(mindmap: MindMap) -> None:
    call = _topic(mindmap, "call")
    call.set_task(priority=None, start=None)
    task = call.task
    assert task is not None
    assert task.priority is None
    assert task.start is None
    assert task.percentage == 100


def test_set_task_resources_keep_loads(mindmap: MindMap) -> None:
    call = _topic(mindmap, "call")
    call.set_task(resources=["Sales team", "Grace Hopper"])
    element = call.element.find(f"{AP}Task")
    assert element.get("Resources") == "Sales team, Grace Hopper"
    assert element.get("ResourcesLoad") == "50.000000,100.000000"


def test_set_task_on_new_topic_in_schema_order(mindmap: MindMap) -> None:
    ada = _topic(mindmap, "ada")
    ada.set_task(priority=1, due="2025-01-31T17:00:00")
    assert ada.task == TaskInfo(priority=1, due=datetime(2025, 1, 31, 17))
    assert _child_order_ok(ada)


def test_set_task_converts_aware_time_to_local(mindmap: MindMap) -> None:
    moment = datetime(2025, 1, 31, 12, 0, tzinfo=UTC)
    call = _topic(mindmap, "call")
    call.set_task(due=moment)
    assert call.task is not None
    assert call.task.due == moment.astimezone().replace(tzinfo=None)


@pytest.mark.parametrize(
    ("fields", "match"),
    [
        ({"priority": 0}, "priority"),
        ({"priority": 10}, "priority"),
        ({"priority": True}, "priority"),
        ({"percentage": 101}, "percentage"),
        ({"due": "next week"}, "ISO 8601"),
        ({"resources": "Ada"}, "list"),
        ({"resources": ["Ada, Grace"]}, "comma"),
        ({"dueDate": "2025-01-01"}, "Unknown task field"),
    ],
)
def test_set_task_rejects_bad_values(
    mindmap: MindMap, fields: dict[str, object], match: str
) -> None:
    with pytest.raises(MapEditError, match=match):
        _topic(mindmap, "call").set_task(**fields)


def test_clear_task(mindmap: MindMap) -> None:
    call = _topic(mindmap, "call")
    call.clear_task()
    assert call.task is None


# Labels, hyperlink, properties


def test_add_and_remove_labels(mindmap: MindMap) -> None:
    grace = _topic(mindmap, "grace")

    grace.add_labels(["newsletter", "hot", "newsletter"])
    grace.add_labels("hot")
    assert grace.labels == ["newsletter", "hot"]

    grace.remove_labels(["newsletter", "absent"])
    assert grace.labels == ["hot"]
    grace.remove_labels("hot")
    assert grace.element.find(f"{AP}TextLabels") is None


def test_set_and_clear_hyperlink(mindmap: MindMap) -> None:
    ada = _topic(mindmap, "ada")
    ada.set_hyperlink("https://crm.example/contacts/42", title="CRM record")
    link = ada.element.find(f"{AP}Hyperlink")
    assert ada.hyperlink == "https://crm.example/contacts/42"
    assert link.get("Title") == "CRM record"

    ada.set_hyperlink(None)
    assert ada.hyperlink is None


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "  "])
def test_set_hyperlink_rejects_unsafe_urls(mindmap: MindMap, url: str) -> None:
    with pytest.raises(MapEditError, match="Hyperlink"):
        _topic(mindmap, "ada").set_hyperlink(url)


def test_set_properties_types(mindmap: MindMap) -> None:
    grace = _topic(mindmap, "grace")

    grace.set_properties(
        {
            "Email": "grace@example.com",
            "Seats": 3,
            "Score": -2,
            "Ratio": 0.25,
            "Signed": False,
            "Since": datetime(2023, 7, 1, 9, 30),
            "Birthday": date(1906, 12, 9),
        }
    )

    properties = _topic(_reopen(mindmap), "grace").properties
    assert {name: (p.value, p.type) for name, p in properties.items()} == {
        "Email": ("grace@example.com", "text"),
        "Seats": (3, "integer"),
        "Score": (-2.0, "number"),
        "Ratio": (0.25, "number"),
        "Signed": (False, "boolean"),
        "Since": (datetime(2023, 7, 1, 9, 30), "datetime"),
        "Birthday": (datetime(1906, 12, 9), "datetime"),
    }


def test_set_properties_keeps_format_of_same_type(mindmap: MindMap) -> None:
    ada = _topic(mindmap, "ada")
    ada.set_properties({"Phone": "+1 415-555-0199"})
    phone = ada.properties["Phone"]
    assert phone == TopicProperty("Phone", "+1 415-555-0199", "text", "MaskedField")
    assert ada.element.find(f".//{AP}MaskedFieldFormat") is not None


def test_set_properties_changes_type(mindmap: MindMap) -> None:
    ada = _topic(mindmap, "ada")
    ada.set_properties(
        {"Phone": 4155550199, "Deal size": TopicProperty("Deal size", 99.5, "number", "Currency")}
    )
    assert ada.properties["Phone"] == TopicProperty("Phone", 4155550199, "integer", "Integer")
    assert ada.element.find(f".//{AP}MaskedFieldFormat") is None
    assert ada.properties["Deal size"].value == 99.5


def test_new_property_reuses_map_uri(mindmap: MindMap) -> None:
    grace = _topic(mindmap, "grace")
    grace.set_properties({"Email": "g@example.com", "Company": "Navy"})
    uris = {
        element.get("CustomPropertyName"): element.get("CustomPropertyUri")
        for element in grace.element.iter(f"{AP}CustomProperty")
    }
    assert uris["Email"] == "urn:uuid:11111111-2222-3333-4444-555555555555"
    assert uris["Company"].startswith("urn:uuid:")
    ada = _topic(mindmap, "ada")
    ada.set_properties({"Company": "Analytical Engines"})
    ada_company = next(
        element
        for element in ada.element.iter(f"{AP}CustomProperty")
        if element.get("CustomPropertyName") == "Company"
    )
    assert ada_company.get("CustomPropertyUri") == uris["Company"]
    assert _child_order_ok(grace)


def test_remove_properties_prunes_empty_groups(mindmap: MindMap) -> None:
    grace = _topic(mindmap, "grace")
    grace.set_properties({"Email": "g@example.com"})
    grace.set_properties({"Email": None})
    assert grace.properties == {}
    assert grace.element.find(f"{AP}BusinessDataGroup") is None

    ada = _topic(mindmap, "ada")
    ada.remove_properties(["Email", "Absent"])
    assert "Email" not in ada.properties
    assert "Phone" in ada.properties


@pytest.mark.parametrize(
    "values", [{"Score": float("nan")}, {"List": [1, 2]}, {"": "x"}, {"Bell": "ring\x07"}]
)
def test_set_properties_rejects_bad_values(mindmap: MindMap, values: dict[str, object]) -> None:
    with pytest.raises(MapEditError):
        _topic(mindmap, "grace").set_properties(values)


# Structure


def test_add_subtopic_with_fields(mindmap: MindMap) -> None:
    leads = _topic(mindmap, "leads")

    lead = leads.add_subtopic(
        "Katherine Johnson",
        1,
        notes="Met at NASA day",
        labels=["hot"],
        task={"priority": 1, "due": "2025-02-01"},
        properties={"Email": "kj@example.com"},
        hyperlink="https://example.com/kj",
    )

    assert [topic.text for topic in leads.subtopics] == [
        "Ada Lovelace",
        "Katherine Johnson",
        "Grace Hopper\n(Navy)",
    ]
    assert lead.notes == "Met at NASA day"
    assert lead.labels == ["hot"]
    assert lead.task == TaskInfo(priority=1, due=datetime(2025, 2, 1))
    assert lead.properties["Email"].value == "kj@example.com"
    assert lead.path == ("Sales pipeline", "Leads", "Katherine Johnson")
    assert _child_order_ok(lead)
    assert lead.element.get("Dirty") == "0000000000000001"
    assert lead.element.find(f"{AP}TopicViewGroup").get("ViewIndex") == "0"


def test_add_subtopic_accepts_task_info(mindmap: MindMap) -> None:
    topic = mindmap.central_topic.add_subtopic(
        "Follow up", task=TaskInfo(priority=3, percentage=10)
    )
    assert topic.task == TaskInfo(priority=3, percentage=10)


def test_add_subtopic_creates_subtopics_in_order(mindmap: MindMap) -> None:
    grace = _topic(mindmap, "grace")
    grace.add_subtopic("First")
    grace.add_subtopic("Zeroth", index=0)
    assert [topic.text for topic in grace.subtopics] == ["Zeroth", "First"]
    assert grace.element[0].tag == f"{AP}SubTopics"


def test_new_oids_are_unique_base64_of_16_bytes(mindmap: MindMap) -> None:
    existing = {element.get("OId") for element in mindmap.root.iter() if element.get("OId")}
    created = [mindmap.central_topic.add_subtopic(f"Topic {n}").oid for n in range(200)]

    assert len(set(created)) == 200
    assert not existing & set(created)
    assert all(len(base64.b64decode(oid or "", validate=True)) == 16 for oid in created)


def test_add_subtopic_rejects_bad_index(mindmap: MindMap) -> None:
    with pytest.raises(MapEditError, match="index 5"):
        _topic(mindmap, "leads").add_subtopic("Late", index=5)


def test_delete_removes_subtree_and_relationships(mindmap: MindMap) -> None:
    leads = _topic(mindmap, "leads")
    assert len(list(mindmap.root.iter(f"{AP}Relationship"))) == 1

    _topic(mindmap, "grace").delete()

    assert [topic.text for topic in leads.subtopics] == ["Ada Lovelace"]
    assert mindmap.find_by_oid(OIDS["grace"]) is None
    assert list(mindmap.root.iter(f"{AP}Relationship")) == []
    assert mindmap.root.find(f".//{AP}Selection/{AP}ObjectReference") is None


def test_delete_last_subtopic_removes_container(mindmap: MindMap) -> None:
    ada = _topic(mindmap, "ada")
    _topic(mindmap, "call").delete()
    assert ada.subtopics == []
    assert ada.element.find(f"{AP}SubTopics") is None


def test_delete_central_or_twice_rejected(mindmap: MindMap) -> None:
    with pytest.raises(MapEditError, match="central topic"):
        mindmap.central_topic.delete()
    call = _topic(mindmap, "call")
    call.delete()
    with pytest.raises(MapEditError, match="already deleted"):
        call.delete()


def test_move_topic(mindmap: MindMap) -> None:
    call, grace = _topic(mindmap, "call"), _topic(mindmap, "grace")

    call.move_to(grace)

    assert call.parent == grace
    assert _topic(mindmap, "ada").subtopics == []
    assert _topic(_reopen(mindmap), "call").path == (
        "Sales pipeline",
        "Leads",
        "Grace Hopper\n(Navy)",
        "Call about renewal",
    )


def test_move_floating_topic_becomes_subtopic(mindmap: MindMap) -> None:
    parking = _topic(mindmap, "floating")
    parking.move_to(_topic(mindmap, "ideas"), index=0)
    assert not parking.is_floating
    assert mindmap.central_topic.floating_topics == []
    assert next(topic.text for topic in _topic(mindmap, "ideas").subtopics) == "Parking lot"


def test_move_into_own_subtree_rejected(mindmap: MindMap) -> None:
    leads = _topic(mindmap, "leads")
    with pytest.raises(MapEditError, match="own subtree"):
        leads.move_to(_topic(mindmap, "call"))
    with pytest.raises(MapEditError, match="own subtree"):
        leads.move_to(leads)
    with pytest.raises(MapEditError, match="central topic"):
        mindmap.central_topic.move_to(leads)


def test_move_between_maps_rejected(mindmap: MindMap) -> None:
    other = new_map("Other")
    with pytest.raises(MapEditError, match="same open map"):
        _topic(mindmap, "call").move_to(other.central_topic)


def test_new_map_has_only_central_topic() -> None:
    mindmap = new_map('Q3 "pipeline" & more')
    assert mindmap.path is None
    assert mindmap.changed
    assert [topic.text for topic in mindmap.iter_topics()] == ['Q3 "pipeline" & more']
    assert len(base64.b64decode(mindmap.central_topic.oid or "")) == 16


def test_edit_marks_map_changed(mindmap: MindMap) -> None:
    assert not mindmap.changed
    _topic(mindmap, "ada").add_labels("vip")
    assert mindmap.changed
    mindmap.save()
    assert not mindmap.changed


def test_dates_before_now(mindmap: MindMap) -> None:
    yesterday = datetime.now().replace(microsecond=0) - timedelta(days=1)
    call = _topic(mindmap, "call")
    call.set_task(start=yesterday)
    assert call.task is not None and call.task.start == yesterday
