"""The local object store: a directory of packs and their indexes.

Objects are records in packs (see packfile.py). A *blob* (a file's content,
or a tree listing) is either one chunk record, whose oid is the hash of the
blob, or a manifest record under the blob's hash that lists its chunks.
Every chunk is hash-checked when it is read back.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from mlvc.errors import CorruptObjectError, StoreFormatError
from mlvc.hashing import Oid, hash_bytes, oid_to_text
from mlvc.store.packfile import (
    INDEX_SUFFIX,
    PACK_SUFFIX,
    IndexEntry,
    RecordKind,
    decode_manifest,
    decode_record,
    encode_index,
    verify_index,
)
from mlvc.store.packwriter import DEFAULT_PACK_TARGET, PackWriter
from mlvc.store.table import Location, PackTable


class ObjectStore:
    """Packs in one directory, looked up through a `PackTable` of their indexes."""

    def __init__(self, directory: Path, *, fsync: bool = False) -> None:
        self.directory = directory
        self.fsync = fsync
        self._table: PackTable | None = None
        self._fds: dict[str, int] = {}

    # -- lookups -----------------------------------------------------------------

    @property
    def table(self) -> PackTable:
        """Every published pack's index (loaded on first use)."""
        if self._table is None:
            self._table = PackTable()
            for index_path in sorted(self.directory.glob("*" + INDEX_SUFFIX)):
                data = index_path.read_bytes()
                verify_index(data, str(index_path))
                self._table.add_index(index_path.name[: -len(INDEX_SUFFIX)], data)
        return self._table

    def _add_published(self, name: str, entries: list[IndexEntry]) -> None:
        self.table.add_index(name, encode_index(entries))

    def has(self, oid: Oid) -> bool:
        """Whether a record with this oid is stored."""
        return oid in self.table

    def locate(self, oid: Oid) -> Location | None:
        """Where the record with this oid is, or None."""
        return self.table.locate(oid)

    def entries(self, pack: str) -> list[IndexEntry]:
        """Every entry of one pack's index."""
        return self.table.entries(pack)

    def pack_names(self) -> list[str]:
        """Names of every published pack."""
        return self.table.pack_names()

    def reload(self) -> None:
        """Forget the loaded indexes and open files (after packs were removed)."""
        self.close()
        self._table = None

    def close(self) -> None:
        """Close pack files kept open for reading."""
        for fd in self._fds.values():
            os.close(fd)
        self._fds.clear()

    # -- reading -----------------------------------------------------------------

    def read_payload(self, oid: Oid) -> tuple[RecordKind, memoryview]:
        """Read and check one record; chunks are verified against their oid."""
        location = self.locate(oid)
        if location is None:
            raise CorruptObjectError(oid_to_text(oid), "the cache (object missing)")
        return self.read_location(location)

    def read_location(self, location: Location) -> tuple[RecordKind, memoryview]:
        """Read and check the record at `location`."""
        entry = location.entry
        pack_path = self.directory / (location.pack + PACK_SUFFIX)
        fd = self._fds.get(location.pack)
        if fd is None:
            try:
                fd = os.open(pack_path, os.O_RDONLY)
            except FileNotFoundError:
                raise StoreFormatError(str(pack_path), "pack file is missing") from None
            self._fds[location.pack] = fd
        record = os.pread(fd, entry.length, entry.offset)
        payload = decode_record(record, entry, str(pack_path))
        if entry.kind is RecordKind.CHUNK and hash_bytes(payload) != entry.oid:
            raise CorruptObjectError(oid_to_text(entry.oid), str(pack_path))
        return entry.kind, payload

    def blob_chunks(self, oid: Oid) -> list[Oid]:
        """The chunk oids making up a blob, in order."""
        kind, payload = self.read_payload(oid)
        if kind is RecordKind.CHUNK:
            return [oid]
        return [chunk for chunk, _ in decode_manifest(payload, oid_to_text(oid))]

    def iter_blob(self, oid: Oid) -> Iterator[memoryview]:
        """Yield a blob's content chunk by chunk, each one verified."""
        kind, payload = self.read_payload(oid)
        if kind is RecordKind.CHUNK:
            yield payload
            return
        for chunk_oid, length in decode_manifest(payload, oid_to_text(oid)):
            chunk_kind, data = self.read_payload(chunk_oid)
            if chunk_kind is not RecordKind.CHUNK or len(data) != length:
                raise CorruptObjectError(oid_to_text(oid), "the cache (bad manifest)")
            yield data

    def read_blob(self, oid: Oid) -> bytes:
        """Return a whole blob, checked against its oid."""
        data = b"".join(self.iter_blob(oid))
        if hash_bytes(data) != oid:
            raise CorruptObjectError(oid_to_text(oid), "the cache")
        return data

    def missing_chunks(self, oid: Oid) -> list[Oid]:
        """Oids a blob needs that are not stored (the blob itself, or its chunks)."""
        location = self.locate(oid)
        if location is None:
            return [oid]
        if location.entry.kind is RecordKind.CHUNK:
            return []
        return [chunk for chunk in self.blob_chunks(oid) if not self.has(chunk)]

    # -- writing -----------------------------------------------------------------

    def writer(self, target_size: int = DEFAULT_PACK_TARGET) -> PackWriter:
        """A writer whose published packs become visible to this store at once."""
        return PackWriter(
            self.directory, self._add_published, target_size=target_size, fsync=self.fsync
        )

    @contextlib.contextmanager
    def writing(self) -> Iterator[PackWriter]:
        """A writer whose packs are published when the block ends, and dropped if it fails."""
        writer = self.writer()
        try:
            yield writer
            writer.flush()
        except BaseException:
            writer.abort()
            raise

    def disk_usage(self) -> int:
        """Bytes used by every file in the store directory."""
        if not self.directory.exists():
            return 0
        return sum(path.stat().st_size for path in self.directory.iterdir() if path.is_file())
