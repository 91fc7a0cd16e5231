"""`mlvc add`: chunk files into the cache, then write pointer files and `.gitignore` entries.

Every check runs before anything is written, so bad input changes nothing.
Data is published (packs, then their indexes) before the pointers that
reference it are written.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from mlvc.errors import (
    FileChangedError,
    OverlappingPathError,
    PathNotFoundError,
    PointerFormatError,
    TrackedByGitError,
)
from mlvc.fsutil import covers, write_file_atomic
from mlvc.git.ignore import add_ignores
from mlvc.git.worktree import tracked_paths
from mlvc.hashing import Oid
from mlvc.pointer import Pointer, PointerKind, parse_pointer, pointer_path_of
from mlvc.progress import Progress
from mlvc.store.blobs import BlobWriter
from mlvc.store.state import StatKey
from mlvc.tree import EntryMode, TreeEntry, encode_tree
from mlvc.workspace.results import AddResult
from mlvc.workspace.scan import Snapshot, WorkFile, join, list_work_files, listing_signature

if TYPE_CHECKING:
    from mlvc.repo import Repo


def check_overlaps(new_paths: Sequence[str], existing: Sequence[str]) -> None:
    """Refuse a path that contains, or lies inside, another tracked or new path."""
    for index, path in enumerate(new_paths):
        for other in [*new_paths[:index], *existing]:
            if other != path and (covers(other, path) or covers(path, other)):
                raise OverlappingPathError(path, other)


def add_paths(repo: Repo, paths: Sequence[str], progress: Progress) -> list[AddResult]:
    """Add tracked paths (repository-relative); see the module docstring."""
    paths = list(dict.fromkeys(paths))
    repo.stat_cache.filesystem_now()  # before listing: later changes look racy, never clean
    listings: dict[str, dict[str, WorkFile]] = {}
    for path in paths:
        files = list_work_files(repo.root / path, path)
        if files is None:
            raise PathNotFoundError(path)
        if tracked_paths(repo.root, path):
            raise TrackedByGitError(path)
        listings[path] = files
    check_overlaps(paths, repo.tracked_paths())
    with repo.locked(exclusive=True):
        return _store_and_point(repo, listings, progress)


def _store_and_point(
    repo: Repo, listings: dict[str, dict[str, WorkFile]], progress: Progress
) -> list[AddResult]:
    store = repo.store
    total = sum(item.size for files in listings.values() for item in files.values())
    progress.begin("Adding", total)
    pointers: dict[str, tuple[Pointer, int]] = {}
    try:
        with store.writing() as writer:
            blobs = BlobWriter(store, writer, repo.config.chunking)
            for path, files in listings.items():
                before = blobs.new_bytes
                snapshot = _store_files(repo, blobs, path, files, progress)
                pointer = _pointer_for(blobs, snapshot, files)
                pointers[path] = (pointer, blobs.new_bytes - before)
                if pointer.kind is PointerKind.DIR:
                    signature, _ = listing_signature(files)
                    checked_ns = repo.stat_cache.filesystem_now()
                    repo.stat_cache.record_listing(path, signature, pointer.oid, checked_ns)
    finally:
        progress.end()
    results = [
        _write_pointer(repo, path, pointer, added) for path, (pointer, added) in pointers.items()
    ]
    add_ignores(repo.root, list(pointers))
    repo.stat_cache.save()
    return results


def _store_files(
    repo: Repo, blobs: BlobWriter, path: str, files: dict[str, WorkFile], progress: Progress
) -> Snapshot:
    rows = repo.stat_cache.rows_under(path)
    snapshot: Snapshot = {}
    for relative in sorted(files):
        work_file = files[relative]
        repo_path = join(path, relative)
        oid = repo.stat_cache.trusted(rows.get(repo_path), work_file.key)
        if oid is None or not blobs.store.has(oid):
            oid = _store_one(repo, blobs, repo_path, work_file, progress)
        else:
            progress.advance(work_file.size)
        snapshot[relative] = TreeEntry(relative, oid, work_file.size, work_file.mode)
    return snapshot


def _store_one(
    repo: Repo, blobs: BlobWriter, repo_path: str, work_file: WorkFile, progress: Progress
) -> Oid:
    checked_ns = repo.stat_cache.filesystem_now()
    if work_file.mode is EntryMode.LINK:
        oid = blobs.write_bytes(os.fsencode(os.readlink(work_file.absolute)))
        progress.advance(work_file.size)
    else:
        oid = blobs.write_file(Path(work_file.absolute), progress.advance)
    if StatKey.of(os.lstat(work_file.absolute)) != work_file.key:
        raise FileChangedError(repo_path)
    repo.stat_cache.record(repo_path, work_file.key, oid, checked_ns)
    return oid


def _pointer_for(blobs: BlobWriter, snapshot: Snapshot, files: dict[str, WorkFile]) -> Pointer:
    if list(files) == [""]:
        entry = snapshot[""]
        return Pointer(PointerKind.FILE, entry.oid, entry.size, 1, entry.mode is EntryMode.EXEC)
    tree_oid = blobs.write_bytes(encode_tree(snapshot.values()))
    size = sum(entry.size for entry in snapshot.values())
    return Pointer(PointerKind.DIR, tree_oid, size, len(snapshot))


def _write_pointer(repo: Repo, path: str, pointer: Pointer, new_bytes: int) -> AddResult:
    pointer_file = repo.root / pointer_path_of(path)
    text = pointer.dumps().encode("utf-8")
    try:
        previous = pointer_file.read_bytes()
    except FileNotFoundError:
        previous = None
    if previous is not None:
        # keep keys a newer mlvc wrote, so re-adding does not drop them
        try:
            extra = parse_pointer(previous, pointer_path_of(path)).extra
        except PointerFormatError:  # a damaged old pointer is simply replaced
            extra = {}
        if extra:
            pointer = dataclasses.replace(pointer, extra=extra)
            text = pointer.dumps().encode("utf-8")
    if previous != text:
        write_file_atomic(pointer_file, text)
    return AddResult(path, pointer, previous != text, new_bytes)
