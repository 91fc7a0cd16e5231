from __future__ import annotations

from pathlib import Path

from mlvc.chunking import ChunkParams
from tests.helpers import random_bytes

PARAMS = ChunkParams()


def test_chunks_cover_the_input_within_the_size_limits() -> None:
    data = random_bytes(3 * 1024 * 1024, seed=1)
    chunks = [bytes(chunk) for chunk in PARAMS.iter_buffer(data)]
    assert b"".join(chunks) == data
    assert all(PARAMS.min_size <= len(chunk) <= PARAMS.max_size for chunk in chunks[:-1])
    assert len(chunks[-1]) <= PARAMS.max_size
    assert 10 < len(chunks) < 3 * 1024 * 1024 // PARAMS.min_size


def test_file_and_buffer_chunking_agree(tmp_path: Path) -> None:
    data = random_bytes(1024 * 1024 + 17, seed=2)
    path = tmp_path / "f"
    path.write_bytes(data)
    from_file = [bytes(chunk) for chunk in PARAMS.iter_file(path)]
    assert from_file == [bytes(chunk) for chunk in PARAMS.iter_buffer(data)]


def test_an_insertion_only_changes_the_chunks_around_it() -> None:
    data = random_bytes(4 * 1024 * 1024, seed=3)
    before = {bytes(chunk) for chunk in PARAMS.iter_buffer(data)}
    edited = data[:100] + b"0123456789" + data[100:]
    after = [bytes(chunk) for chunk in PARAMS.iter_buffer(edited)]
    new = [chunk for chunk in after if chunk not in before]
    assert len(new) <= 2
    assert sum(map(len, new)) < 2 * PARAMS.max_size


def test_empty_input_has_no_chunks(tmp_path: Path) -> None:
    (tmp_path / "empty").write_bytes(b"")
    assert list(PARAMS.iter_file(tmp_path / "empty")) == []
    assert list(PARAMS.iter_buffer(b"")) == []


def test_params_are_validated() -> None:
    assert ChunkParams().validate() is None
    assert "min_size <= avg_size" in str(ChunkParams(65536, 16384, 262144).validate())
    assert ChunkParams(1, 2, 3).validate() is not None
