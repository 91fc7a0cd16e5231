"""Data changed over several commits restores byte for byte at every revision."""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

from mlvc import Repo
from tests.helpers import git, random_bytes, tree_digest, write


def _make_dataset(root: Path) -> None:
    rng = random.Random(11)
    for index in range(1200):
        size = rng.choice([0, 1, 100, 5000, 20_000])
        write(root / f"shard{index % 7}" / f"sample {index:04d}.bin", rng.randbytes(size))
    write(root / "ünïcode" / "名前 with spaces.txt", "labels\n")
    write(root / "tools" / "run.sh", "#!/bin/sh\necho hi\n", executable=True)
    write(root / "deep" / "a" / "b" / "c" / "d.txt", "deep\n")
    os.symlink("../tools/run.sh", root / "deep" / "run-link")


def _change_dataset(root: Path, round_number: int) -> None:
    rng = random.Random(round_number)
    for index in rng.sample(range(1200), 50):
        path = root / f"shard{index % 7}" / f"sample {index:04d}.bin"
        path.write_bytes(rng.randbytes(rng.randrange(0, 30_000)))
    for index in rng.sample(range(1200), 20):
        (root / f"shard{index % 7}" / f"sample {index:04d}.bin").unlink(missing_ok=True)
    write(root / f"new-in-round-{round_number}" / "x.bin", rng.randbytes(1000))
    (root / "tools" / "run.sh").chmod(0o644 if round_number % 2 else 0o755)


def test_every_revision_restores_byte_for_byte(repo_dir: Path) -> None:
    data = repo_dir / "data" / "set"
    model = repo_dir / "models" / "model weights.bin"
    empty = repo_dir / "empty.txt"
    _make_dataset(data)
    write(model, random_bytes(3 * 1024 * 1024, seed=1))
    write(empty, b"")
    expected: dict[str, tuple[object, object, object]] = {}
    repo = Repo(repo_dir)
    for round_number in range(1, 5):
        if round_number > 1:
            _change_dataset(data, round_number)
            blob = bytearray(model.read_bytes())
            blob[round_number * 100_000 : round_number * 100_000 + 5000] = random_bytes(
                5000, round_number
            )
            model.write_bytes(bytes(blob))
        repo.add([data, model, empty])
        git(repo_dir, "add", "-A")
        git(repo_dir, "commit", "-q", "-m", f"round {round_number}")
        sha = git(repo_dir, "rev-parse", "HEAD").strip()
        expected[sha] = (tree_digest(data), tree_digest(model), tree_digest(empty))
        assert all(status.state == "unchanged" for status in repo.status())
    assert len(tree_digest(data)) >= 1000

    shutil.rmtree(data)
    model.unlink()
    for sha, (data_digest, model_digest, empty_digest) in expected.items():
        git(repo_dir, "checkout", "-q", sha)
        result = Repo(repo_dir).checkout()
        assert result.written, "each revision differs from the one before"
        assert tree_digest(data) == data_digest
        assert tree_digest(model) == model_digest
        assert tree_digest(empty) == empty_digest
        assert os.readlink(data / "deep" / "run-link") == "../tools/run.sh"
        assert all(status.state == "unchanged" for status in Repo(repo_dir).status())


def test_checkout_of_pointer_files_from_an_old_commit(repo_dir: Path, cli) -> None:  # type: ignore[no-untyped-def]
    model = write(repo_dir / "models" / "model.safetensors", random_bytes(1_000_000, 1))
    v1 = model.read_bytes()
    assert cli("add", "models/model.safetensors").code == 0
    git(repo_dir, "add", "-A")
    git(repo_dir, "commit", "-q", "-m", "v1")
    model.write_bytes(random_bytes(1_000_000, 2))
    status = cli("status")
    assert "models/model.safetensors: modified" in status.out
    assert cli("add", "models/model.safetensors").code == 0
    git(repo_dir, "commit", "-q", "-am", "v2")
    git(repo_dir, "checkout", "HEAD~1", "--", "*.mlvc")
    assert cli("checkout").code == 0
    assert model.read_bytes() == v1
    diff = cli("diff", "HEAD~1", "HEAD")
    assert "modified:  models/model.safetensors" in diff.out
