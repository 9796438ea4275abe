"""The wheel carries the catalog, and an installed mapbridge finds it there."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("hatchling")
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
    )
    return next(out.glob("mapbridge-*.whl"))


def test_wheel_contains_catalog(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "mapbridge/_catalog/connector.json" in names
    assert "mapbridge/_catalog/schemas/connector.schema.json" in names
    assert "mapbridge/_catalog/actions/contacts_api/get_contact.py" in names
    assert "mapbridge/_catalog/schemas/contacts_api/get_contact.input.json" in names


def test_installed_wheel_lists_catalog(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    environment = dict(os.environ, PYTHONPATH=str(site))
    environment.pop("MAPBRIDGE_CATALOG_DIR", None)
    code = (
        "import mapbridge.paths as p, json, sys;"
        "from mapbridge.catalog.manifest import load_manifest;"
        "print(json.dumps([str(p.catalog_root()), len(load_manifest().operations)]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=environment,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    root, count = __import__("json").loads(result.stdout)
    assert root.startswith(str(site))
    assert count > 0
