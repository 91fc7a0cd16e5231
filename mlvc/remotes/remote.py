"""A remote store: packs and their indexes under `<root>/packs/`, read and written through fsspec.

Layout (version 1, see docs/formats.md)::

    <root>/mlvc-remote.json       {"layout": 1}
    <root>/packs/<name>.pack      the same pack files as the local cache
    <root>/packs/<name>.idx
    <root>/locks/...              push and gc locks (see locks.py)

Every call is retried on transient errors with exponential backoff, and any
failure becomes a one-line `RemoteError` naming the remote.
"""

from __future__ import annotations

import contextlib
import functools
import json
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from mlvc.config import DEFAULT_JOBS
from mlvc.errors import MlvcError, RemoteError
from mlvc.fsutil import write_file_atomic
from mlvc.hashing import hash_bytes
from mlvc.parallel import run_parallel
from mlvc.remotes.filesystem import MULTIPART_CHUNK, open_filesystem
from mlvc.remotes.settings import RemoteSettings
from mlvc.store.packfile import INDEX_SUFFIX, PACK_SUFFIX, verify_index
from mlvc.store.table import PackTable

LAYOUT_VERSION = 1
MARKER = "mlvc-remote.json"
ATTEMPTS = 4
# Errors callers handle themselves (a missing object is often an answer, not a failure).
_ANSWERS = (FileNotFoundError, FileExistsError, MlvcError)
# Errors retrying cannot fix.
_PERMANENT = (PermissionError, IsADirectoryError, NotADirectoryError, TypeError, ValueError)
T = TypeVar("T")


