"""Listing tracked paths in the workspace and naming their content by oid.

A *snapshot* maps each file of a tracked path to a `TreeEntry`: for a
tracked file the single key is "", for a directory the keys are paths
relative to it. Snapshots of the workspace, of a pointer and of a pointer at
some git revision are compared by status, diff and checkout alike.
"""

from __future__ import annotations

import array
import itertools
import os
import stat
from pathlib import Path
from typing import NamedTuple

from mlvc.errors import UnsupportedPathError
from mlvc.fsutil import TEMP_MARKER
from mlvc.hashing import Oid, hash_bytes, hash_file
from mlvc.store.state import StatCache, StatKey
from mlvc.tree import EntryMode, TreeEntry, encode_tree

Snapshot = dict[str, TreeEntry]


class WorkFile(NamedTuple):
    """A file found in the workspace, not yet hashed.

    A flat tuple: a directory of a million files makes a million of these, and
    a status of a clean tree is mostly the cost of listing it.
    """

    relative: str
    """Path below the tracked path ("" when the tracked path is this file)."""
    absolute: str
    inode: int
    size: int
    mtime_ns: int
    mode: EntryMode

    @property
    def key(self) -> StatKey:
        """What the stat cache compares."""
        return StatKey(self.inode, self.size, self.mtime_ns)


def join(data_path: str, relative: str) -> str:
    """Repository-relative path of a file inside a tracked path."""
    return f"{data_path}/{relative}" if relative else data_path


def entry_mode(st_mode: int) -> EntryMode:
    """How a file is recorded: link, executable or plain file."""
    if stat.S_ISLNK(st_mode):
        return EntryMode.LINK
    return EntryMode.EXEC if st_mode & stat.S_IXUSR else EntryMode.FILE


def _work_file(relative: str, absolute: str, result: os.stat_result) -> WorkFile:
    return WorkFile(
        relative,
        absolute,
        result.st_ino,
        result.st_size,
        result.st_mtime_ns,
        entry_mode(result.st_mode),
    )


def list_work_files(absolute: Path, data_path: str) -> dict[str, WorkFile] | None:
    """Files currently at a tracked path, or None when nothing is there."""
    try:
        result = absolute.lstat()
    except FileNotFoundError:
        return None
    if stat.S_ISDIR(result.st_mode):
        found: dict[str, WorkFile] = {}
        _walk(str(absolute), "", data_path, found)
        return found
    if stat.S_ISLNK(result.st_mode):
        raise UnsupportedPathError(data_path, "it is a symbolic link (add its target instead)")
    if not stat.S_ISREG(result.st_mode):
        raise UnsupportedPathError(data_path, "it is not a regular file or directory")
    return {"": _work_file("", str(absolute), result)}


def _walk(directory: str, prefix: str, data_path: str, found: dict[str, WorkFile]) -> None:
    with os.scandir(directory) as items:
        for item in items:
            name = item.name
            if TEMP_MARKER in name:
                continue  # a temporary file of an interrupted checkout, never data
            if not name.isascii():
                _check_utf8(data_path, prefix + name)
            relative = prefix + name
            result = item.stat(follow_symlinks=False)
            mode = result.st_mode
            if stat.S_ISDIR(mode):
                _walk(item.path, relative + "/", data_path, found)
            elif stat.S_ISREG(mode) or stat.S_ISLNK(mode):
                found[relative] = _work_file(relative, item.path, result)
            else:
                raise UnsupportedPathError(
                    join(data_path, relative), "it is not a regular file, link or directory"
                )


def _check_utf8(data_path: str, relative: str) -> None:
    try:
        relative.encode("utf-8")
    except UnicodeEncodeError:
        shown = relative.encode("utf-8", "replace").decode()
        raise UnsupportedPathError(join(data_path, shown), "its name is not UTF-8") from None


def listing_signature(files: dict[str, WorkFile]) -> tuple[bytes, int]:
    """A digest of every file's name, stat key and mode, and the newest mtime among them.

    Files are taken in listing order, not sorted: if the order ever changes, the
    signature misses the cache and the files are checked one by one, still correctly.
    """
    items = list(files.values())
    names = "\0".join([item.relative for item in items])
    modes = "".join([item.mode.value for item in items])  # each mode is four letters
    numbers = array.array(
        "q", itertools.chain.from_iterable([(i.inode, i.size, i.mtime_ns) for i in items])
    )
    newest = max(numbers[2::3], default=0)
    encoded = names.encode("utf-8", "surrogateescape") + b"\0" + modes.encode()
    return hash_bytes(encoded + numbers.tobytes()), newest


class WorkspaceHasher:
    """Names workspace files by oid, reading only those the stat cache cannot vouch for."""

    def __init__(self, cache: StatCache) -> None:
        self.cache = cache
        self.files_read = 0
        # Taken before anything is listed: whatever changes later looks racy, never clean.
        self.checked_ns = cache.filesystem_now()

    def tree_oid(self, data_path: str, files: dict[str, WorkFile]) -> tuple[Oid, Snapshot | None]:
        """The oid a directory's tree would have, and the snapshot when one had to be made.

        When the listing cache vouches for the listing, no file is looked at.
        """
        signature, newest = listing_signature(files)
        oid = self.cache.listing_oid(data_path, signature, newest)
        if oid is not None:
            return oid, None
        snapshot = self.snapshot(data_path, files)
        oid = hash_bytes(encode_tree(snapshot.values()))
        self.cache.record_listing(data_path, signature, oid, self.checked_ns)
        return oid, snapshot

    def snapshot(self, data_path: str, files: dict[str, WorkFile]) -> Snapshot:
        """Hash every listed file of one tracked path."""
        rows = self.cache.rows_under(data_path)
        snapshot: Snapshot = {}
        for relative, work_file in files.items():
            repo_path = join(data_path, relative)
            oid = StatCache.trusted(rows.get(repo_path), work_file.key)
            if oid is None:
                oid = self.hash_now(repo_path, work_file)
            snapshot[relative] = TreeEntry(relative, oid, work_file.size, work_file.mode)
        return snapshot

    def hash_now(self, repo_path: str, work_file: WorkFile) -> Oid:
        """Read a file (or a link's target) and record its oid in the stat cache."""
        checked_ns = self.cache.filesystem_now()
        if work_file.mode is EntryMode.LINK:
            oid = hash_bytes(os.fsencode(os.readlink(work_file.absolute)))
        else:
            oid = hash_file(Path(work_file.absolute))
        self.files_read += 1
        self.cache.record(repo_path, work_file.key, oid, checked_ns)
        return oid
