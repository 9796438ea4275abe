"""Loading one operation module by its file path, and reading its declaration without running it."""

from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from mapbridge.catalog.manifest import Operation
from mapbridge.errors import ManifestError
from mapbridge.paths import catalog_root


def module_path(operation: Operation) -> Path:
    return catalog_root() / operation.module


def load_module(operation: Operation) -> ModuleType:
    """Import only this operation's module (cached in ``sys.modules`` under a private name)."""
    name = f"mapbridge_catalog.{operation.app}.{operation.key}"
    if name in sys.modules:
        return sys.modules[name]
    path = module_path(operation)
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None or not path.is_file():
        raise ManifestError(f"Module {operation.module} of operation {operation.key} not found.")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as error:
        del sys.modules[name]
        raise ManifestError(
            f"Module {operation.module} of operation {operation.key} failed to load: {error!r}"
        ) from error
    return module


def read_declaration(path: Path) -> dict[str, Any] | None:
    """Return the module's ``REQUEST`` literal, or None when it declares none (logic operations)."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except (OSError, SyntaxError) as error:
        raise ManifestError(f"Cannot parse {path}: {error}") from None
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "REQUEST" for target in node.targets
        ):
            try:
                value = ast.literal_eval(node.value)
            except ValueError:
                raise ManifestError(f"REQUEST in {path} must be a plain literal.") from None
            if not isinstance(value, dict):
                raise ManifestError(f"REQUEST in {path} must be a dictionary.")
            return value
    return None


def defines_perform(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return any(
        isinstance(node, ast.AsyncFunctionDef | ast.FunctionDef) and node.name == "perform"
        for node in tree.body
    )
