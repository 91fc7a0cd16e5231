"""Small filesystem helpers: atomic writes, temp names beside a target."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

TEMP_MARKER = ".mlvc-tmp-"


def temp_path_beside(target: Path) -> Path:
    """A fresh hidden name in the target's directory, so the final rename stays on one device."""
    return target.with_name(f".{target.name[:80]}{TEMP_MARKER}{os.urandom(6).hex()}")


@contextlib.contextmanager
def atomic_target(target: Path) -> Iterator[Path]:
    """Yield a temp path beside `target`; on success rename it over `target`, else remove it."""
    temp = temp_path_beside(target)
    try:
        yield temp
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


def write_file_atomic(target: Path, data: bytes, *, fsync: bool = False) -> None:
    """Write `data` to `target` through a temporary file and a rename."""
    with atomic_target(target) as temp, open(temp, "xb") as stream:
        stream.write(data)
        if fsync:
            stream.flush()
            os.fsync(stream.fileno())


def fsync_directory(directory: Path) -> None:
    """Make renames inside `directory` durable."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def covers(outer: str, inner: str) -> bool:
    """Whether the repository path `inner` is `outer` or lies below it."""
    return inner == outer or inner.startswith(outer + "/")


def file_mode(executable: bool) -> int:
    """The permission bits a new file gets under the current umask."""
    umask = os.umask(0)
    os.umask(umask)
    return (0o777 if executable else 0o666) & ~umask


def remove_empty_parents(path: Path, stop: Path) -> None:
    """Remove empty directories from `path` upwards, never `stop` or above."""
    current = path
    while current != stop and stop in current.parents:
        try:
            current.rmdir()
        except OSError:
            return
        current = current.parent


def human_size(size: int | None) -> str:
    """1536 -> '1.5 KiB'."""
    if size is None:
        return "-"
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if value < 1024 or unit == "TiB":
            return f"{int(value)} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")
