"""Tree objects: the listing of a tracked directory.

A tree is UTF-8 text, one line per entry sorted by path, so that it chunks
well: two versions of a large listing share most of their chunks. See
docs/formats.md for the normative description.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from mlvc.errors import TreeFormatError
from mlvc.hashing import Oid, oid_to_text

TREE_HEADER = "mlvc-tree 1"
# What json.dumps(ensure_ascii=False) escapes: quotes, backslashes and control characters.
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f]')


class EntryMode(StrEnum):
    """How a tree entry is materialized in the workspace."""

    FILE = "file"
    EXEC = "exec"
    LINK = "link"


@dataclass(frozen=True, slots=True)
class TreeEntry:
    """One file of a tracked directory. `path` is relative and uses '/'."""

    path: str
    oid: Oid
    size: int
    mode: EntryMode


def encode_tree(entries: Iterable[TreeEntry]) -> bytes:
    """Return the canonical bytes of a tree listing these entries."""
    lines = [TREE_HEADER]
    for entry in sorted(entries, key=lambda item: item.path):
        lines.append(f"{entry.mode.value} {entry.oid.hex()} {entry.size} {_quote(entry.path)}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _quote(path: str) -> str:
    """JSON string quoting; the common case (nothing to escape) skips json.dumps."""
    if _NEEDS_ESCAPE.search(path) is None:
        return f'"{path}"'
    return json.dumps(path, ensure_ascii=False)


def _unquote(quoted: str) -> str:
    """Inverse of `_quote`; raises ValueError when `quoted` is not a JSON string."""
    if "\\" not in quoted and len(quoted) >= 2 and quoted[0] == quoted[-1] == '"':
        return quoted[1:-1]
    path = json.loads(quoted)
    if not isinstance(path, str):
        raise ValueError("not a string")
    return path


def decode_tree(data: bytes, oid: Oid) -> list[TreeEntry]:
    """Parse tree bytes into entries (sorted by path)."""
    try:
        lines = data.decode("utf-8").split("\n")
    except UnicodeDecodeError:
        raise TreeFormatError(oid_to_text(oid), "not UTF-8 text") from None
    if lines[0] != TREE_HEADER or lines[-1] != "":
        raise TreeFormatError(oid_to_text(oid), f"does not start with '{TREE_HEADER}'")
    entries = []
    for number, line in enumerate(lines[1:-1], start=2):
        try:
            mode_text, hex_oid, size_text, quoted = line.split(" ", 3)
            path = _unquote(quoted)
            entry = TreeEntry(path, bytes.fromhex(hex_oid), int(size_text), EntryMode(mode_text))
        except ValueError:
            raise TreeFormatError(oid_to_text(oid), f"line {number} is malformed") from None
        if len(entry.oid) != 16 or not path:
            raise TreeFormatError(oid_to_text(oid), f"line {number} is malformed")
        entries.append(entry)
    return entries
