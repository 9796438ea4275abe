"""Tolerant reading and member-preserving rewriting of the ZIP container of a .mmap file.

Python's :mod:`zipfile` rejects maps saved by the MindManager web app, because every entry
carries a 4-byte ``MJHI`` extra field that is not framed as a standard extra-field record.
This module reads the central directory itself and treats extra fields as opaque bytes,
except for the ZIP64 record, which it looks up tolerantly.

Rewriting copies every member that is not replaced byte for byte (local header, data,
data descriptor and central directory record), so names, order, timestamps, compression,
extra fields and comments survive. Only offsets are patched.
"""

from __future__ import annotations

import itertools
import re
import struct
import time
import zlib
from collections.abc import Mapping
from dataclasses import dataclass

from mapbridge.mindmanager.errors import (
    CorruptMapError,
    EncryptedMapError,
    UnsafeMapError,
)

_LOCAL_SIGNATURE = b"PK\x03\x04"
_CENTRAL_SIGNATURE = b"PK\x01\x02"
_END_SIGNATURE = b"PK\x05\x06"
_ZIP64_END_SIGNATURE = b"PK\x06\x06"
_ZIP64_LOCATOR_SIGNATURE = b"PK\x06\x07"
_DESCRIPTOR_SIGNATURE = b"PK\x07\x08"

_LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")
_CENTRAL_HEADER = struct.Struct("<4sHHHHHHIIIHHHHHII")
_END_RECORD = struct.Struct("<4sHHHHIIH")
_ZIP64_LOCATOR = struct.Struct("<4sIQI")
_ZIP64_END_RECORD = struct.Struct("<4sQHHIIQQQQ")

_MAX_32 = 0xFFFFFFFF
_ZIP64_EXTRA_ID = 0x0001
_FLAG_ENCRYPTED = 0x0001
_FLAG_DATA_DESCRIPTOR = 0x0008
_STORED = 0
_DEFLATED = 8
_READ_CHUNK = 1 << 16
_DRIVE_PREFIX = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class MapLimits:
    """Safety limits applied while a map is opened.

    The defaults leave wide room above real maps: the largest Document.xml seen in
    MindManager maps is about 0.8 MB and the largest archive about 2.3 MB.
    """

    max_file_bytes: int = 1 << 30
    max_document_bytes: int = 128 << 20
    max_members: int = 10_000


@dataclass(frozen=True)
class ZipMember:
    """One entry of the archive, located in the source bytes."""

    name: str
    flags: int
    method: int
    crc: int
    compressed_size: int
    file_size: int
    central_record: bytes
    record_start: int
    data_start: int
    record_end: int
    offset_in_zip64_extra: bool


@dataclass(frozen=True)
class ZipArchive:
    """A parsed archive: the source bytes plus where each part of it lies."""

    data: bytes
    members: tuple[ZipMember, ...]
    central_start: int
    end_record: bytes
    zip64_end_record: bytes | None

    @property
    def names(self) -> list[str]:
        return [member.name for member in self.members]

    def member(self, name: str) -> ZipMember | None:
        for member in self.members:
            if member.name == name:
                return member
        return None


def parse_archive(data: bytes, source: str, limits: MapLimits) -> ZipArchive:
    """Parse the central directory of ``data``; ``source`` names the file in messages."""
    end_at = _find_end_record(data, source)
    end_record = data[end_at : end_at + _END_RECORD.size]
    _, _, _, _, total, central_size, central_offset, _ = _END_RECORD.unpack(end_record)
    end_record = data[end_at:]

    zip64_end_record = None
    locator_at = end_at - _ZIP64_LOCATOR.size
    if locator_at >= 0 and data[locator_at : locator_at + 4] == _ZIP64_LOCATOR_SIGNATURE:
        _, _, zip64_at, _ = _ZIP64_LOCATOR.unpack(data[locator_at:end_at])
        if data[zip64_at : zip64_at + 4] != _ZIP64_END_SIGNATURE:
            raise CorruptMapError(f"{source}: the ZIP64 directory record is missing or damaged.")
        zip64_end_record = data[zip64_at:locator_at]
        fields = _ZIP64_END_RECORD.unpack(zip64_end_record[: _ZIP64_END_RECORD.size])
        total, central_size, central_offset = fields[7], fields[8], fields[9]

    if total > limits.max_members:
        raise UnsafeMapError(
            f"{source} lists {total} archive members, more than the limit of "
            f"{limits.max_members}; MindManager maps hold far fewer. Raise "
            "MapLimits.max_members only if you trust the file."
        )
    if central_offset + central_size > len(data):
        raise CorruptMapError(
            f"{source} is truncated: its ZIP directory points past the end of the file. "
            "Copy or download the map again."
        )

    members = _parse_central_directory(data, central_offset, central_size, total, source)
    _check_no_overlap(members, central_offset, source)
    return ZipArchive(data, tuple(members), central_offset, end_record, zip64_end_record)


