from __future__ import annotations

from pathlib import Path

import pytest

from mlvc.chunking import ChunkParams
from mlvc.errors import CorruptObjectError, StoreFormatError
from mlvc.hashing import hash_bytes
from mlvc.store.blobs import BlobWriter
from mlvc.store.objects import ObjectStore
from mlvc.store.packfile import INDEX_SUFFIX, PACK_SUFFIX, RecordKind
from tests.helpers import random_bytes


def _store_blobs(
    directory: Path, *blobs: bytes, target: int = 32 << 20
) -> tuple[ObjectStore, list[bytes]]:
    store = ObjectStore(directory)
    writer = store.writer(target_size=target)
    blob_writer = BlobWriter(store, writer, ChunkParams())
    oids = [blob_writer.write_bytes(blob) for blob in blobs]
    writer.flush()
    return store, oids


def test_blobs_read_back_from_a_fresh_store(tmp_path: Path) -> None:
    big = random_bytes(2 * 1024 * 1024, seed=4)
    _, oids = _store_blobs(tmp_path, big, b"small", b"")
    fresh = ObjectStore(tmp_path)
    assert [fresh.read_blob(oid) for oid in oids] == [big, b"small", b""]
    assert oids[0] == hash_bytes(big)
    assert fresh.read_payload(oids[0])[0] is RecordKind.MANIFEST
    assert fresh.read_payload(oids[1])[0] is RecordKind.CHUNK


def test_a_chunk_is_stored_once(tmp_path: Path) -> None:
    data = random_bytes(1024 * 1024, seed=5)
    store, _ = _store_blobs(tmp_path, data)
    size = store.disk_usage()
    writer = store.writer()
    blob_writer = BlobWriter(store, writer, ChunkParams())
    blob_writer.write_bytes(data)
    blob_writer.write_bytes(data + b"tail")
    writer.flush()
    assert blob_writer.new_bytes < 300 * 1024
    assert store.disk_usage() - size < 300 * 1024


def test_packs_roll_over_at_the_target_size(tmp_path: Path) -> None:
    store, oids = _store_blobs(tmp_path, random_bytes(3 * 1024 * 1024, seed=6), target=1 << 20)
    assert len(store.pack_names()) >= 3
    assert ObjectStore(tmp_path).read_blob(oids[0]) == random_bytes(3 * 1024 * 1024, seed=6)


def test_a_flipped_byte_in_a_pack_is_detected(tmp_path: Path) -> None:
    data = random_bytes(200 * 1024, seed=7)
    store, oids = _store_blobs(tmp_path, data)
    pack = tmp_path / (store.pack_names()[0] + PACK_SUFFIX)
    raw = bytearray(pack.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    pack.write_bytes(bytes(raw))
    with pytest.raises(CorruptObjectError, match="hash mismatch"):
        ObjectStore(tmp_path).read_blob(oids[0])


def test_a_damaged_index_is_reported(tmp_path: Path) -> None:
    store, _ = _store_blobs(tmp_path, b"abc")
    index = tmp_path / (store.pack_names()[0] + INDEX_SUFFIX)
    index.write_bytes(index.read_bytes()[:-1] + b"\0")
    with pytest.raises(StoreFormatError, match="checksum"):
        ObjectStore(tmp_path).has(hash_bytes(b"abc"))