def describe(exc: BaseException) -> str:
    """A one-line description of a library error."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    kind = type(exc).__name__
    if isinstance(exc, FileNotFoundError):
        return f"not found: {text}" if text else "not found"
    if isinstance(exc, PermissionError):
        return f"access denied: {text}" if text else "access denied"
    return f"{kind}: {text}" if text else kind


class Remote:
    """One configured remote, opened."""

    def __init__(self, settings: RemoteSettings, repo_root: Path, cache_dir: Path) -> None:
        self.name = settings.name
        self.url = settings.url
        self.settings = settings
        self.fs, self.root = open_filesystem(settings, repo_root)
        # Indexes are immutable and named by content, so downloaded ones are kept for good.
        self.index_cache = cache_dir / hash_bytes(self.url.encode()).hex()[:16]
        self.bytes_sent = 0
        self.bytes_received = 0

    def jobs(self, asked: int | None) -> int:
        """Parallel transfers: as asked, else the remote's `jobs` option, else the default."""
        if asked:
            return asked
        configured = self.settings.options.get("jobs", "")
        return int(configured) if configured.isdigit() and int(configured) > 0 else DEFAULT_JOBS

    def path(self, relative: str) -> str:
        """Absolute path inside the filesystem."""
        return f"{self.root}/{relative}" if self.root else relative

    def call(self, what: str, function: Callable[[], T]) -> T:
        """Run one filesystem call with retries; turn its failure into a RemoteError.

        A missing or already existing object is raised as is: callers treat it as an answer.
        """
        for attempt in range(ATTEMPTS):
            try:
                return function()
            except _ANSWERS:
                raise
            except Exception as exc:  # retried unless permanent, then reported in one line
                if isinstance(exc, _PERMANENT) or attempt == ATTEMPTS - 1:
                    raise RemoteError(self.name, self.url, f"{what}: {describe(exc)}") from exc
                time.sleep(0.25 * 2**attempt * (1 + random.random()))
        raise AssertionError("unreachable")

    def checked(self, what: str, function: Callable[[], T]) -> T:
        """Like `call`, and permanent errors (not found, denied) become RemoteErrors too."""
        try:
            return self.call(what, function)
        except MlvcError:
            raise
        except OSError as exc:
            raise RemoteError(self.name, self.url, f"{what}: {describe(exc)}") from exc

    # -- layout -------------------------------------------------------------------

    def ensure_layout(self) -> None:
        """Write the layout marker on first use; refuse a layout of another version."""
        marker = self.path(MARKER)
        try:
            data = self.call("read layout", lambda: self.fs.cat_file(marker))
        except FileNotFoundError:
            self.checked("create layout", lambda: self.fs.pipe_file(marker, b'{"layout": 1}\n'))
            return
        try:
            version = json.loads(data)["layout"]
        except (ValueError, KeyError, TypeError):
            version = None
        if version != LAYOUT_VERSION:
            raise RemoteError(self.name, self.url, f"unsupported remote layout {version}")

    # -- indexes --------------------------------------------------------------------

    def listing(self, relative: str) -> dict[str, int]:
        """File name -> size for the files in a directory of the remote (none if it is absent)."""
        directory = self.path(relative)

        def listing() -> dict[str, int]:
            self.fs.invalidate_cache(directory)
            try:
                entries = self.fs.ls(directory, detail=True)
            except FileNotFoundError:
                return {}
            return {str(e["name"]).rsplit("/", 1)[-1]: int(e.get("size") or 0) for e in entries}

        return self.checked(f"list {relative}", listing)

    def index_names(self) -> list[str]:
        """Names of every published pack (a pack counts once its index exists)."""
        names = self.listing("packs")
        return sorted(name[: -len(INDEX_SUFFIX)] for name in names if name.endswith(INDEX_SUFFIX))

    def pack_sizes(self) -> dict[str, int]:
        """Published pack name -> bytes of its pack and index files."""
        files = self.listing("packs")
        sizes = {}
        for file_name, size in files.items():
            if file_name.endswith(INDEX_SUFFIX):
                name = file_name[: -len(INDEX_SUFFIX)]
                sizes[name] = size + files.get(name + PACK_SUFFIX, 0)
        return sizes

    def load_table(self, jobs: int) -> PackTable:
        """A lookup over every index in the remote (downloading only unseen ones)."""
        table = PackTable()
        names = self.index_names()
        self.index_cache.mkdir(parents=True, exist_ok=True)
        cached = {path.name for path in self.index_cache.glob("*" + INDEX_SUFFIX)}
        missing = [name for name in names if name + INDEX_SUFFIX not in cached]

        def download(name: str) -> None:
            remote_path = self.path(f"packs/{name}{INDEX_SUFFIX}")
            data = self.checked("read index", lambda: self.fs.cat_file(remote_path))
            self.bytes_received += len(data)
            verify_index(data, f"{self.url}/packs/{name}{INDEX_SUFFIX}")
            write_file_atomic(self.index_cache / (name + INDEX_SUFFIX), data)

        run_parallel([functools.partial(download, name) for name in missing], jobs)
        for stale in cached - {name + INDEX_SUFFIX for name in names}:
            (self.index_cache / stale).unlink(missing_ok=True)  # its pack was deleted
        for name in names:
            local = self.index_cache / (name + INDEX_SUFFIX)
            data = local.read_bytes()
            verify_index(data, str(local))
            table.add_index(name, data)
        return table

    # -- packs ----------------------------------------------------------------------

    def read_range(self, pack: str, start: int, end: int) -> bytes:
        """Bytes [start, end) of a pack (keyword arguments: s3fs reads a positional
        third argument as a version id)."""
        path = self.path(f"packs/{pack}{PACK_SUFFIX}")
        data: bytes = self.checked(
            "read pack", lambda: self.fs.cat_file(path, start=start, end=end)
        )
        self.bytes_received += len(data)
        return data

    def upload_pack(self, directory: Path, name: str) -> None:
        """Upload a pack, then its index: a reader never sees an index before its data."""
        for suffix in (PACK_SUFFIX, INDEX_SUFFIX):
            local = directory / (name + suffix)
            target = self.path(f"packs/{name}{suffix}")
            self.checked("upload", functools.partial(self._put, local, target))
            self.bytes_sent += local.stat().st_size

    def _put(self, local: Path, target: str) -> None:
        options: dict[str, Any] = {}
        if "s3" in str(getattr(self.fs, "protocol", "")):
            # one 5 MiB part in flight per pack: memory stays bounded; packs go in parallel
            options["chunksize"] = MULTIPART_CHUNK
            options["max_concurrency"] = 1
        self.fs.put_file(str(local), target, **options)

    def delete_pack(self, name: str) -> None:
        """Delete the index first: a pack without an index is invisible, never half-visible."""
        for suffix in (INDEX_SUFFIX, PACK_SUFFIX):
            target = self.path(f"packs/{name}{suffix}")
            with contextlib.suppress(FileNotFoundError):
                self.call("delete", functools.partial(self.fs.rm_file, target))