def read_member(archive: ZipArchive, member: ZipMember, source: str, max_bytes: int) -> bytes:
    """Return the uncompressed bytes of ``member``, stopping once ``max_bytes`` is passed."""
    if member.flags & _FLAG_ENCRYPTED:
        raise EncryptedMapError(
            f"{source}: the archive member {member.name} is encrypted. Save the map without "
            "a password in MindManager and try again."
        )
    if member.file_size > max_bytes:
        raise UnsafeMapError(
            f"{source}: {member.name} declares {member.file_size} bytes uncompressed, more "
            f"than the limit of {max_bytes}. Raise MapLimits.max_document_bytes only if you "
            "trust the file."
        )
    raw = archive.data[member.data_start : member.data_start + member.compressed_size]
    if member.method == _STORED:
        content = raw
    elif member.method == _DEFLATED:
        content = _inflate(raw, member.name, source, max_bytes)
    else:
        raise CorruptMapError(
            f"{source}: {member.name} uses ZIP compression method {member.method}, which "
            "MindManager does not write. Re-save the map in MindManager."
        )
    if len(content) != member.file_size or zlib.crc32(content) != member.crc:
        raise CorruptMapError(
            f"{source}: {member.name} fails its size or CRC check, so the archive is damaged. "
            "Copy or download the map again."
        )
    return content


def rebuild_archive(archive: ZipArchive, replacements: Mapping[str, bytes]) -> bytes:
    """Return the archive bytes with the named members' content replaced.

    Members keep their order in both the file and the central directory; every other
    byte of an untouched member is copied unchanged.
    """
    data = archive.data
    out = bytearray()
    new_offsets: dict[str, int] = {}
    new_central: dict[str, bytes] = {}
    cursor = 0

    for member in sorted(archive.members, key=lambda m: m.record_start):
        if member.record_start > cursor:
            out += data[cursor : member.record_start]
        new_offsets[member.name] = len(out)
        if member.name in replacements:
            local, central = _replace_member(data, member, replacements[member.name])
            out += local
            new_central[member.name] = central
        else:
            out += data[member.record_start : member.record_end]
        cursor = max(cursor, member.record_end)
    if archive.central_start > cursor:
        out += data[cursor : archive.central_start]

    central_start = len(out)
    for member in archive.members:
        record = new_central.get(member.name, member.central_record)
        out += _patch_offset(record, member.offset_in_zip64_extra, new_offsets[member.name])
    central_size = len(out) - central_start

    if archive.zip64_end_record is not None:
        zip64_at = len(out)
        zip64_record = bytearray(archive.zip64_end_record)
        struct.pack_into("<QQ", zip64_record, 40, central_size, central_start)
        out += zip64_record
        out += _ZIP64_LOCATOR.pack(_ZIP64_LOCATOR_SIGNATURE, 0, zip64_at, 1)

    end = bytearray(archive.end_record)
    old_size, old_offset = struct.unpack_from("<II", end, 12)
    struct.pack_into(
        "<II",
        end,
        12,
        _MAX_32 if old_size == _MAX_32 else central_size,
        _MAX_32 if old_offset == _MAX_32 else central_start,
    )
    out += end
    return bytes(out)


