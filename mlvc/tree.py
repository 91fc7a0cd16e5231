"""Tree objects: the listing of a tracked directory.

A tree is UTF-8 text, one line per entry sorted by path, so that it chunks
well: two versions of a large listing share most of their chunks. See
docs/formats.md for the normative description.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from mlvc.errors import TreeFormatError
from mlvc.hashing import Oid, oid_to_text

TREE_HEADER = "mlvc-tree 1"


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
        quoted = json.dumps(entry.path, ensure_ascii=False)
        lines.append(f"{entry.mode.value} {entry.oid.hex()} {entry.size} {quoted}")
    return ("\n".join(lines) + "\n").encode("utf-8")


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
            path = json.loads(quoted)
            entry = TreeEntry(path, bytes.fromhex(hex_oid), int(size_text), EntryMode(mode_text))
        except ValueError:
            raise TreeFormatError(oid_to_text(oid), f"line {number} is malformed") from None
        if not isinstance(path, str) or len(entry.oid) != 16:
            raise TreeFormatError(oid_to_text(oid), f"line {number} is malformed")
        entries.append(entry)
    return entries
