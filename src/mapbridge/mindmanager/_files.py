"""Reading map files and writing them atomically, with a fingerprint to detect conflicts."""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from mapbridge.errors import MapConflictError, MapError
from mapbridge.mindmanager.errors import UnsafeMapError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FileFingerprint:
    """Snapshot of a file as it was read: cheap stat fields plus a content digest."""

    modified_ns: int
    size: int
    sha256: str


def read_file(path: Path, max_bytes: int) -> tuple[bytes, FileFingerprint]:
    """Return the bytes of ``path`` and their fingerprint; raise MapError for I/O problems."""
    try:
        status = path.stat()
        if status.st_size > max_bytes:
            raise UnsafeMapError(
                f"{path} is {status.st_size} bytes, more than the limit of {max_bytes}. "
                "Raise MapLimits.max_file_bytes only if you trust the file."
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise MapError(f"Map file {path} was not found; check the path.") from None
    except IsADirectoryError:
        raise MapError(f"{path} is a folder; give the path of a .mmap file.") from None
    except PermissionError:
        raise MapError(f"Map file {path} cannot be read: permission denied.") from None
    except OSError as error:
        raise MapError(f"Map file {path} cannot be read: {error.strerror}.") from None
    return data, fingerprint_of(data, status.st_mtime_ns)


def fingerprint_of(data: bytes, modified_ns: int) -> FileFingerprint:
    return FileFingerprint(modified_ns, len(data), hashlib.sha256(data).hexdigest())


def check_unchanged(path: Path, expected: FileFingerprint) -> None:
    """Raise MapConflictError when ``path`` no longer contains the bytes that were read."""
    try:
        status = path.stat()
    except FileNotFoundError:
        logger.info("Map file %s was removed since it was read; writing it again", path)
        return
    if status.st_mtime_ns == expected.modified_ns and status.st_size == expected.size:
        return
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as error:
        raise MapError(f"Map file {path} cannot be read back: {error.strerror}.") from None
    if digest != expected.sha256:
        raise MapConflictError(
            f"Map file {path} changed on disk after it was read, so saving would overwrite "
            "those changes. Open the map again and repeat the edit, or save with force=True "
            "to overwrite them."
        )


def write_atomically(path: Path, data: bytes) -> int:
    """Write ``data`` to ``path`` through a synced temporary file in the same folder.

    Returns the modification time (ns) of the written file.
    """
    target = Path(os.path.realpath(path))
    try:
        mode = target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    except OSError as error:
        raise MapError(f"Map file {path} cannot be written: {error.strerror}.") from None

    try:
        descriptor, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
        )
    except OSError as error:
        raise MapError(
            f"Map file {path} cannot be written: {error.strerror} in folder {target.parent}."
        ) from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise MapError(f"Map file {path} cannot be written: {error.strerror}.") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_folder(target.parent)
    return target.stat().st_mtime_ns


def _sync_folder(folder: Path) -> None:
    # Syncing the folder makes the rename durable; not every platform can open folders.
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        logger.debug("Cannot sync folder %s after writing a map", folder)
    finally:
        os.close(descriptor)
