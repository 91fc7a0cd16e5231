"""Snapshots from pointers, and the comparison of two snapshots."""

from __future__ import annotations

from mlvc.hashing import oid_to_text
from mlvc.pointer import Pointer, PointerKind
from mlvc.store.objects import ObjectStore
from mlvc.tree import EntryMode, TreeEntry, decode_tree
from mlvc.workspace.results import Change, FileChange
from mlvc.workspace.scan import Snapshot, join


def pointer_snapshot(store: ObjectStore, pointer: Pointer) -> Snapshot | None:
    """What a pointer says the tracked path holds; None when its tree is not in the cache."""
    if pointer.kind is PointerKind.FILE:
        mode = EntryMode.EXEC if pointer.executable else EntryMode.FILE
        return {"": TreeEntry("", pointer.oid, pointer.size, mode)}
    if store.missing_chunks(pointer.oid):
        return None
    entries = decode_tree(store.read_blob(pointer.oid), pointer.oid)
    return {entry.path: entry for entry in entries}


def compare_snapshots(data_path: str, old: Snapshot, new: Snapshot) -> list[FileChange]:
    """Files added, modified (content or mode) and deleted from `old` to `new`."""
    changes = []
    for relative in sorted(old.keys() | new.keys()):
        before, after = old.get(relative), new.get(relative)
        if before == after:
            continue
        if before is None:
            change = Change.ADDED
        elif after is None:
            change = Change.DELETED
        else:
            change = Change.MODIFIED
        changes.append(
            FileChange(
                join(data_path, relative),
                change,
                before.size if before else None,
                after.size if after else None,
                oid_to_text(before.oid) if before else None,
                oid_to_text(after.oid) if after else None,
            )
        )
    return changes


def pointer_change(data_path: str, old: Pointer | None, new: Pointer | None) -> list[FileChange]:
    """A path-level change, used when a directory's contents cannot be listed."""
    if old == new:
        return []
    if old is None or new is None:
        change = Change.ADDED if old is None else Change.DELETED
    else:
        if old.oid == new.oid and old.executable == new.executable:
            return []
        change = Change.MODIFIED
    return [
        FileChange(
            data_path,
            change,
            old.size if old else None,
            new.size if new else None,
            oid_to_text(old.oid) if old else None,
            oid_to_text(new.oid) if new else None,
        )
    ]
