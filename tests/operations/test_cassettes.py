"""Recorded cassettes carry no token or secret."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from mapbridge.sandbox import SANDBOX_TOKEN

CASSETTES = Path(__file__).parent / "cassettes"
SECRET_PATTERNS = [
    re.compile(r"(?i)bearer\s+\S+"),
    re.compile(r"(?i)^\s*authorization:", re.MULTILINE),
    re.compile(r"(?i)(refresh_token|client_secret|access_token)"),
    re.compile(r"pit-[0-9a-f]{8}-"),
]


def cassette_files() -> list[Path]:
    return sorted(CASSETTES.rglob("*.yaml"))


def test_cassettes_exist(record_mode: str) -> None:
    if record_mode != "none":
        pytest.skip("cassettes are being recorded in this run")
    assert len(cassette_files()) >= 14


@pytest.mark.parametrize("path", cassette_files(), ids=lambda path: path.stem)
def test_cassettes_hold_no_secrets(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert SANDBOX_TOKEN not in text
    recorded_token = os.environ.get("MAPBRIDGE_TEST_TOKEN")
    if recorded_token:
        assert recorded_token not in text
    for pattern in SECRET_PATTERNS:
        assert pattern.search(text) is None, f"{pattern.pattern} found in {path.name}"
