"""The command line through click's CliRunner: output modes, exit codes, no tracebacks."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from mapbridge.catalog.manifest import load_manifest
from mapbridge.catalog.schemas import validator_for
from mapbridge.cli import cli
from mapbridge.paths import catalog_root


def invoke(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=stdin)


def clear_catalog_caches() -> None:
    catalog_root.cache_clear()
    load_manifest.cache_clear()
    validator_for.cache_clear()


@pytest.fixture
def catalog_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private copy of the catalog that a test may break."""
    source = catalog_root()
    target = tmp_path / "catalog"
    target.mkdir()
    shutil.copy(source / "connector.json", target)
    for folder in ("actions", "triggers", "schemas"):
        shutil.copytree(source / folder, target / folder)
    monkeypatch.setenv("MAPBRIDGE_CATALOG_DIR", str(target))
    clear_catalog_caches()
    yield target
    clear_catalog_caches()


def test_list_prints_json_when_piped() -> None:
    result = invoke("list")
    assert result.exit_code == 0
    operations = json.loads(result.output)
    keys = {operation["key"] for operation in operations}
    assert {"get_contact", "create_contact", "list_contact_appointments"} <= keys


def test_list_text_filters_by_kind() -> None:
    result = invoke("list", "--kind", "delete", "--text")
    assert result.exit_code == 0
    assert "delete_contact" in result.output
    assert "get_contact " not in result.output
    assert "operations" in result.output


def test_describe_shows_inputs_and_scopes() -> None:
    result = invoke("describe", "get_contact", "--text")
    assert result.exit_code == 0
    assert "contactId (string, required)" in result.output
    assert "contacts.readonly" in result.output
    assert "Sample output" in result.output


def test_describe_json_carries_schemas() -> None:
    result = invoke("describe", "create_contact_task", "--json")
    data = json.loads(result.output)
    assert data["key"] == "create_contact_task"
    assert data["input"]["required"] == ["contactId", "title", "dueDate"]
    assert data["api_version"] == "2021-07-28"


def test_unknown_key_suggests_close_keys() -> None:
    result = invoke("describe", "get_contct", "--text")
    assert result.exit_code == 2
    assert "Did you mean get_contact" in result.output
    assert "Traceback" not in result.output


def test_run_invalid_json_exits_2() -> None:
    result = invoke("run", "get_contact", "--input", "{nope", "--text")
    assert result.exit_code == 2
    assert "not valid JSON" in result.output
    assert "line 1, column 2" in result.output


def test_run_reports_every_violation() -> None:
    result = invoke(
        "run", "create_contact_task", "--input", '{"title": 3, "color": "red"}', "--json"
    )
    assert result.exit_code == 2
    error = json.loads(result.output)
    paths = {violation["path"] for violation in error["violations"]}
    assert paths == {"input", "input.title"}
    messages = " ".join(violation["message"] for violation in error["violations"])
    assert "'contactId' is a required property" in messages
    assert "unknown property 'color'" in messages


def test_run_input_from_file_and_stdin(tmp_path: Path) -> None:
    path = tmp_path / "input.json"
    path.write_text('{"contactId": 1}', encoding="utf-8")
    from_file = invoke("run", "get_contact", "--input", f"@{path}", "--json")
    from_stdin = invoke("run", "get_contact", "--input", "-", "--json", stdin='{"contactId": 1}')
    for result in (from_file, from_stdin):
        assert result.exit_code == 2
        assert "input.contactId" in result.output


def test_run_missing_input_file_exits_2(tmp_path: Path) -> None:
    result = invoke("run", "get_contact", "--input", f"@{tmp_path / 'absent.json'}", "--text")
    assert result.exit_code == 2
    assert "Cannot read the input file" in result.output


def test_run_without_token_exits_3() -> None:
    result = invoke("run", "get_contact", "--input", '{"contactId": "abc"}', "--text")
    assert result.exit_code == 3
    assert "MAPBRIDGE_TOKEN" in result.output
    assert "--sandbox" in result.output


def test_run_with_missing_scope_exits_4(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAPBRIDGE_TOKEN", "pit-secret-value")
    monkeypatch.setenv("MAPBRIDGE_LOCATION_ID", "ve9EPM428h8vShlRW1KT")
    monkeypatch.setenv("MAPBRIDGE_SCOPES", "contacts.readonly")
    result = invoke("run", "delete_contact", "--input", '{"contactId": "abc"}', "--text")
    assert result.exit_code == 4
    assert "contacts.write" in result.output
    assert "pit-secret-value" not in result.output


def test_bad_config_file_exits_3(isolated_environment: Path) -> None:
    (isolated_environment / "config.toml").write_text("token = [unclosed", encoding="utf-8")
    result = invoke("run", "get_contact", "--input", '{"contactId": "abc"}', "--text")
    assert result.exit_code == 3
    assert "config file" in result.output


def test_validate_passes_on_shipped_catalog() -> None:
    result = invoke("validate", "--json")
    report = json.loads(result.output)
    assert report["problems"] == []
    assert result.exit_code == 0
    assert report["checked"]["operations"] == len(load_manifest().operations)


def test_validate_lists_every_problem(catalog_copy: Path) -> None:
    manifest = json.loads((catalog_copy / "connector.json").read_text(encoding="utf-8"))
    manifest["operations"][0]["sample"] = {"no_id": True}
    manifest["operations"][1]["kind"] = "file-watch"
    (catalog_copy / "connector.json").write_text(json.dumps(manifest), encoding="utf-8")
    (catalog_copy / "actions/contacts_api/delete_contact.py").unlink()
    (catalog_copy / "schemas/definitions/note.json").write_text('{"type": 5}', encoding="utf-8")

    result = invoke("validate", "--text")
    assert result.exit_code == 9
    assert "get_contact.sample: 'id' is a required property" in result.output
    assert "kind file-watch is not allowed for app contacts_api" in result.output
    assert (
        "delete_contact: module actions/contacts_api/delete_contact.py not found" in result.output
    )
    assert "schemas/definitions/note.json: not a valid JSON Schema" in result.output


def test_validate_catches_request_naming_unknown_input(catalog_copy: Path) -> None:
    module = catalog_copy / "actions/contacts_api/get_contact.py"
    module.write_text(
        'REQUEST = {"method": "GET", "path": "/contacts/{contactIdd}", "result": "contact"}\n',
        encoding="utf-8",
    )
    result = invoke("validate", "--text")
    assert result.exit_code == 9
    assert "path placeholder {contactIdd} is not an input property" in result.output


def test_catalog_page_matches_manifest() -> None:
    page = Path(__file__).resolve().parents[2] / "docs" / "catalog.md"
    result = invoke("list", "--markdown")
    assert result.exit_code == 0
    assert page.read_text(encoding="utf-8") == result.output, (
        "docs/catalog.md is out of date: run 'mapbridge list --markdown > docs/catalog.md'"
    )
    for operation in load_manifest().operations:
        assert f"| `{operation.key}` |" in result.output
