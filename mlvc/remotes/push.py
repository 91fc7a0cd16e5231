"""`mlvc push`: upload the records the remote lacks, in new packs, pack before index."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mlvc.errors import MissingDataError
from mlvc.fsutil import human_size
from mlvc.hashing import Oid
from mlvc.pointer import Pointer
from mlvc.progress import Progress
from mlvc.remotes.locks import push_lock
from mlvc.remotes.remote import Remote
from mlvc.store.needs import blob_records, pointer_blobs
from mlvc.store.packfile import INDEX_SUFFIX, PACK_SUFFIX, IndexEntry
from mlvc.store.packwriter import PackWriter
from mlvc.workspace.results import JsonRecord

if TYPE_CHECKING:
    from mlvc.repo import Repo


@dataclass(frozen=True)
class PushResult(JsonRecord):
    """What a push sent."""

    remote: str
    records_needed: int
    records_sent: int
    packs_sent: int
    bytes_sent: int

    def summary(self) -> str:
        """One line for people."""
        return (
            f"pushed {self.records_sent} of {self.records_needed} objects to {self.remote} "
            f"({human_size(self.bytes_sent)} in {self.packs_sent} packs)"
        )


def push_pointers(
    repo: Repo,
    remote: Remote,
    pointers: Iterable[tuple[str, Pointer]],
    *,
    jobs: int,
    progress: Progress,
) -> PushResult:
    """Upload every record the pointers need that the remote does not have."""
    store = repo.store
    records, not_cached = blob_records(store, pointer_blobs(store, pointers))
    if not_cached:
        hint = "nothing was pushed; run 'mlvc fetch' or 'mlvc add'"
        raise MissingDataError(set(not_cached.values()), hint)
    remote.ensure_layout()
    with push_lock(remote):
        table = remote.load_table(jobs)
        unsent = [oid for oid in records if oid not in table]
        packs = send_records(repo, remote, unsent, jobs=jobs, progress=progress)
    return PushResult(remote.name, len(records), len(unsent), packs, remote.bytes_sent)


def send_records(
    repo: Repo, remote: Remote, oids: list[Oid], *, jobs: int, progress: Progress
) -> int:
    """Pack local records into new packs and upload each, pack before index; return the count."""
    store = repo.store
    (repo.mlvc_dir / "tmp").mkdir(exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="push-", dir=repo.mlvc_dir / "tmp"))
    locations = [store.locate(oid) for oid in oids]
    progress.begin(f"Pushing to {remote.name}", sum(loc.entry.length for loc in locations if loc))
    uploads: list[Future[None]] = []
    try:
        with ThreadPoolExecutor(max(1, jobs), thread_name_prefix="mlvc-push") as pool:

            def send(name: str) -> None:
                size = (staging / (name + PACK_SUFFIX)).stat().st_size
                remote.upload_pack(staging, name)
                for suffix in (PACK_SUFFIX, INDEX_SUFFIX):
                    (staging / (name + suffix)).unlink()
                progress.advance(size)

            def publish(name: str, entries: list[IndexEntry]) -> None:
                uploads.append(pool.submit(send, name))

            writer = PackWriter(staging, publish)
            # read in local pack order, so the cache is read sequentially
            for oid in sorted(oids, key=lambda item: _position(repo, item)):
                kind, payload = store.read_payload(oid)
                writer.add(oid, kind, payload)
            writer.flush()
            for upload in uploads:
                upload.result()
    finally:
        progress.end()
        shutil.rmtree(staging, ignore_errors=True)
    return len(uploads)


def _position(repo: Repo, oid: Oid) -> tuple[str, int]:
    location = repo.store.locate(oid)
    return (location.pack, location.entry.offset) if location else ("", 0)
