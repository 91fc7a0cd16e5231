"""gc keeps what the workspace and reachable commits reference, and frees the rest."""

from __future__ import annotations

from pathlib import Path

from mlvc import Repo
from tests.helpers import dir_size, git, random_bytes, tree_digest, write

MIB = 1024 * 1024


def _commit_version(repo_dir: Path, seed: int, message: str) -> dict[str, tuple[str, str]]:
    write(repo_dir / "data" / "a.bin", random_bytes(MIB, seed))
    write(repo_dir / "data" / "shared.bin", random_bytes(MIB, 999))
    Repo(repo_dir).add(["data"])
    git(repo_dir, "add", "-A")
    git(repo_dir, "commit", "-q", "-m", message)
    return tree_digest(repo_dir / "data")


def test_gc_keeps_history_and_frees_unreferenced_data(repo_dir: Path) -> None:
    cache = repo_dir / ".mlvc" / "cache"
    v1 = _commit_version(repo_dir, 1, "v1")
    git(repo_dir, "checkout", "-q", "-b", "experiment")
    experiment = _commit_version(repo_dir, 2, "experiment")
    git(repo_dir, "checkout", "-q", "main")
    Repo(repo_dir).checkout()
    write(repo_dir / "data" / "a.bin", random_bytes(MIB, 3))
    Repo(repo_dir).add(["data"])  # never committed, then replaced by the next add
    write(repo_dir / "data" / "a.bin", random_bytes(MIB, 4))
    Repo(repo_dir).add(["data"])
    workspace = tree_digest(repo_dir / "data")

    dry = Repo(repo_dir).gc(dry_run=True)
    assert dry.bytes_freed >= MIB
    before = dir_size(cache)
    assert dir_size(cache) == before, "dry run deletes nothing"

    result = Repo(repo_dir).gc()
    assert result.bytes_freed >= MIB
    assert before - dir_size(cache) == result.bytes_freed
    assert dir_size(cache) < 4.2 * MIB  # v1, experiment, workspace, shared: four MiB

    for revision, expected in (("main", v1), ("experiment", experiment)):
        git(repo_dir, "checkout", "-q", "-f", revision)
        Repo(repo_dir).checkout(force=True)
        assert tree_digest(repo_dir / "data") == expected
    git(repo_dir, "checkout", "-q", "main")
    write(repo_dir / "data" / "a.bin", random_bytes(MIB, 4))
    Repo(repo_dir).add(["data"])
    assert tree_digest(repo_dir / "data") == workspace

    git(repo_dir, "branch", "-q", "-D", "experiment")
    assert Repo(repo_dir).gc().bytes_freed >= MIB
    assert Repo(repo_dir).gc(workspace_only=True).bytes_freed >= MIB  # v1 of main goes too
    (repo_dir / "data" / "a.bin").unlink()
    Repo(repo_dir).checkout()
    assert tree_digest(repo_dir / "data") == workspace
