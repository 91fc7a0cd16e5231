"""Writing pack files: records are appended to a temporary pack, then published.

Publishing order is what makes a crash harmless: the pack is renamed into
place first, its index last. A pack without an index is invisible to readers
and is removed by `mlvc gc`; so is a temporary file left by a killed writer.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from mlvc.fsutil import fsync_directory, write_file_atomic
from mlvc.hashing import Oid
from mlvc.store.background import BUFFER_SIZE, BackgroundWriter
from mlvc.store.packfile import (
    INDEX_SUFFIX,
    PACK_SUFFIX,
    Encoding,
    IndexEntry,
    RecordKind,
    encode_index,
    encode_record_header,
    pack_header,
    pack_name_for,
)

DEFAULT_PACK_TARGET = 32 * 1024 * 1024
TEMP_SUFFIX = ".tmp"

PublishCallback = Callable[[str, list[IndexEntry]], None]


class PackWriter:
    """Appends records to packs of about `target_size` bytes, then publishes them."""

    def __init__(
        self,
        directory: Path,
        on_publish: PublishCallback,
        *,
        target_size: int = DEFAULT_PACK_TARGET,
        fsync: bool = False,
    ) -> None:
        self._directory = directory
        self._on_publish = on_publish
        self._target_size = target_size
        self._fsync = fsync
        self._stream: BinaryIO | None = None
        self._temp_path: Path | None = None
        self._offset = 0
        self._entries: dict[Oid, IndexEntry] = {}
        self._background = BackgroundWriter()
        self._batch: bytearray | None = None
        self._fill = 0
        self.published: list[str] = []
        self.bytes_written = 0

    def holds(self, oid: Oid) -> bool:
        """Whether this writer has already taken a record with this oid."""
        return oid in self._entries

    def add(self, oid: Oid, kind: RecordKind, payload: bytes | memoryview) -> None:
        """Append one record (the caller has checked it is not stored yet)."""
        if oid in self._entries:
            return
        stream = self._stream or self._open()
        header = encode_record_header(oid, kind, len(payload), payload)
        length = len(header) + len(payload)
        # Copied into a batch: the caller's view is reused for the next chunk, and one
        # hand-over per few MiB keeps the thread handoff cheap.
        if self._batch is not None and self._fill + length > BUFFER_SIZE:
            self._hand_over(stream)
        if length > BUFFER_SIZE:
            self._background.write(stream, header + bytes(payload))  # a huge manifest
        else:
            batch = self._batch if self._batch is not None else self._background.take_buffer()
            self._batch = batch
            batch[self._fill : self._fill + len(header)] = header
            batch[self._fill + len(header) : self._fill + length] = payload
            self._fill += length
        self._entries[oid] = IndexEntry(oid, kind, Encoding.RAW, self._offset, length, len(payload))
        self._offset += length
        self.bytes_written += length
        if self._offset >= self._target_size:
            self._publish()

    def flush(self) -> None:
        """Publish the current pack, if it holds anything, and stop the writer thread."""
        try:
            self._publish()
        finally:
            self._background.stop()

    def _publish(self) -> None:
        if self._stream is None or self._temp_path is None:
            return
        self._hand_over(self._stream)
        self._background.drain()
        stream, temp_path, entries = self._stream, self._temp_path, list(self._entries.values())
        self._stream, self._temp_path, self._entries, self._offset = None, None, {}, 0
        if self._fsync:
            stream.flush()
            os.fsync(stream.fileno())
        stream.close()
        index_bytes = encode_index(entries)
        name = pack_name_for(index_bytes)
        os.replace(temp_path, self._directory / (name + PACK_SUFFIX))
        write_file_atomic(self._directory / (name + INDEX_SUFFIX), index_bytes, fsync=self._fsync)
        if self._fsync:
            fsync_directory(self._directory)
        self.published.append(name)
        self._on_publish(name, entries)

    def abort(self) -> None:
        """Drop the pack being written; published packs stay."""
        with contextlib.suppress(OSError):  # the pack is being dropped anyway
            self._background.drain()
        self._background.stop()
        if self._stream is not None and self._temp_path is not None:
            self._stream.close()
            self._temp_path.unlink(missing_ok=True)
        self._stream, self._temp_path, self._entries, self._offset = None, None, {}, 0
        self._batch, self._fill = None, 0

    def _hand_over(self, stream: BinaryIO) -> None:
        """Queue the filled part of the batch for writing; the buffer comes back when written."""
        if self._batch is not None and self._fill:
            self._background.write(stream, memoryview(self._batch)[: self._fill], self._batch)
            self._batch, self._fill = None, 0

    def _open(self) -> BinaryIO:
        self._directory.mkdir(parents=True, exist_ok=True)
        self._temp_path = self._directory / f"incoming-{os.urandom(8).hex()}{TEMP_SUFFIX}"
        self._stream = open(self._temp_path, "xb")  # noqa: SIM115 - closed in flush/abort
        self._stream.write(pack_header())
        self._offset = len(pack_header())
        return self._stream
