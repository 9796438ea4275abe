"""Sample maps for the map library tests.

Every test that takes ``sample_map`` runs on the maps the project builds: the shipped
examples, a rich desktop-style map, a web-app archive and an .xmmap file. When
``MAPBRIDGE_MMAP_CORPUS`` names a folder of real maps, it runs on each of those as well.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from mapfactory import rich_map_xml, write_rich_map, write_web_app_archive

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
BUILT_MAPS = ("leads.mmap", "empty.mmap", "rich.mmap", "web_app.mmap", "rich.xmmap")


def _corpus_maps() -> list[str]:
    folder = os.environ.get("MAPBRIDGE_MMAP_CORPUS")
    if not folder or not Path(folder).is_dir():
        return []
    return sorted(f"corpus/{path.name}" for path in Path(folder).glob("*.mmap"))


SAMPLE_MAPS = [*BUILT_MAPS, *_corpus_maps()]


@pytest.fixture(scope="session")
def built_maps(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("built-maps")
    shutil.copy(EXAMPLES / "leads.mmap", folder / "leads.mmap")
    shutil.copy(EXAMPLES / "empty.mmap", folder / "empty.mmap")
    write_rich_map(folder / "rich.mmap")
    write_web_app_archive(
        folder / "web_app.mmap",
        {"Document.xml": rich_map_xml(web_app_date=True), "bin/1A2B.bin": b"\x89PNG fake"},
        b"MindManager Cloud 23.0.103",
    )
    (folder / "rich.xmmap").write_bytes(rich_map_xml())
    return folder


@pytest.fixture(params=SAMPLE_MAPS)
def sample_map(request: pytest.FixtureRequest, built_maps: Path, tmp_path: Path) -> Path:
    """A private copy of one sample map, so a test may overwrite it."""
    name = str(request.param)
    if name.startswith("corpus/"):
        source = Path(os.environ["MAPBRIDGE_MMAP_CORPUS"]) / name.removeprefix("corpus/")
    else:
        source = built_maps / name
    copy = tmp_path / source.name
    shutil.copyfile(source, copy)
    return copy


@pytest.fixture
def rich_map(tmp_path: Path) -> Path:
    return write_rich_map(tmp_path / "rich.mmap")


@pytest.fixture
def schema_folder() -> Path:
    folder = os.environ.get("MAPBRIDGE_MM_XSD")
    if not folder or not Path(folder).is_dir():
        pytest.skip("MAPBRIDGE_MM_XSD does not name MindManager's schema folder")
    return Path(folder)
