"""status: states, the stat cache, and racily clean files."""

from __future__ import annotations

import json
import os
from pathlib import Path

from mlvc import Repo
from tests.helpers import git, write

HOUR_NS = 3600 * 10**9


def _states(repo_dir: Path) -> dict[str, str]:
    return {item.path: item.state.value for item in Repo(repo_dir).status()}


def test_states_and_changes_inside_directories(repo_dir: Path, cli) -> None:  # type: ignore[no-untyped-def]
    write(repo_dir / "d" / "keep.txt", "keep")
    write(repo_dir / "d" / "edit.txt", "edit")
    write(repo_dir / "d" / "gone.txt", "gone")
    write(repo_dir / "f.bin", "file")
    write(repo_dir / "lost.bin", "lost")
    Repo(repo_dir).add(["d", "f.bin", "lost.bin"])
    (repo_dir / "d" / "edit.txt").write_text("edited")
    (repo_dir / "d" / "gone.txt").unlink()
    write(repo_dir / "d" / "sub" / "new.txt", "new")
    (repo_dir / "lost.bin").unlink()
    result = cli("status", "--json")
    assert result.code == 0
    by_path = {item["path"]: item for item in json.loads(result.out)["paths"]}
    assert by_path["f.bin"]["state"] == "unchanged"
    assert by_path["lost.bin"]["state"] == "missing"
    assert by_path["d"]["state"] == "modified"
    assert {(c["path"], c["change"]) for c in by_path["d"]["changes"]} == {
        ("d/edit.txt", "modified"),
        ("d/gone.txt", "deleted"),
        ("d/sub/new.txt", "added"),
    }
    text = cli("status").out
    assert "d: modified\n" in text and "added:     d/sub/new.txt" in text
    assert "lost.bin: missing\n" in text


def test_not_in_cache_is_reported(repo_dir: Path, cli) -> None:  # type: ignore[no-untyped-def]
    write(repo_dir / "f.bin", "content")
    Repo(repo_dir).add(["f.bin"])
    git(repo_dir, "add", "-A")
    git(repo_dir, "commit", "-q", "-m", "f")
    for path in (repo_dir / ".mlvc" / "cache" / "packs").iterdir():
        path.unlink()
    assert "f.bin: unchanged, not in cache" in cli("status").out


def test_unchanged_files_are_not_read_again(repo_dir: Path) -> None:
    path = write(repo_dir / "f.bin", b"a" * 1000)
    old_ns = path.stat().st_mtime_ns - HOUR_NS
    os.utime(path, ns=(old_ns, old_ns))
    Repo(repo_dir).add(["f.bin"])
    # Same size, same inode, same (old) mtime: only reading the file could tell.
    path.write_bytes(b"b" * 1000)
    os.utime(path, ns=(old_ns, old_ns))
    assert _states(repo_dir) == {"f.bin": "unchanged"}


def test_racily_clean_files_are_read_again(repo_dir: Path) -> None:
    path = write(repo_dir / "f.bin", b"a" * 1000)
    # An mtime not older than the moment mlvc read the file: as if written in the same tick.
    mtime = path.stat().st_mtime_ns + HOUR_NS
    os.utime(path, ns=(mtime, mtime))
    Repo(repo_dir).add(["f.bin"])
    assert _states(repo_dir) == {"f.bin": "unchanged"}
    # Changed within the timestamp granularity: same size, inode and mtime.
    path.write_bytes(b"b" * 1000)
    os.utime(path, ns=(mtime, mtime))
    assert _states(repo_dir) == {"f.bin": "modified"}
