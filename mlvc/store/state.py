"""The stat cache: (inode, size, mtime) -> content oid, so unchanged files are not read again.

Racily clean files are handled as git does. Each entry remembers the
filesystem clock at the moment the file was about to be read (the mtime of a
freshly touched marker file, so the same coarse clock that stamps files). An
entry whose file mtime is not older than that moment may have been modified
within the timestamp granularity after it was read, so it is not trusted:
the file is hashed again and the entry is refreshed.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import NamedTuple

from mlvc.hashing import Oid

_SCHEMA = """
CREATE TABLE IF NOT EXISTS stat_cache (
    path TEXT PRIMARY KEY,
    inode INTEGER NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    checked_ns INTEGER NOT NULL,
    oid BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS listing_cache (
    path TEXT PRIMARY KEY,
    signature BLOB NOT NULL,
    checked_ns INTEGER NOT NULL,
    oid BLOB NOT NULL
) WITHOUT ROWID;
"""


class StatKey(NamedTuple):
    """The parts of a stat result that say whether a file changed."""

    inode: int
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, result: os.stat_result) -> StatKey:
        """Build from `os.stat` output."""
        return cls(result.st_ino, result.st_size, result.st_mtime_ns)


class StatCache:
    """A sqlite table of stat keys and oids, keyed by repository-relative path."""

    def __init__(self, db_path: Path, clock_path: Path) -> None:
        self._db_path = db_path
        self._clock_path = clock_path
        self._connection: sqlite3.Connection | None = None
        self._pending: dict[str, tuple[StatKey, int, Oid]] = {}
        self._pending_listings: dict[str, tuple[bytes, int, Oid]] = {}
        self._clock_ns: int | None = None

    @property
    def _db(self) -> sqlite3.Connection:
        if self._connection is None:
            self._connection = sqlite3.connect(self._db_path, timeout=30)
            self._connection.execute("PRAGMA journal_mode=WAL")
            self._connection.execute("PRAGMA synchronous=NORMAL")
            self._connection.executescript(_SCHEMA)
        return self._connection

    def filesystem_now(self, *, refresh: bool = False) -> int:
        """The filesystem's clock, read by touching a marker file (once, unless `refresh`)."""
        if self._clock_ns is None or refresh:
            self._clock_path.touch()
            os.utime(self._clock_path)
            self._clock_ns = self._clock_path.stat().st_mtime_ns
        return self._clock_ns

    def rows_under(self, prefix: str) -> dict[str, tuple[StatKey, int, Oid]]:
        """Every cached row for `prefix` itself and paths below `prefix/`."""
        cursor = self._db.execute(
            "SELECT path, inode, size, mtime_ns, checked_ns, oid FROM stat_cache "
            "WHERE path = ? OR (path >= ? AND path < ?)",
            (prefix, prefix + "/", prefix + "0"),
        )
        return {row[0]: (StatKey(row[1], row[2], row[3]), row[4], bytes(row[5])) for row in cursor}

    @staticmethod
    def trusted(row: tuple[StatKey, int, Oid] | None, key: StatKey) -> Oid | None:
        """The cached oid when the row matches `key` and is not racily clean."""
        if row is None:
            return None
        cached_key, checked_ns, oid = row
        if cached_key != key or key.mtime_ns >= checked_ns:
            return None
        return oid

    def listing_oid(self, path: str, signature: bytes, newest_mtime_ns: int) -> Oid | None:
        """The tree oid recorded for a directory whose listing had this stat signature.

        Trusted only when no file in it is racily clean (see the module docstring).
        """
        row = self._db.execute(
            "SELECT signature, checked_ns, oid FROM listing_cache WHERE path = ?", (path,)
        ).fetchone()
        if row is None or row[0] != signature or newest_mtime_ns >= row[1]:
            return None
        return bytes(row[2])

    def record_listing(self, path: str, signature: bytes, oid: Oid, checked_ns: int) -> None:
        """Remember the tree oid of a directory listing."""
        self._pending_listings[path] = (signature, checked_ns, oid)

    def record(self, path: str, key: StatKey, oid: Oid, checked_ns: int) -> None:
        """Remember a file's oid; written to disk by `save`."""
        self._pending[path] = (key, checked_ns, oid)

    def save(self) -> None:
        """Write recorded entries in one transaction."""
        if not self._pending and not self._pending_listings:
            return
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO listing_cache VALUES (?, ?, ?, ?)",
                [(path, *values) for path, values in self._pending_listings.items()],
            )
            self._db.executemany(
                "INSERT OR REPLACE INTO stat_cache VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (path, key.inode, key.size, key.mtime_ns, checked_ns, oid)
                    for path, (key, checked_ns, oid) in self._pending.items()
                ],
            )
        self._pending.clear()
        self._pending_listings.clear()

    def close(self) -> None:
        """Save and close the database."""
        self.save()
        if self._connection is not None:
            self._connection.close()
            self._connection = None
