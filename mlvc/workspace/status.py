"""`mlvc status`: how each tracked path in the workspace compares with its pointer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlvc.hashing import hash_bytes
from mlvc.pointer import Pointer, PointerKind
from mlvc.store.objects import ObjectStore
from mlvc.tree import encode_tree
from mlvc.workspace.compare import compare_snapshots, pointer_change, pointer_snapshot
from mlvc.workspace.results import PathState, PathStatus
from mlvc.workspace.scan import Snapshot, WorkspaceHasher, list_work_files

if TYPE_CHECKING:
    from mlvc.repo import Repo


def workspace_status(repo: Repo) -> list[PathStatus]:
    """Status of every tracked path, sorted by path."""
    results = []
    hasher = WorkspaceHasher(repo.stat_cache)
    with repo.locked(exclusive=False):
        for path in repo.tracked_paths():
            results.append(_path_status(repo, hasher, path, repo.read_pointer(path)))
    repo.stat_cache.save()
    return results


def data_in_cache(store: ObjectStore, pointer: Pointer, expected: Snapshot | None) -> bool:
    """Whether the cache holds the pointer's object and, for a directory, every file's."""
    if not store.has(pointer.oid):
        return False
    if pointer.kind is PointerKind.FILE:
        return True
    return expected is not None and all(store.has(entry.oid) for entry in expected.values())


def _path_status(repo: Repo, hasher: WorkspaceHasher, path: str, pointer: Pointer) -> PathStatus:
    expected = pointer_snapshot(repo.store, pointer)
    in_cache = data_in_cache(repo.store, pointer, expected)
    files = list_work_files(repo.root / path, path)
    if files is None:
        return PathStatus(path, pointer.kind.value, PathState.MISSING, in_cache)
    actual = hasher.snapshot(path, files)
    if pointer.kind is PointerKind.FILE and "" not in actual:
        actual = {}  # a directory where a file is tracked: the file is gone
    if expected is None:
        # the tree is not in the cache: compare the listing's hash only
        current = Pointer(PointerKind.DIR, hash_bytes(encode_tree(actual.values())), 0, 0)
        changes = pointer_change(path, pointer, current)
    else:
        changes = compare_snapshots(path, expected, actual)
    state = PathState.MODIFIED if changes else PathState.UNCHANGED
    return PathStatus(path, pointer.kind.value, state, in_cache, changes)
