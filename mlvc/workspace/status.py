"""`mlvc status`: how each tracked path in the workspace compares with its pointer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlvc.hashing import hash_bytes
from mlvc.pointer import Pointer, PointerKind
from mlvc.tree import encode_tree
from mlvc.workspace.compare import compare_snapshots, pointer_change, pointer_snapshot
from mlvc.workspace.results import PathState, PathStatus
from mlvc.workspace.scan import WorkspaceHasher, list_work_files

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


def _path_status(repo: Repo, hasher: WorkspaceHasher, path: str, pointer: Pointer) -> PathStatus:
    # "in cache" means the pointer's own object (file content or tree listing) and its
    # chunks; checkout checks every file of a directory before it writes anything.
    in_cache = not repo.store.missing_chunks(pointer.oid)
    files = list_work_files(repo.root / path, path)
    if files is None:
        return PathStatus(path, pointer.kind.value, PathState.MISSING, in_cache)
    is_dir = "" not in files
    actual = None
    tree_oid = None
    if pointer.kind is PointerKind.DIR and is_dir:
        tree_oid, actual = hasher.tree_oid(path, files)
        if tree_oid == pointer.oid:
            return PathStatus(path, pointer.kind.value, PathState.UNCHANGED, in_cache)
    if actual is None:
        actual = hasher.snapshot(path, files)
    if pointer.kind is PointerKind.FILE and is_dir:
        actual = {}  # a directory where a file is tracked: the file is gone
    expected = pointer_snapshot(repo.store, pointer)
    if expected is None:
        # the tree is not in the cache: compare the listing's hash only
        tree_oid = tree_oid or hash_bytes(encode_tree(actual.values()))
        changes = pointer_change(path, pointer, Pointer(PointerKind.DIR, tree_oid, 0, 0))
    else:
        changes = compare_snapshots(path, expected, actual)
    state = PathState.MODIFIED if changes else PathState.UNCHANGED
    return PathStatus(path, pointer.kind.value, state, in_cache, changes)
