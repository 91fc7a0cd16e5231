"""`mlvc gc --remote NAME`: delete remote records that no branch, tag or HEAD references.

Safety against a push running at the same time comes from the locks in
locks.py: gc holds the exclusive gc lock and refuses to start while a push
holds its lock; a push refuses to start while gc holds it. Packs are deleted
index first, and a pack that keeps some live records is first rewritten as a
new pack (uploaded, pack before index) before the old one goes, so at every
moment each live record is in some published pack.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlvc.hashing import Oid
from mlvc.pointer import PointerKind, parse_pointer_files
from mlvc.progress import Progress
from mlvc.remotes.fetch import Downloader
from mlvc.remotes.locks import gc_lock
from mlvc.remotes.push import send_records
from mlvc.remotes.remote import Remote
from mlvc.store.needs import Attribution, pointer_blobs
from mlvc.store.packfile import RecordKind
from mlvc.store.table import PackTable
from mlvc.workspace.results import GcResult

if TYPE_CHECKING:
    from mlvc.repo import Repo


def remote_live_oids(
    repo: Repo, downloader: Downloader, table: PackTable, progress: Progress
) -> set[Oid]:
    """Records referenced by reachable commits, reading trees and manifests as needed."""
    pointers = parse_pointer_files(repo.history.reachable_pointers(), skip_invalid=True)
    trees = {p.oid: path for path, p in pointers if p.kind is PointerKind.DIR and p.oid in table}
    downloader.fetch_blobs(trees, progress)  # to list the files of each tree
    blobs = pointer_blobs(repo.store, pointers)
    manifests: Attribution = {}
    for oid, path in blobs.items():
        location = table.locate(oid)
        if location is not None and location.entry.kind is RecordKind.MANIFEST:
            manifests[oid] = path
    # the manifests themselves, not their chunks (which may exist only in the remote):
    # only their chunk lists are needed
    downloader.fetch_records(
        {o: p for o, p in manifests.items() if not repo.store.has(o)}, progress
    )
    live = set(blobs)
    for oid in manifests:
        live.update(repo.store.blob_chunks(oid))
    return live


def collect_remote_garbage(
    repo: Repo, remote: Remote, *, dry_run: bool, jobs: int, progress: Progress
) -> GcResult:
    """See the module docstring."""
    with gc_lock(remote):
        table = remote.load_table(jobs)
        sizes = remote.pack_sizes()
        downloader = Downloader(repo, remote, table, jobs)
        live = remote_live_oids(repo, downloader, table, progress)
        bytes_before = sum(sizes.values())
        freed = removed = kept_count = dead_count = 0
        dead_packs: list[str] = []
        rewrite: dict[str, list[Oid]] = {}
        for pack in table.pack_names():
            entries = table.entries(pack)
            kept = [e for e in entries if e.oid in live and table.home(e.oid) == pack]
            kept_count += len(kept)
            dead_count += len(entries) - len(kept)
            if len(kept) == len(entries):
                continue
            if kept:
                rewrite[pack] = [e.oid for e in kept]
                freed += sum(e.length for e in entries) - sum(e.length for e in kept)
            else:
                dead_packs.append(pack)
                freed += sizes.get(pack, sum(e.length for e in entries))
        removed = len(dead_packs)
        if not dry_run:
            survivors = {oid: pack for pack, oids in rewrite.items() for oid in oids}
            downloader.fetch_records(
                {oid: pack for oid, pack in survivors.items() if not repo.store.has(oid)}, progress
            )
            send_records(repo, remote, list(survivors), jobs=jobs, progress=progress)
            for pack in [*dead_packs, *rewrite]:
                remote.delete_pack(pack)
            freed = bytes_before - sum(remote.pack_sizes().values())
        return GcResult(dry_run, bytes_before, freed, removed, len(rewrite), dead_count, kept_count)
