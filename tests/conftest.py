"""Fixtures shared by every test: an isolated data folder and no real credentials."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

_CONNECTION_VARIABLES = (
    "MAPBRIDGE_TOKEN",
    "MAPBRIDGE_LOCATION_ID",
    "MAPBRIDGE_BASE_URL",
    "MAPBRIDGE_SCOPES",
    "MAPBRIDGE_TIMEOUT",
)


@pytest.fixture(autouse=True)
def isolated_environment(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """Keep sandbox data, trigger state and config of each test in its own folder."""
    folder = tmp_path_factory.mktemp("mapbridge-data")
    monkeypatch.setenv("MAPBRIDGE_DATA_DIR", str(folder))
    monkeypatch.setenv("MAPBRIDGE_CONFIG", str(folder / "config.toml"))
    for variable in _CONNECTION_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    yield folder
