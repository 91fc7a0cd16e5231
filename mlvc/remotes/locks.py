"""Locks kept in the remote itself, so `gc --remote` never races a `push`.

A push writes `locks/push-<random>` before it looks at the remote and deletes
it when done; it refuses to start while a fresh `locks/gc` exists. A gc
creates `locks/gc` with a conditional create (so two gcs cannot both hold it),
then refuses to go on while a fresh push lock exists. Whichever of the two
writes its lock second sees the other's, since S3 and local filesystems give
read-after-write consistency. A lock older than `STALE_SECONDS` was left by a
killed process and is ignored.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import time
from collections.abc import Iterator

from mlvc.errors import RemoteBusyError
from mlvc.remotes.remote import Remote

STALE_SECONDS = 6 * 3600
GC_LOCK = "locks/gc"


def _lock_body(kind: str) -> bytes:
    holder = {"kind": kind, "host": socket.gethostname(), "pid": os.getpid(), "time": time.time()}
    return json.dumps(holder).encode()


def _fresh_holder(remote: Remote, relative: str) -> str | None:
    """Who holds the lock at `relative`, or None if it is absent or stale."""
    try:
        data = remote.call("read lock", lambda: remote.fs.cat_file(remote.path(relative)))
    except FileNotFoundError:
        return None
    try:
        holder = json.loads(data)
        if time.time() - float(holder["time"]) > STALE_SECONDS:
            return None
        return f"{holder['kind']} by pid {holder['pid']} on {holder['host']}"
    except (ValueError, KeyError, TypeError):
        return f"an unreadable lock {relative}"


@contextlib.contextmanager
def push_lock(remote: Remote) -> Iterator[None]:
    """Hold a shared push lock for the duration of the block."""
    relative = f"locks/push-{os.urandom(8).hex()}"
    path = remote.path(relative)
    remote.checked("write lock", lambda: remote.fs.pipe_file(path, _lock_body("push")))
    try:
        holder = _fresh_holder(remote, GC_LOCK)
        if holder is not None:
            raise RemoteBusyError(remote.name, f"a gc is running ({holder})")
        yield
    finally:
        _release(remote, path)


@contextlib.contextmanager
def gc_lock(remote: Remote) -> Iterator[None]:
    """Hold the exclusive gc lock; refuse while a push is running."""
    path = remote.path(GC_LOCK)
    _create_exclusive(remote, path)
    try:
        for name in remote.listing("locks"):
            holder = _fresh_holder(remote, f"locks/{name}") if name.startswith("push-") else None
            if holder is not None:
                raise RemoteBusyError(remote.name, f"a push is running ({holder})")
        yield
    finally:
        _release(remote, path)


def _release(remote: Remote, path: str) -> None:
    """Delete a lock; a failure here must not hide the error that ended the block."""
    with contextlib.suppress(Exception):
        remote.call("delete lock", lambda: remote.fs.rm_file(path))


def _create_exclusive(remote: Remote, path: str) -> None:
    body = _lock_body("gc")
    try:
        remote.call("write lock", lambda: remote.fs.pipe_file(path, body, mode="create"))
        return
    except FileExistsError:
        pass
    except OSError:
        # some S3 servers answer a failed conditional create with a plain error
        if not remote.fs.exists(path):
            raise
    holder = _fresh_holder(remote, GC_LOCK)
    if holder is not None:
        raise RemoteBusyError(remote.name, f"another gc is running ({holder})")
    remote.checked("write lock", lambda: remote.fs.pipe_file(path, body))  # replace a stale lock
