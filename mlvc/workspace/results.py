"""What the commands return: plain records the CLI renders as text or JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from mlvc.pointer import Pointer


class Change(StrEnum):
    """How one file differs between two snapshots."""

    ADDED = "added"
    MODIFIED = "modified"
    DELETED = "deleted"


class PathState(StrEnum):
    """How a tracked path in the workspace compares with its pointer."""

    UNCHANGED = "unchanged"
    MODIFIED = "modified"
    MISSING = "missing"


class JsonRecord:
    """Mixin for dataclass results: a JSON-ready dict of the fields."""

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (enums are strings, nested records are dicts)."""
        fields: dict[str, Any] = asdict(self)  # type: ignore[call-overload]
        return fields


@dataclass(frozen=True)
class FileChange(JsonRecord):
    """One file added, modified or deleted (repository-relative path)."""

    path: str
    change: Change
    old_size: int | None
    new_size: int | None
    old_oid: str | None = None
    new_oid: str | None = None


@dataclass(frozen=True)
class AddResult:
    """A path `mlvc add` stored."""

    path: str
    pointer: Pointer
    changed: bool
    """Whether the pointer file was new or differs from before."""
    new_bytes: int
    """Payload bytes this add put into the cache for this path."""


@dataclass(frozen=True)
class PathStatus(JsonRecord):
    """Status of one tracked path."""

    path: str
    kind: str
    state: PathState
    in_cache: bool
    changes: list[FileChange] = field(default_factory=list)


@dataclass
class CheckoutResult(JsonRecord):
    """What `mlvc checkout` did."""

    written: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: int = 0


@dataclass(frozen=True)
class GcResult(JsonRecord):
    """What `mlvc gc` removed (or would remove, with dry_run)."""

    dry_run: bool
    bytes_before: int
    bytes_freed: int
    packs_removed: int
    packs_rewritten: int
    objects_removed: int
    objects_kept: int
