"""A repository-wide lock across processes: shared for readers, exclusive for writers."""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

from mlvc.errors import LockTimeoutError

DEFAULT_TIMEOUT = 30.0


@contextlib.contextmanager
def repository_lock(
    path: Path, *, exclusive: bool, timeout: float = DEFAULT_TIMEOUT
) -> Iterator[None]:
    """Hold `path` locked for the duration of the block (flock; released if the process dies)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    operation = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                fcntl.flock(fd, operation)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockTimeoutError(path, timeout) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)
