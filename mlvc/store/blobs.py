"""Cutting blobs (file contents, tree listings) into chunks and storing them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from mlvc.chunking import ChunkParams
from mlvc.hashing import Oid, hash_bytes, new_hasher
from mlvc.store.objects import ObjectStore
from mlvc.store.packfile import RecordKind, encode_manifest
from mlvc.store.packwriter import PackWriter

EMPTY_OID = hash_bytes(b"")


class BlobWriter:
    """Stores blobs chunk by chunk, skipping every chunk the store or writer already has."""

    def __init__(self, store: ObjectStore, writer: PackWriter, params: ChunkParams) -> None:
        self.store = store
        self.writer = writer
        self.params = params
        self.new_bytes = 0

    def write_file(self, path: Path, on_bytes: Callable[[int], None] | None = None) -> Oid:
        """Store a file's content; return its oid."""
        return self._write_chunks(self.params.iter_file(path), on_bytes)

    def write_bytes(self, data: bytes) -> Oid:
        """Store an in-memory blob (a tree listing); return its oid."""
        return self._write_chunks(self.params.iter_buffer(data), None)

    def _write_chunks(
        self, chunks: Iterable[memoryview], on_bytes: Callable[[int], None] | None
    ) -> Oid:
        hasher = new_hasher()
        listing: list[tuple[Oid, int]] = []
        for data in chunks:
            oid = hash_bytes(data)
            hasher.update(data)
            listing.append((oid, len(data)))
            self._add(oid, RecordKind.CHUNK, data)
            if on_bytes is not None:
                on_bytes(len(data))
        blob_oid = hasher.digest()
        if not listing:
            self._add(EMPTY_OID, RecordKind.CHUNK, b"")
        elif len(listing) > 1:
            self._add(blob_oid, RecordKind.MANIFEST, encode_manifest(listing))
        return blob_oid

    def _add(self, oid: Oid, kind: RecordKind, payload: bytes | memoryview) -> None:
        if self.store.has(oid) or self.writer.holds(oid):
            return
        self.writer.add(oid, kind, payload)
        self.new_bytes += len(payload)
