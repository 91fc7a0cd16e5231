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


@dataclass(frozen=True)
class FileChange:
    """One file added, modified or deleted (repository-relative path)."""

    path: str
    change: Change
    old_size: int | None
    new_size: int | None
    old_oid: str | None = None
    new_oid: str | None = None

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)


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
class PathStatus:
    """Status of one tracked path."""

    path: str
    kind: str
    state: PathState
    in_cache: bool
    changes: list[FileChange] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "path": self.path,
            "kind": self.kind,
            "state": self.state.value,
            "in_cache": self.in_cache,
            "changes": [change.to_json() for change in self.changes],
        }


@dataclass
class CheckoutResult:
    """What `mlvc checkout` did."""

    written: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: int = 0

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)


@dataclass(frozen=True)
class GcResult:
    """What `mlvc gc` removed (or would remove, with dry_run)."""

    dry_run: bool
    bytes_before: int
    bytes_freed: int
    packs_removed: int
    packs_rewritten: int
    objects_removed: int
    objects_kept: int

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)
