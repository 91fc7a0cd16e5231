"""The progress protocol between the library and whatever renders it."""

from __future__ import annotations


class Progress:
    """Receives progress from long operations. This base class shows nothing."""

    def begin(self, label: str, total: int | None, unit: str = "bytes") -> None:
        """A new phase starts; `total` is in `unit`s, or None when unknown."""

    def advance(self, amount: int) -> None:
        """`amount` more units are done."""

    def end(self) -> None:
        """The current phase is over."""


SILENT = Progress()
