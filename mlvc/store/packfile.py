"""Pack and index file formats (version 1). Normative text: docs/formats.md.

A pack is a magic header followed by records; each record is a fixed header
(oid, kind, encoding, sizes, checksum) and its payload. The index beside a
pack lists every record sorted by oid with its offset, and ends with a
checksum of itself. The same two files are the unit of storage locally and
in every remote.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from enum import IntEnum

import xxhash

from mlvc.errors import StoreFormatError
from mlvc.hashing import Oid

PACK_MAGIC = b"MLVCPACK"
INDEX_MAGIC = b"MLVCIDX\0"
FORMAT_VERSION = 1
PACK_HEADER = struct.Struct("<8sI")
RECORD_HEADER = struct.Struct("<16sBBHIIQ")
INDEX_HEADER = struct.Struct("<8sII")
INDEX_ENTRY = struct.Struct("<16sBBHQII")
INDEX_TRAILER_SIZE = 16
PACK_SUFFIX = ".pack"
INDEX_SUFFIX = ".idx"


class RecordKind(IntEnum):
    """What a record's payload is once decoded."""

    CHUNK = 1
    """Raw bytes of one chunk; its oid is the hash of those bytes."""
    MANIFEST = 2
    """The ordered chunk list of a multi-chunk blob; its oid is the blob's hash."""


class Encoding(IntEnum):
    """How a record's payload is stored. New encodings need no new layout."""

    RAW = 0


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """Where one record lives inside its pack."""

    oid: Oid
    kind: RecordKind
    encoding: Encoding
    offset: int
    """Offset of the record header within the pack."""
    length: int
    """Record header plus stored payload."""
    raw_size: int


def payload_check(kind: RecordKind, payload: bytes | memoryview) -> int:
    """Checksum kept in a record header: 0 for chunks (their oid checks them)."""
    return 0 if kind is RecordKind.CHUNK else xxhash.xxh3_64_intdigest(payload)


def encode_record_header(
    oid: Oid, kind: RecordKind, raw_size: int, payload: bytes | memoryview
) -> bytes:
    """Return the header that precedes `payload` in a pack."""
    check = payload_check(kind, payload)
    return RECORD_HEADER.pack(oid, kind, Encoding.RAW, 0, raw_size, len(payload), check)


def decode_record(record: bytes | memoryview, entry: IndexEntry, where: str) -> memoryview:
    """Check a record against its index entry and return its decoded payload."""
    view = memoryview(record)
    if len(view) != entry.length:
        raise StoreFormatError(where, f"record {entry.oid.hex()} is truncated")
    oid, kind, encoding, _, raw_size, stored_size, check = RECORD_HEADER.unpack_from(view)
    payload = view[RECORD_HEADER.size :]
    if oid != entry.oid or kind != entry.kind or stored_size != len(payload):
        raise StoreFormatError(where, f"record {entry.oid.hex()} does not match the index")
    if encoding != Encoding.RAW:
        raise StoreFormatError(where, f"record {entry.oid.hex()} has unknown encoding {encoding}")
    if check != payload_check(entry.kind, payload) or raw_size != len(payload):
        raise StoreFormatError(where, f"record {entry.oid.hex()} fails its checksum")
    return payload


def encode_index(entries: list[IndexEntry]) -> bytes:
    """Return index bytes for these entries (sorted here by oid)."""
    parts = [INDEX_HEADER.pack(INDEX_MAGIC, FORMAT_VERSION, len(entries))]
    for entry in sorted(entries, key=lambda item: item.oid):
        parts.append(
            INDEX_ENTRY.pack(
                entry.oid, entry.kind, entry.encoding, 0, entry.offset, entry.length, entry.raw_size
            )
        )
    body = b"".join(parts)
    return body + xxhash.xxh3_128_digest(body)


def verify_index(data: bytes, where: str) -> None:
    """Check an index's magic, version, size and checksum."""
    if len(data) < INDEX_HEADER.size + INDEX_TRAILER_SIZE:
        raise StoreFormatError(where, "index is truncated")
    magic, version, count = INDEX_HEADER.unpack_from(data)
    if magic != INDEX_MAGIC:
        raise StoreFormatError(where, "not an mlvc index")
    if version != FORMAT_VERSION:
        raise StoreFormatError(where, f"unsupported index version {version}")
    body_size = INDEX_HEADER.size + count * INDEX_ENTRY.size
    if len(data) != body_size + INDEX_TRAILER_SIZE:
        raise StoreFormatError(where, "index has the wrong size")
    if xxhash.xxh3_128_digest(memoryview(data)[:body_size]) != data[body_size:]:
        raise StoreFormatError(where, "index checksum mismatch")


def index_entry_offsets(data: bytes) -> range:
    """Offsets of the entries inside verified index bytes."""
    count = INDEX_HEADER.unpack_from(data)[2]
    return range(INDEX_HEADER.size, INDEX_HEADER.size + count * INDEX_ENTRY.size, INDEX_ENTRY.size)


def entry_at(data: bytes, offset: int) -> IndexEntry:
    """Decode the index entry at `offset`."""
    oid, kind, encoding, _, record_offset, length, raw_size = INDEX_ENTRY.unpack_from(data, offset)
    try:
        return IndexEntry(
            oid, RecordKind(kind), Encoding(encoding), record_offset, length, raw_size
        )
    except ValueError:
        # a newer mlvc wrote a kind or encoding this version does not know
        raise StoreFormatError(
            "index", f"entry {oid.hex()} has an unknown kind or encoding"
        ) from None


def decode_index(data: bytes, where: str) -> list[IndexEntry]:
    """Parse and verify index bytes."""
    verify_index(data, where)
    return [entry_at(data, offset) for offset in index_entry_offsets(data)]


def pack_header() -> bytes:
    """Return the bytes every pack starts with."""
    return PACK_HEADER.pack(PACK_MAGIC, FORMAT_VERSION)


def pack_name_for(index_bytes: bytes) -> str:
    """Packs are named by the hash of their index, so equal packs get equal names."""
    return xxhash.xxh3_128_hexdigest(index_bytes)


MANIFEST_ENTRY = struct.Struct("<16sI")


def encode_manifest(chunks: list[tuple[Oid, int]]) -> bytes:
    """Return the payload of a manifest record: (chunk oid, chunk length) pairs."""
    return b"".join(MANIFEST_ENTRY.pack(oid, length) for oid, length in chunks)


def decode_manifest(payload: bytes | memoryview, where: str) -> list[tuple[Oid, int]]:
    """Parse a manifest record payload."""
    if len(payload) % MANIFEST_ENTRY.size:
        raise StoreFormatError(where, "manifest has the wrong size")
    return [(bytes(oid), length) for oid, length in MANIFEST_ENTRY.iter_unpack(payload)]
