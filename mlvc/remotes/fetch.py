"""`mlvc fetch`: download into the cache the records some pointers need.

Records are read with ranged GETs; neighbouring records of one pack are read
in one request (ranges are merged across gaps of up to 128 KiB, up to 4 MiB a
request). Each record is checked (chunks against their oid, other records
against their checksum) before it enters the cache, and a bad or missing
record is reported with the tracked files it belongs to.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mlvc.errors import CorruptObjectError, RemoteDataError, StoreFormatError
from mlvc.fsutil import human_size
from mlvc.hashing import hash_bytes
from mlvc.parallel import map_unordered
from mlvc.pointer import Pointer
from mlvc.progress import Progress
from mlvc.remotes.remote import Remote
from mlvc.store.needs import Attribution, blob_records, pointer_blobs
from mlvc.store.packfile import RecordKind, decode_manifest, decode_record
from mlvc.store.table import Location, PackTable
from mlvc.workspace.results import JsonRecord

if TYPE_CHECKING:
    from mlvc.repo import Repo

MAX_GAP = 128 * 1024
MAX_REQUEST = 4 * 1024 * 1024


@dataclass(frozen=True)
class FetchResult(JsonRecord):
    """What a fetch downloaded."""

    remote: str
    records_fetched: int
    bytes_received: int
    requests: int

    def summary(self) -> str:
        """One line for people."""
        return (
            f"fetched {self.records_fetched} objects from {self.remote} "
            f"({human_size(self.bytes_received)} in {self.requests} requests)"
        )


@dataclass
class _Range:
    pack: str
    start: int
    end: int
    locations: list[Location]


def plan_ranges(locations: Iterable[Location]) -> list[_Range]:
    """Group records by pack and merge neighbours into bounded ranged reads."""
    by_pack: dict[str, list[Location]] = {}
    for location in locations:
        by_pack.setdefault(location.pack, []).append(location)
    ranges: list[_Range] = []
    for pack, items in by_pack.items():
        items.sort(key=lambda item: item.entry.offset)
        current: _Range | None = None
        for item in items:
            start, end = item.entry.offset, item.entry.offset + item.entry.length
            if (
                current is not None
                and start - current.end <= MAX_GAP
                and end - current.start <= MAX_REQUEST
            ):
                current.end = max(current.end, end)
                current.locations.append(item)
            else:
                current = _Range(pack, start, end, [item])
                ranges.append(current)
    return ranges


class Downloader:
    """Moves records from one remote into the local cache."""

    def __init__(self, repo: Repo, remote: Remote, table: PackTable, jobs: int) -> None:
        self.store = repo.store
        self.remote = remote
        self.table = table
        self.jobs = jobs
        self.records = 0
        self.requests = 0

    def fetch_blobs(self, blobs: Attribution, progress: Progress) -> None:
        """Make every blob complete in the cache: its record, then a manifest's chunks."""
        for _ in ("records", "chunks of the manifests among them"):
            self.fetch_records(blob_records(self.store, blobs)[1], progress)

    def fetch_records(self, wanted: Attribution, progress: Progress) -> None:
        """Download records (absent from the cache) and publish them to the cache."""
        if not wanted:
            return
        absent = [path for oid, path in wanted.items() if oid not in self.table]
        if absent:
            raise RemoteDataError(self.remote.name, "data is missing from the remote", absent)
        locations = [loc for oid in wanted if (loc := self.table.locate(oid)) is not None]
        ranges = plan_ranges(locations)
        progress.begin(f"Fetching from {self.remote.name}", sum(r.end - r.start for r in ranges))
        try:
            with self.store.writing() as writer:
                for request, data in map_unordered(self._read, ranges, self.jobs):
                    self.requests += 1
                    view = memoryview(data)
                    for location in request.locations:
                        offset = location.entry.offset - request.start
                        record = view[offset : offset + location.entry.length]
                        payload = self._check(record, location, wanted)
                        writer.add(location.entry.oid, location.entry.kind, payload)
                        self.records += 1
                    progress.advance(request.end - request.start)
        finally:
            progress.end()

    def _read(self, request: _Range) -> bytes:
        return self.remote.read_range(request.pack, request.start, request.end)

    def _check(self, record: memoryview, location: Location, wanted: Attribution) -> memoryview:
        entry = location.entry
        where = f"{self.remote.url}/packs/{location.pack}"
        try:
            payload = decode_record(record, entry, where)
            if entry.kind is RecordKind.CHUNK and hash_bytes(payload) != entry.oid:
                raise CorruptObjectError(entry.oid.hex(), where)
            if entry.kind is RecordKind.MANIFEST:
                decode_manifest(payload, where)
        except (StoreFormatError, CorruptObjectError):
            raise RemoteDataError(
                self.remote.name, "corrupt data (hash mismatch)", [wanted[entry.oid]]
            ) from None
        return payload


def fetch_pointers(
    repo: Repo,
    remote: Remote,
    pointers: list[tuple[str, Pointer]],
    *,
    jobs: int,
    progress: Progress,
) -> FetchResult:
    """Download what the pointers need: their blobs first, then the files of their trees."""
    table = remote.load_table(jobs)
    downloader = Downloader(repo, remote, table, jobs)
    top: Attribution = {}
    for path, pointer in pointers:
        top.setdefault(pointer.oid, path)
    downloader.fetch_blobs(top, progress)  # files, and the tree listings
    blobs = pointer_blobs(repo.store, pointers)  # now with the files of the trees
    downloader.fetch_blobs(blobs, progress)
    missing = blob_records(repo.store, blobs)[1]
    if missing:
        raise RemoteDataError(remote.name, "data is missing from the remote", missing.values())
    return FetchResult(remote.name, downloader.records, remote.bytes_received, downloader.requests)


def missing_from_remote(
    repo: Repo, remote: Remote, pointers: list[tuple[str, Pointer]], jobs: int
) -> dict[str, int]:
    """Tracked path -> how many of its records the remote lacks (paths fully pushed omitted)."""
    table = remote.load_table(jobs)
    report: dict[str, int] = {}
    for path, pointer in pointers:
        records, _ = blob_records(repo.store, pointer_blobs(repo.store, [(path, pointer)]))
        records.setdefault(pointer.oid, path)
        count = sum(1 for oid in records if oid not in table)
        if count:
            report[path] = count
    return report
