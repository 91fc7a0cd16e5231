"""Pointer files (``PATH.mlvc``): the small text file committed to git for a tracked path.

The normative description is in docs/formats.md. In short::

    version: mlvc/1
    kind: file
    oid: xxh128:6a1f...
    size: 1234
    files: 1

`version` comes first, then the known keys in the order above, then any
unknown keys sorted by name (kept so newer mlvc versions can add keys).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from mlvc.errors import PointerFormatError
from mlvc.hashing import Oid, oid_from_text, oid_to_text

POINTER_SUFFIX = ".mlvc"
POINTER_VERSION = "mlvc/1"
MAX_POINTER_SIZE = 1024
_KNOWN_KEYS = ("version", "kind", "oid", "size", "files", "executable")
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


class PointerKind(StrEnum):
    """What a pointer tracks."""

    FILE = "file"
    DIR = "dir"


@dataclass(frozen=True)
class Pointer:
    """The parsed content of a pointer file."""

    kind: PointerKind
    oid: Oid
    size: int
    files: int
    executable: bool = False
    extra: dict[str, str] = field(default_factory=dict)

    def dumps(self) -> str:
        """Return the one canonical text encoding of this pointer."""
        lines = [
            f"version: {POINTER_VERSION}",
            f"kind: {self.kind.value}",
            f"oid: {oid_to_text(self.oid)}",
            f"size: {self.size}",
            f"files: {self.files}",
        ]
        if self.executable:
            lines.append("executable: true")
        lines.extend(f"{key}: {self.extra[key]}" for key in sorted(self.extra))
        return "\n".join(lines) + "\n"


def data_path_of(pointer_path: str) -> str:
    """Return the tracked path a pointer file stands for (``a/b.mlvc`` -> ``a/b``)."""
    return pointer_path[: -len(POINTER_SUFFIX)]


def pointer_path_of(data_path: str) -> str:
    """Return the pointer file path for a tracked path (``a/b`` -> ``a/b.mlvc``)."""
    return data_path + POINTER_SUFFIX


def parse_pointer_files(
    files: Iterable[tuple[str, bytes]], *, skip_invalid: bool = False
) -> list[tuple[str, Pointer]]:
    """(data path, pointer) for (pointer path, bytes) pairs, each distinct (path, oid) once.

    With `skip_invalid`, damaged pointers are passed over: one in git history
    references nothing that could be kept or sent.
    """
    found: dict[tuple[str, Oid], Pointer] = {}
    for pointer_path, data in files:
        try:
            pointer = parse_pointer(data, pointer_path)
        except PointerFormatError:
            if skip_invalid:
                continue
            raise
        found.setdefault((data_path_of(pointer_path), pointer.oid), pointer)
    return [(path, pointer) for (path, _), pointer in found.items()]


def parse_pointer(text: bytes, path: str) -> Pointer:
    """Parse pointer file bytes; `path` is used in error messages only."""
    if len(text) > MAX_POINTER_SIZE:
        raise PointerFormatError(path, f"larger than {MAX_POINTER_SIZE} bytes")
    try:
        decoded = text.decode("utf-8")
    except UnicodeDecodeError:
        raise PointerFormatError(path, "not UTF-8 text") from None
    values: dict[str, str] = {}
    for number, line in enumerate(decoded.splitlines(), start=1):
        key, sep, value = line.partition(": ")
        if not sep or not _KEY.match(key) or not value.strip():
            raise PointerFormatError(path, f"line {number} is not 'key: value'")
        if key in values:
            raise PointerFormatError(path, f"key '{key}' appears twice")
        values[key] = value.strip()
    if values.get("version") != POINTER_VERSION:
        found = values.get("version", "none")
        raise PointerFormatError(
            path, f"unsupported version '{found}' (expected {POINTER_VERSION})"
        )
    return _pointer_from_values(values, path)


def _pointer_from_values(values: dict[str, str], path: str) -> Pointer:
    try:
        kind = PointerKind(values.get("kind", ""))
    except ValueError:
        raise PointerFormatError(path, f"unknown kind '{values.get('kind', '')}'") from None
    for required in ("oid", "size", "files"):
        if required not in values:
            raise PointerFormatError(path, f"missing key '{required}'")
    oid = oid_from_text(values["oid"])
    if oid is None:
        raise PointerFormatError(path, f"bad oid '{values['oid']}'")
    size = _parse_count(values["size"], "size", path)
    files = _parse_count(values["files"], "files", path)
    if kind is PointerKind.FILE and files != 1:
        raise PointerFormatError(path, "a file pointer must have 'files: 1'")
    executable_text = values.get("executable", "false")
    if executable_text not in ("true", "false"):
        raise PointerFormatError(path, "'executable' must be true or false")
    extra = {key: value for key, value in values.items() if key not in _KNOWN_KEYS}
    return Pointer(kind, oid, size, files, executable_text == "true", extra)


def _parse_count(text: str, key: str, path: str) -> int:
    if not text.isdigit() or (len(text) > 1 and text.startswith("0")):
        raise PointerFormatError(path, f"'{key}' must be a non-negative integer")
    return int(text)
