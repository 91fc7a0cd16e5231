"""`mlvc checkout`: make the workspace match the pointer files, from the cache.

Everything is planned and checked first (missing data, unrecorded local
changes); only then are files deleted and written. Each file is written to a
temporary name beside its target, verified against its oid, and renamed.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from mlvc.errors import CorruptObjectError, LocalChangesError, MissingDataError, NotTrackedError
from mlvc.fsutil import atomic_target, covers, file_mode, remove_empty_parents
from mlvc.hashing import hash_bytes, new_hasher, oid_to_text
from mlvc.pointer import PointerKind
from mlvc.progress import Progress
from mlvc.store.objects import ObjectStore
from mlvc.store.state import StatKey
from mlvc.tree import EntryMode, TreeEntry
from mlvc.workspace.compare import pointer_snapshot
from mlvc.workspace.results import CheckoutResult
from mlvc.workspace.scan import WorkspaceHasher, join, list_work_files

if TYPE_CHECKING:
    from mlvc.repo import Repo


@dataclass
class _Plan:
    path: str
    kind: PointerKind
    obstacle: bool = False
    """Something of the wrong type (a file where a directory belongs, or the reverse)."""
    deletes: list[str] = field(default_factory=list)
    writes: list[TreeEntry] = field(default_factory=list)
    chmods: list[TreeEntry] = field(default_factory=list)
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)
    missing: bool = False


def select_tracked(tracked: list[str], selected: list[str] | None) -> list[str]:
    """Tracked paths named by `selected` (a tracked path or a directory holding some)."""
    if selected is None:
        return tracked
    chosen: dict[str, None] = {}
    for wanted in selected:
        matches = [path for path in tracked if covers(wanted, path)]
        if not matches:
            raise NotTrackedError(wanted)
        chosen.update(dict.fromkeys(matches))
    return list(chosen)


def checkout_paths(
    repo: Repo, selected: list[str] | None, *, force: bool, progress: Progress
) -> CheckoutResult:
    """See the module docstring."""
    paths = select_tracked(repo.tracked_paths(), selected)
    result = CheckoutResult()
    with repo.locked(exclusive=True):
        hasher = WorkspaceHasher(repo.stat_cache)
        plans = [_plan(repo, hasher, path) for path in paths]
        missing = [plan.path for plan in plans if plan.missing]
        if missing:
            raise MissingDataError(missing, "run 'mlvc fetch' to download it")
        conflicts = [conflict for plan in plans for conflict in plan.conflicts]
        if conflicts and not force:
            raise LocalChangesError(conflicts)
        total = sum(entry.size for plan in plans for entry in plan.writes)
        progress.begin("Checking out", total)
        try:
            written: list[tuple[str, StatKey, TreeEntry]] = []
            for plan in plans:
                _apply(repo, plan, result, written, progress)
        finally:
            progress.end()
            checked_ns = repo.stat_cache.filesystem_now(refresh=True)
            for repo_path, key, entry in written:
                repo.stat_cache.record(repo_path, key, entry.oid, checked_ns)
            repo.stat_cache.save()
        result.unchanged = sum(plan.unchanged for plan in plans)
    return result


def _plan(repo: Repo, hasher: WorkspaceHasher, path: str) -> _Plan:
    pointer = repo.read_pointer(path)
    plan = _Plan(path, pointer.kind)
    store = repo.store
    expected = pointer_snapshot(store, pointer)
    if expected is None:
        plan.missing = True
        return plan
    files = list_work_files(repo.root / path, path) or {}
    actual = hasher.snapshot(path, files)
    if (pointer.kind is PointerKind.FILE) != ("" in actual) and actual:
        plan.obstacle = True
        plan.conflicts.extend(
            join(path, rel) for rel, entry in actual.items() if not store.has(entry.oid)
        )
        actual = {}
    for relative, entry in expected.items():
        current = actual.get(relative)
        if current == entry:
            plan.unchanged += 1
        elif (
            current is not None
            and current.oid == entry.oid
            and EntryMode.LINK
            not in (
                current.mode,
                entry.mode,
            )
        ):
            plan.chmods.append(entry)
        else:
            plan.writes.append(entry)
            if current is not None and not store.has(current.oid):
                plan.conflicts.append(join(path, relative))
            if store.missing_chunks(entry.oid):
                plan.missing = True
    for relative in actual.keys() - expected.keys():
        plan.deletes.append(relative)
        if not store.has(actual[relative].oid):
            plan.conflicts.append(join(path, relative))
    return plan


def _apply(
    repo: Repo,
    plan: _Plan,
    result: CheckoutResult,
    written: list[tuple[str, StatKey, TreeEntry]],
    progress: Progress,
) -> None:
    base = repo.root / plan.path
    if plan.obstacle:
        if base.is_dir() and not base.is_symlink():
            shutil.rmtree(base)
        else:
            base.unlink()
        result.deleted.append(plan.path)
    for relative in sorted(plan.deletes, reverse=True):
        target = base / relative
        target.unlink()
        remove_empty_parents(target.parent, base)
        result.deleted.append(join(plan.path, relative))
    if plan.kind is PointerKind.DIR:
        base.mkdir(parents=True, exist_ok=True)
    for entry in plan.chmods:
        os.chmod(base / entry.path if entry.path else base, file_mode(entry.mode is EntryMode.EXEC))
        result.written.append(join(plan.path, entry.path))
    for entry in plan.writes:
        target = base / entry.path if entry.path else base
        key = write_entry(repo.store, entry, target)
        written.append((join(plan.path, entry.path), key, entry))
        result.written.append(join(plan.path, entry.path))
        progress.advance(entry.size)


def write_entry(store: ObjectStore, entry: TreeEntry, target: Path) -> StatKey:
    """Write one file (or link) from the cache through a verified temporary file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)
    with atomic_target(target) as temp:
        if entry.mode is EntryMode.LINK:
            link_target = store.read_blob(entry.oid)
            if hash_bytes(link_target) != entry.oid:
                raise CorruptObjectError(oid_to_text(entry.oid), "the cache")
            os.symlink(os.fsdecode(link_target), temp)
            key = StatKey.of(temp.lstat())
        else:
            hasher = new_hasher()
            with open(temp, "xb") as stream:
                for data in store.iter_blob(entry.oid):
                    hasher.update(data)
                    stream.write(data)
                if hasher.digest() != entry.oid:
                    raise CorruptObjectError(oid_to_text(entry.oid), "the cache")
                os.fchmod(stream.fileno(), file_mode(entry.mode is EntryMode.EXEC))
                stream.flush()
                key = StatKey.of(os.fstat(stream.fileno()))
    return key
