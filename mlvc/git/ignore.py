"""Keeping tracked data out of git: entries in the work tree's root `.gitignore`."""

from __future__ import annotations

from pathlib import Path

from mlvc.fsutil import write_file_atomic

_SPECIAL = set("\\*?[")


def ignore_pattern(path: str) -> str:
    """The `.gitignore` line that matches exactly the repository-relative `path`."""
    escaped = "".join("\\" + char if char in _SPECIAL else char for char in path)
    if escaped.endswith(" "):
        escaped = escaped[:-1] + "\\ "
    return "/" + escaped


def _read_lines(gitignore: Path) -> list[str]:
    try:
        return gitignore.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []


def add_ignores(root: Path, paths: list[str]) -> bool:
    """Add a line per path that is not there yet; return whether the file changed."""
    gitignore = root / ".gitignore"
    lines = _read_lines(gitignore)
    present = set(lines)
    new = [pattern for pattern in map(ignore_pattern, paths) if pattern not in present]
    if not new:
        return False
    write_file_atomic(gitignore, ("\n".join([*lines, *dict.fromkeys(new)]) + "\n").encode())
    return True


def remove_ignores(root: Path, paths: list[str]) -> bool:
    """Remove the lines `add_ignores` wrote for these paths; return whether the file changed."""
    gitignore = root / ".gitignore"
    lines = _read_lines(gitignore)
    drop = {ignore_pattern(path) for path in paths}
    kept = [line for line in lines if line not in drop]
    if len(kept) == len(lines):
        return False
    write_file_atomic(gitignore, ("\n".join(kept) + "\n" if kept else "").encode())
    return True
