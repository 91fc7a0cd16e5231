"""`mlvc gc`: delete cached records that no pointer references.

Live records are those reachable from the pointers in the workspace and, unless
`workspace_only`, from every commit reachable from a branch, a tag or HEAD.
Packs with no live record are deleted; packs with some are rewritten with
only their live records (the new pack is published before the old one goes).
Temporary files left by killed writers are deleted too: gc holds the
exclusive repository lock, so no writer is running.
"""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

from mlvc.fsutil import TEMP_MARKER
from mlvc.hashing import Oid
from mlvc.pointer import Pointer, parse_pointer_files
from mlvc.store.needs import blob_records, pointer_blobs
from mlvc.store.objects import ObjectStore
from mlvc.store.packfile import INDEX_SUFFIX, PACK_SUFFIX, IndexEntry
from mlvc.store.table import Location
from mlvc.workspace.results import GcResult

if TYPE_CHECKING:
    from mlvc.repo import Repo


def referenced_pointers(repo: Repo, *, workspace_only: bool) -> list[tuple[str, Pointer]]:
    """Pointers in the workspace and, unless `workspace_only`, in reachable history."""
    pointers = [(path, repo.read_pointer(path)) for path in repo.tracked_paths()]
    if not workspace_only:
        pointers += parse_pointer_files(repo.history.reachable_pointers(), skip_invalid=True)
    return pointers


def live_oids(store: ObjectStore, pointers: list[tuple[str, Pointer]]) -> set[Oid]:
    """Every stored record the pointers need: blobs, manifests' chunks, trees and their files."""
    return set(blob_records(store, pointer_blobs(store, pointers))[0])


def collect_garbage(repo: Repo, *, dry_run: bool, workspace_only: bool) -> GcResult:
    """See the module docstring."""
    with repo.locked(exclusive=True):
        store = repo.store
        bytes_before = store.disk_usage()
        live = live_oids(store, referenced_pointers(repo, workspace_only=workspace_only))
        temp_files = [path for path in store.directory.iterdir() if _is_leftover(store, path.name)]
        freed = sum(path.stat().st_size for path in temp_files)
        rewritten = dead_count = live_count = 0
        to_rewrite: list[tuple[str, list[IndexEntry]]] = []
        dead_packs: list[str] = []
        for name in store.pack_names():
            entries = store.entries(name)
            kept = [e for e in entries if e.oid in live and store.table.home(e.oid) == name]
            live_count += len(kept)
            dead_count += len(entries) - len(kept)
            if len(kept) == len(entries):
                continue
            if kept:
                rewritten += 1
                to_rewrite.append((name, kept))
                freed += sum(e.length for e in entries) - sum(e.length for e in kept)
            else:
                dead_packs.append(name)
                freed += _pack_bytes(store, name)
        removed = len(dead_packs)
        if dry_run:
            return GcResult(True, bytes_before, freed, removed, rewritten, dead_count, live_count)
        _rewrite(store, to_rewrite)
        for name in [*dead_packs, *(name for name, _ in to_rewrite)]:
            _delete_pack(store, name)
        for path in temp_files:
            path.unlink(missing_ok=True)
        for staging in (repo.mlvc_dir / "tmp").glob("push-*"):
            shutil.rmtree(staging, ignore_errors=True)  # left by a killed push
        store.reload()
        freed = bytes_before - store.disk_usage()
        return GcResult(False, bytes_before, freed, removed, rewritten, dead_count, live_count)


def _is_leftover(store: ObjectStore, name: str) -> bool:
    """A temporary file, or a pack whose index was never published."""
    if name.endswith(".tmp") or TEMP_MARKER in name:
        return True
    if name.endswith(PACK_SUFFIX):
        return not (store.directory / (name[: -len(PACK_SUFFIX)] + INDEX_SUFFIX)).exists()
    return False


def _pack_bytes(store: ObjectStore, name: str) -> int:
    return sum(
        (store.directory / (name + suffix)).stat().st_size for suffix in (PACK_SUFFIX, INDEX_SUFFIX)
    )


def _rewrite(store: ObjectStore, packs: list[tuple[str, list[IndexEntry]]]) -> None:
    if not packs:
        return
    with store.writing() as writer:
        for name, entries in packs:
            for entry in entries:
                kind, payload = store.read_location(Location(name, entry))
                writer.add(entry.oid, kind, payload)


def _delete_pack(store: ObjectStore, name: str) -> None:
    """Remove the index first: a pack without an index is invisible, never half-visible."""
    (store.directory / (name + INDEX_SUFFIX)).unlink(missing_ok=True)
    (store.directory / (name + PACK_SUFFIX)).unlink(missing_ok=True)
