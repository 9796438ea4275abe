"""The catalog as a Markdown page (``docs/catalog.md``), generated from ``connector.json``."""

from __future__ import annotations

from mapbridge.catalog.manifest import Manifest

APP_TITLES = {
    "contacts_api": "HighLevel Contacts API",
    "mindmanager": "MindManager maps",
    "sync": "Map and Contacts API sync",
}


def catalog_markdown(manifest: Manifest) -> str:
    """Render one table per app: key, kind, label, scopes and description of each operation."""
    lines = [
        "# Operation catalog",
        "",
        "Generated from `connector.json` by `mapbridge list --markdown > docs/catalog.md`; a test",
        "fails when this page and the manifest differ. `mapbridge describe KEY` shows the inputs,",
        "outputs and a sample of one operation.",
    ]
    for app, title in APP_TITLES.items():
        operations = manifest.select(app=app)
        if not operations:
            continue
        lines += ["", f"## {title} ({len(operations)})", ""]
        lines += ["| key | kind | label | scopes | what it does |", "|---|---|---|---|---|"]
        for operation in operations:
            scopes = ", ".join(operation.scopes) or "none"
            description = operation.description.replace("|", "\\|")
            lines.append(
                f"| `{operation.key}` | {operation.kind} | {operation.label} | {scopes} | "
                f"{description} |"
            )
    return "\n".join(lines) + "\n"
