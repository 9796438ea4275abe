"""The catalog: manifest, schemas and operation modules."""

from mapbridge.catalog.manifest import Manifest, Operation, load_manifest

__all__ = ["Manifest", "Operation", "load_manifest"]
