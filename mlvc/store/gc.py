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
from collections.abc import Iterator
from typing import TYPE_CHECKING

from mlvc.errors import PointerFormatError
from mlvc.fsutil import TEMP_MARKER
from mlvc.hashing import Oid
from mlvc.pointer import Pointer, PointerKind, parse_pointer
from mlvc.store.objects import ObjectStore
from mlvc.store.packfile import INDEX_SUFFIX, PACK_SUFFIX, IndexEntry, RecordKind
from mlvc.store.table import Location
from mlvc.tree import decode_tree
from mlvc.workspace.results import GcResult

if TYPE_CHECKING:
    from mlvc.repo import Repo


def referenced_pointers(repo: Repo, *, workspace_only: bool) -> Iterator[Pointer]:
    """Pointers in the workspace and, unless `workspace_only`, in reachable history."""
    for path in repo.tracked_paths():
        yield repo.read_pointer(path)
    if workspace_only:
        return
    for path, data in repo.history.reachable_pointers():
        try:
            yield parse_pointer(data, path)
        except PointerFormatError:
            continue  # a damaged pointer in history references nothing we can keep


def live_oids(store: ObjectStore, pointers: Iterator[Pointer]) -> set[Oid]:
    """Every record oid the pointers need: blobs, manifests' chunks, trees and their files."""
    live: set[Oid] = set()
    for pointer in pointers:
        if pointer.oid in live:
            continue
        _keep_blob(store, pointer.oid, live)
        if pointer.kind is PointerKind.DIR and not store.missing_chunks(pointer.oid):
            for entry in decode_tree(store.read_blob(pointer.oid), pointer.oid):
                _keep_blob(store, entry.oid, live)
    return live


def _keep_blob(store: ObjectStore, oid: Oid, live: set[Oid]) -> None:
    if oid in live:
        return
    live.add(oid)
    location = store.locate(oid)
    if location is not None and location.entry.kind is RecordKind.MANIFEST:
        live.update(store.blob_chunks(oid))


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
