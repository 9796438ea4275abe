"""An action changes only what it names: ``add_topic`` on a copy of a map leaves every other
topic's XML (compared as canonical XML) and every other archive member as it was.

Runs on the shipped example, on a map built with the library, and on each real map in the
folder that ``MAPBRIDGE_MMAP_CORPUS`` names, when it is set.
"""

from __future__ import annotations

import copy
import os
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from map_cli import run

from mapbridge.mindmanager import open_map

AP = "{http://schemas.mindjet.com/MindManager/Application/2003}"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TOPIC_CONTAINERS = (AP + "SubTopics", AP + "FloatingTopics")


def corpus_maps() -> list[str]:
    folder = os.environ.get("MAPBRIDGE_MMAP_CORPUS")
    if not folder or not Path(folder).is_dir():
        return []
    return sorted(str(path) for path in Path(folder).glob("*.mmap"))


@pytest.fixture(params=["examples/leads.mmap", "built", *corpus_maps()])
def map_copy(request: pytest.FixtureRequest, tmp_path: Path, twins: Path) -> Path:
    name = str(request.param)
    source = {"examples/leads.mmap": EXAMPLES / "leads.mmap", "built": twins}.get(name, Path(name))
    target = tmp_path / "copy.mmap"
    shutil.copyfile(source, target)
    return target


def parse(document: bytes) -> Any:
    parser = etree.XMLParser(resolve_entities=False, huge_tree=True, no_network=True)
    return etree.fromstring(document, parser)


def own_xml(topic: Any) -> bytes:
    """Canonical XML of a topic without the topics below it."""
    shallow = copy.deepcopy(topic)
    for container in list(shallow):
        if container.tag in TOPIC_CONTAINERS:
            shallow.remove(container)
    return bytes(etree.tostring(shallow, method="c14n"))


def topics_by_oid(root: Any) -> dict[str, bytes]:
    return {topic.get("OId"): own_xml(topic) for topic in root.iter(AP + "Topic") if topic.get("OId")}


def members(path: Path) -> dict[str, tuple[bytes, int, tuple[int, ...], bytes, bytes]]:
    with zipfile.ZipFile(path) as archive:
        return {
            info.filename: (archive.read(info), info.compress_type, info.date_time, info.comment,
                            info.extra)
            for info in archive.infolist()
        }


def test_add_topic_changes_nothing_else(map_copy: Path) -> None:
    original = members(map_copy)
    before = parse(original["Document.xml"][0])
    parent = list(open_map(map_copy).iter_topics())[-1]

    output = run("add_topic", {
        "map": str(map_copy), "parent": {"oid": parent.oid}, "text": "Added by mapbridge",
        "labels": ["new"], "properties": {"Email": "new@example.com"},
    })

    changed = members(map_copy)
    after = parse(changed["Document.xml"][0])
    added = output["topic"]["oid"]
    before_topics = topics_by_oid(before)
    after_topics = topics_by_oid(after)
    assert set(after_topics) == set(before_topics) | {added}
    for oid, xml in before_topics.items():
        assert after_topics[oid] == xml, f"topic {oid} changed"

    # Without the new topic (and the SubTopics element made for it), the documents match.
    old_parent = next(topic for topic in before.iter(AP + "Topic") if topic.get("OId") == parent.oid)
    new_topic = next(topic for topic in after.iter(AP + "Topic") if topic.get("OId") == added)
    container = new_topic.getparent()
    container.remove(new_topic)
    if old_parent.find(AP + "SubTopics") is None:
        container.getparent().remove(container)
    assert etree.tostring(after, method="c14n") == etree.tostring(before, method="c14n")

    assert list(changed) == list(original)
    for name, member in original.items():
        if name != "Document.xml":
            assert changed[name] == member, f"archive member {name} changed"
