"""`mlvc diff`: file-level changes of tracked data between two revisions or the workspace."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlvc.pointer import Pointer, data_path_of, parse_pointer
from mlvc.workspace.compare import compare_snapshots, pointer_change, pointer_snapshot
from mlvc.workspace.results import FileChange
from mlvc.workspace.scan import Snapshot, WorkspaceHasher, list_work_files

if TYPE_CHECKING:
    from mlvc.repo import Repo

Side = dict[str, tuple[Pointer, Snapshot | None]]
"""Tracked path -> (pointer, its files, or None when its tree is not in the cache)."""


def diff_revisions(repo: Repo, old: str, new: str | None) -> list[FileChange]:
    """Changes from revision `old` to revision `new` (None: the workspace data)."""
    with repo.locked(exclusive=False):
        before = _revision_side(repo, old)
        after = _revision_side(repo, new) if new is not None else _workspace_side(repo)
    repo.stat_cache.save()
    changes: list[FileChange] = []
    for path in sorted(before.keys() | after.keys()):
        old_pointer, old_files = before.get(path, (None, {}))
        new_pointer, new_files = after.get(path, (None, {}))
        if old_files is None or new_files is None:
            changes.extend(pointer_change(path, old_pointer, new_pointer))
        else:
            changes.extend(compare_snapshots(path, old_files, new_files))
    return changes


def _revision_side(repo: Repo, revision: str) -> Side:
    side: Side = {}
    for pointer_path, data in repo.history.pointers_at(revision).items():
        pointer = parse_pointer(data, f"{revision}:{pointer_path}")
        side[data_path_of(pointer_path)] = (pointer, pointer_snapshot(repo.store, pointer))
    return side


def _workspace_side(repo: Repo) -> Side:
    """The workspace data; a path whose data is absent counts as its pointer says."""
    side: Side = {}
    hasher = WorkspaceHasher(repo.stat_cache)
    for path in repo.tracked_paths():
        pointer = repo.read_pointer(path)
        files = list_work_files(repo.root / path, path)
        if files is None:
            side[path] = (pointer, pointer_snapshot(repo.store, pointer))
        else:
            side[path] = (pointer, hasher.snapshot(path, files))
    return side
