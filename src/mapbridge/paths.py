"""Where mapbridge finds its catalog and keeps its data."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import platformdirs

from mapbridge.errors import ManifestError

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def catalog_root() -> Path:
    """Return the folder that contains ``connector.json``, ``actions/``, ``triggers/`` and ``schemas/``.

    An installed wheel carries the catalog inside the package (``mapbridge/_catalog``); a source
    checkout or an editable install keeps it at the top of the repository.
    """
    override = os.environ.get("MAPBRIDGE_CATALOG_DIR")
    candidates = [Path(override)] if override else []
    candidates += [_PACKAGE_DIR / "_catalog", _PACKAGE_DIR.parent.parent]
    for candidate in candidates:
        if (candidate / "connector.json").is_file():
            return candidate
    searched = ", ".join(str(c) for c in candidates)
    raise ManifestError(
        f"connector.json not found (searched {searched}). Reinstall mapbridge, or set "
        "MAPBRIDGE_CATALOG_DIR to the folder that contains connector.json."
    )


def data_dir() -> Path:
    """Return the folder for the sandbox database, sync links and trigger state.

    ``MAPBRIDGE_DATA_DIR`` overrides the platform's user data folder.
    """
    override = os.environ.get("MAPBRIDGE_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir("mapbridge"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_file() -> Path:
    """Return the config file path; ``MAPBRIDGE_CONFIG`` overrides the user config folder."""
    override = os.environ.get("MAPBRIDGE_CONFIG")
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir("mapbridge")) / "config.toml"
