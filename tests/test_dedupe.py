"""Editing a large file stores only the changed region again."""

from __future__ import annotations

from pathlib import Path

from mlvc import Repo
from tests.helpers import dir_size, random_bytes, write

MIB = 1024 * 1024


def test_overwrite_and_insert_grow_the_cache_by_little(repo_dir: Path) -> None:
    repo = Repo(repo_dir)
    cache = repo_dir / ".mlvc" / "cache"
    original = random_bytes(64 * MIB, seed=21)
    model = write(repo_dir / "model.bin", original)
    repo.add([model])
    after_first = dir_size(cache)
    assert after_first >= 64 * MIB

    edited = bytearray(original)
    edited[32 * MIB : 33 * MIB] = random_bytes(MIB, seed=22)
    model.write_bytes(bytes(edited))
    repo.add([model])
    after_overwrite = dir_size(cache)
    assert after_overwrite - after_first < 2 * MIB

    model.write_bytes(b"0123456789" + original)
    repo.add([model])
    assert dir_size(cache) - after_overwrite < 1 * MIB

    model.unlink()
    repo.checkout()
    assert model.read_bytes() == b"0123456789" + original
