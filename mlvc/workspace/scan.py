"""Listing tracked paths in the workspace and naming their content by oid.

A *snapshot* maps each file of a tracked path to a `TreeEntry`: for a
tracked file the single key is "", for a directory the keys are paths
relative to it. Snapshots of the workspace, of a pointer and of a pointer at
some git revision are compared by status, diff and checkout alike.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from mlvc.errors import UnsupportedPathError
from mlvc.fsutil import TEMP_MARKER
from mlvc.hashing import Oid, hash_bytes, hash_file
from mlvc.store.state import StatCache, StatKey
from mlvc.tree import EntryMode, TreeEntry

Snapshot = dict[str, TreeEntry]


@dataclass(frozen=True, slots=True)
class WorkFile:
    """A file found in the workspace, not yet hashed."""

    relative: str
    """Path below the tracked path ("" when the tracked path is this file)."""
    absolute: Path
    key: StatKey
    mode: EntryMode


def join(data_path: str, relative: str) -> str:
    """Repository-relative path of a file inside a tracked path."""
    return f"{data_path}/{relative}" if relative else data_path


def entry_mode(result: os.stat_result) -> EntryMode:
    """How a file is recorded: link, executable or plain file."""
    if stat.S_ISLNK(result.st_mode):
        return EntryMode.LINK
    return EntryMode.EXEC if result.st_mode & stat.S_IXUSR else EntryMode.FILE


def list_work_files(absolute: Path, data_path: str) -> dict[str, WorkFile] | None:
    """Files currently at a tracked path, or None when nothing is there."""
    try:
        result = absolute.lstat()
    except FileNotFoundError:
        return None
    if stat.S_ISDIR(result.st_mode):
        found: dict[str, WorkFile] = {}
        _walk(absolute, "", data_path, found)
        return found
    if stat.S_ISLNK(result.st_mode):
        raise UnsupportedPathError(data_path, "it is a symbolic link (add its target instead)")
    if not stat.S_ISREG(result.st_mode):
        raise UnsupportedPathError(data_path, "it is not a regular file or directory")
    return {"": WorkFile("", absolute, StatKey.of(result), entry_mode(result))}


def _walk(directory: Path, prefix: str, data_path: str, found: dict[str, WorkFile]) -> None:
    with os.scandir(directory) as items:
        for item in items:
            if TEMP_MARKER in item.name:
                continue  # a temporary file of an interrupted checkout, never data
            relative = prefix + item.name
            result = item.stat(follow_symlinks=False)
            if stat.S_ISDIR(result.st_mode):
                _walk(Path(item.path), relative + "/", data_path, found)
            elif stat.S_ISREG(result.st_mode) or stat.S_ISLNK(result.st_mode):
                found[relative] = WorkFile(
                    relative, Path(item.path), StatKey.of(result), entry_mode(result)
                )
            else:
                raise UnsupportedPathError(
                    join(data_path, relative), "it is not a regular file, link or directory"
                )


class WorkspaceHasher:
    """Names workspace files by oid, reading only those the stat cache cannot vouch for."""

    def __init__(self, cache: StatCache) -> None:
        self.cache = cache
        self.files_read = 0

    def snapshot(self, data_path: str, files: dict[str, WorkFile]) -> Snapshot:
        """Hash every listed file of one tracked path."""
        rows = self.cache.rows_under(data_path)
        snapshot: Snapshot = {}
        for relative, work_file in files.items():
            repo_path = join(data_path, relative)
            oid = StatCache.trusted(rows.get(repo_path), work_file.key)
            if oid is None:
                oid = self.hash_now(repo_path, work_file)
            size = work_file.key.size
            snapshot[relative] = TreeEntry(relative, oid, size, work_file.mode)
        return snapshot

    def hash_now(self, repo_path: str, work_file: WorkFile) -> Oid:
        """Read a file (or a link's target) and record its oid in the stat cache."""
        checked_ns = self.cache.filesystem_now()
        if work_file.mode is EntryMode.LINK:
            oid = hash_bytes(os.fsencode(os.readlink(work_file.absolute)))
        else:
            oid = hash_file(work_file.absolute)
        self.files_read += 1
        self.cache.record(repo_path, work_file.key, oid, checked_ns)
        return oid