def build_archive(members: Mapping[str, bytes], comment: bytes = b"") -> bytes:
    """Return a new deflated archive holding ``members`` in the given order."""
    out = bytearray()
    central = bytearray()
    dos_time, dos_date = _dos_timestamp()
    for name, content in members.items():
        raw_name = name.encode("utf-8")
        flags = 0 if raw_name.isascii() else 0x0800
        compressed = _deflate(content)
        crc = zlib.crc32(content)
        offset = len(out)
        out += _LOCAL_HEADER.pack(
            _LOCAL_SIGNATURE,
            20,
            flags,
            _DEFLATED,
            dos_time,
            dos_date,
            crc,
            len(compressed),
            len(content),
            len(raw_name),
            0,
        )
        out += raw_name + compressed
        central += _CENTRAL_HEADER.pack(
            _CENTRAL_SIGNATURE,
            20,
            20,
            flags,
            _DEFLATED,
            dos_time,
            dos_date,
            crc,
            len(compressed),
            len(content),
            len(raw_name),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        central += raw_name
    central_start = len(out)
    out += central
    out += _END_RECORD.pack(
        _END_SIGNATURE,
        0,
        0,
        len(members),
        len(members),
        len(central),
        central_start,
        len(comment),
    )
    out += comment
    return bytes(out)


def _find_end_record(data: bytes, source: str) -> int:
    search_from = max(0, len(data) - (_END_RECORD.size + 0xFFFF))
    at = data.rfind(_END_SIGNATURE, search_from)
    while at >= 0:
        comment_length = struct.unpack_from("<H", data, at + 20)[0] if at + 22 <= len(data) else -1
        if at + _END_RECORD.size + comment_length == len(data):
            return at
        at = data.rfind(_END_SIGNATURE, search_from, at)
    raise CorruptMapError(
        f"{source} is a truncated ZIP archive: the directory at its end is missing. "
        "Copy or download the map again."
    )


def _parse_central_directory(
    data: bytes, start: int, size: int, total: int, source: str
) -> list[ZipMember]:
    members: list[ZipMember] = []
    seen: set[str] = set()
    at = start
    while at < start + size:
        if data[at : at + 4] != _CENTRAL_SIGNATURE or at + _CENTRAL_HEADER.size > len(data):
            raise CorruptMapError(f"{source}: the ZIP directory is damaged at byte {at}.")
        fields = _CENTRAL_HEADER.unpack_from(data, at)
        flags, method, crc = fields[3], fields[4], fields[7]
        compressed_size, file_size = fields[8], fields[9]
        name_length, extra_length, comment_length = fields[10], fields[11], fields[12]
        offset = fields[16]
        end = at + _CENTRAL_HEADER.size + name_length + extra_length + comment_length
        raw_name = data[at + _CENTRAL_HEADER.size : at + _CENTRAL_HEADER.size + name_length]
        extra = data[at + _CENTRAL_HEADER.size + name_length : end - comment_length]
        name = raw_name.decode("utf-8" if flags & 0x0800 else "cp437", errors="replace")
        _check_member_name(name, source)
        if name in seen:
            raise UnsafeMapError(
                f"{source} contains the archive member {name!r} twice, so readers may disagree "
                "about its content. Re-save the map in MindManager."
            )
        seen.add(name)

        zip64 = _zip64_values(extra, file_size, compressed_size, offset)
        file_size, compressed_size, offset = zip64
        members.append(
            _locate_member(
                data,
                source,
                name,
                raw_name,
                flags,
                method,
                crc,
                compressed_size,
                file_size,
                offset,
                data[at:end],
                fields[16] == _MAX_32,
            )
        )
        at = end
    if len(members) != total:
        raise CorruptMapError(
            f"{source}: the ZIP directory lists {len(members)} members but its end record "
            f"says {total}. Copy or download the map again."
        )
    return members


def _locate_member(
    data: bytes,
    source: str,
    name: str,
    raw_name: bytes,
    flags: int,
    method: int,
    crc: int,
    compressed_size: int,
    file_size: int,
    offset: int,
    central_record: bytes,
    offset_in_zip64_extra: bool,
) -> ZipMember:
    header = data[offset : offset + _LOCAL_HEADER.size]
    if len(header) < _LOCAL_HEADER.size or header[:4] != _LOCAL_SIGNATURE:
        raise CorruptMapError(
            f"{source}: the local header of {name} is missing, so the archive is damaged."
        )
    local_name_length, local_extra_length = struct.unpack_from("<HH", header, 26)
    name_start = offset + _LOCAL_HEADER.size
    if data[name_start : name_start + local_name_length] != raw_name:
        raise CorruptMapError(
            f"{source}: the local header of {name} names a different file than the "
            "ZIP directory. Re-save the map in MindManager."
        )
    data_start = name_start + local_name_length + local_extra_length
    record_end = data_start + compressed_size
    if flags & _FLAG_DATA_DESCRIPTOR:
        has_signature = data[record_end : record_end + 4] == _DESCRIPTOR_SIGNATURE
        sizes = 16 if compressed_size >= _MAX_32 or file_size >= _MAX_32 else 8
        record_end += (4 if has_signature else 0) + 4 + sizes
    if record_end > len(data):
        raise CorruptMapError(
            f"{source} is truncated inside the archive member {name}. "
            "Copy or download the map again."
        )
    return ZipMember(
        name,
        flags,
        method,
        crc,
        compressed_size,
        file_size,
        central_record,
        offset,
        data_start,
        record_end,
        offset_in_zip64_extra,
    )


def _zip64_values(
    extra: bytes, file_size: int, compressed_size: int, offset: int
) -> tuple[int, int, int]:
    if _MAX_32 not in (file_size, compressed_size, offset):
        return file_size, compressed_size, offset
    found = _find_zip64_extra(extra)
    if found is None:
        return file_size, compressed_size, offset
    body = extra[found[0] : found[1]]
    values = list(struct.unpack_from(f"<{len(body) // 8}Q", body))
    if file_size == _MAX_32 and values:
        file_size = values.pop(0)
    if compressed_size == _MAX_32 and values:
        compressed_size = values.pop(0)
    if offset == _MAX_32 and values:
        offset = values.pop(0)
    return file_size, compressed_size, offset


def _find_zip64_extra(extra: bytes) -> tuple[int, int] | None:
    """Return the start and end of the ZIP64 extra record's body within ``extra``."""
    # Extra fields are scanned tolerantly: MindManager's MJHI blocks do not follow the
    # id/length framing, so a record that overruns the field ends the scan.
    at = 0
    while at + 4 <= len(extra):
        field_id, length = struct.unpack_from("<HH", extra, at)
        if at + 4 + length > len(extra):
            return None
        if field_id == _ZIP64_EXTRA_ID:
            return at + 4, at + 4 + length
        at += 4 + length
    return None


def _check_member_name(name: str, source: str) -> None:
    parts = re.split(r"[\\/]", name)
    if "\x00" in name or name.startswith(("/", "\\")) or _DRIVE_PREFIX.match(name) or ".." in parts:
        raise UnsafeMapError(
            f"{source} contains an archive member named {name!r}, which points outside the "
            "archive (absolute path or '..'). The file was not written by MindManager; "
            "do not open it."
        )


def _check_no_overlap(members: list[ZipMember], central_start: int, source: str) -> None:
    ordered = sorted(members, key=lambda m: m.record_start)
    for previous, current in itertools.pairwise(ordered):
        if current.record_start < previous.record_end:
            raise UnsafeMapError(
                f"{source}: the archive members {previous.name} and {current.name} share "
                "bytes, a pattern used by ZIP bombs. Do not open this file."
            )
    if ordered and ordered[-1].record_end > central_start:
        raise UnsafeMapError(
            f"{source}: the archive member {ordered[-1].name} runs into the ZIP "
            "directory, a pattern used by ZIP bombs. Do not open this file."
        )


def _inflate(raw: bytes, name: str, source: str, max_bytes: int) -> bytes:
    inflater = zlib.decompressobj(-15)
    chunks: list[bytes] = []
    produced = 0
    try:
        for at in range(0, len(raw), _READ_CHUNK):
            pending = raw[at : at + _READ_CHUNK]
            while pending:
                chunk = inflater.decompress(pending, max_bytes + 1 - produced)
                produced += len(chunk)
                chunks.append(chunk)
                if produced > max_bytes:
                    raise UnsafeMapError(
                        f"{source}: {name} expands to more than {max_bytes} bytes, past "
                        "the limit (a ZIP bomb or a huge map). Raise "
                        "MapLimits.max_document_bytes only if you trust the file."
                    )
                pending = inflater.unconsumed_tail
        chunks.append(inflater.flush())
    except zlib.error as error:
        raise CorruptMapError(
            f"{source}: {name} cannot be decompressed ({error}). Copy or download the map again."
        ) from None
    if not inflater.eof:
        raise CorruptMapError(
            f"{source}: the compressed data of {name} ends early, so the map is truncated. "
            "Copy or download the map again."
        )
    return b"".join(chunks)


def _deflate(content: bytes) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return compressor.compress(content) + compressor.flush()


def _replace_member(data: bytes, member: ZipMember, content: bytes) -> tuple[bytes, bytes]:
    method = _STORED if member.method == _STORED else _DEFLATED
    stored = content if method == _STORED else _deflate(content)
    crc = zlib.crc32(content)
    flags = member.flags & ~_FLAG_DATA_DESCRIPTOR
    dos_time, dos_date = _dos_timestamp()

    header = bytearray(data[member.record_start : member.data_start])
    if _find_zip64_extra(_local_extra(header)) is not None:
        header = _without_zip64_extra(header, _LOCAL_HEADER.size, 28)
    struct.pack_into(
        "<HHHHIII", header, 6, flags, method, dos_time, dos_date, crc, len(stored), len(content)
    )

    central = bytearray(member.central_record)
    sizes_and_offset = (
        *struct.unpack_from("<II", central, 20),
        struct.unpack_from("<I", central, 42)[0],
    )
    if _MAX_32 in sizes_and_offset:
        central = _without_zip64_extra(central, _CENTRAL_HEADER.size, 30)
        struct.pack_into("<I", central, 42, 0)
    struct.pack_into(
        "<HHHHIII", central, 8, flags, method, dos_time, dos_date, crc, len(stored), len(content)
    )
    return bytes(header) + stored, bytes(central)


def _local_extra(header: bytearray) -> bytes:
    name_length = struct.unpack_from("<H", header, 26)[0]
    return bytes(header[_LOCAL_HEADER.size + name_length :])


def _without_zip64_extra(record: bytearray, fixed: int, extra_length_at: int) -> bytearray:
    # Rewritten members stay far below 4 GiB, so their sizes fit the 32-bit fields and the
    # ZIP64 extra record is dropped. The offset moves into the 32-bit field as well.
    name_length, extra_length = struct.unpack_from("<HH", record, extra_length_at - 2)
    extra_start = fixed + name_length
    extra = bytes(record[extra_start : extra_start + extra_length])
    kept = bytearray()
    at = 0
    while at + 4 <= len(extra):
        field_id, length = struct.unpack_from("<HH", extra, at)
        if at + 4 + length > len(extra):
            kept += extra[at:]
            break
        if field_id != _ZIP64_EXTRA_ID:
            kept += extra[at : at + 4 + length]
        at += 4 + length
    rebuilt = record[:extra_start] + kept + record[extra_start + extra_length :]
    struct.pack_into("<H", rebuilt, extra_length_at, len(kept))
    return rebuilt


def _patch_offset(record: bytes, offset_in_zip64_extra: bool, offset: int) -> bytes:
    patched = bytearray(record)
    if not offset_in_zip64_extra or struct.unpack_from("<I", patched, 42)[0] != _MAX_32:
        struct.pack_into("<I", patched, 42, offset)
        return bytes(patched)
    name_length, extra_length = struct.unpack_from("<HH", patched, 28)
    extra_start = _CENTRAL_HEADER.size + name_length
    found = _find_zip64_extra(bytes(patched[extra_start : extra_start + extra_length]))
    if found is None:
        struct.pack_into("<I", patched, 42, offset)
        return bytes(patched)
    body_start = extra_start + found[0]
    slot = sum(1 for value in struct.unpack_from("<II", patched, 20) if value == _MAX_32)
    struct.pack_into("<Q", patched, body_start + 8 * slot, offset)
    return bytes(patched)


def _dos_timestamp() -> tuple[int, int]:
    now = time.localtime()
    year = max(now.tm_year, 1980)
    dos_date = ((year - 1980) << 9) | (now.tm_mon << 5) | now.tm_mday
    dos_time = (now.tm_hour << 11) | (now.tm_min << 5) | (now.tm_sec // 2)
    return dos_time, dos_date
