"""Content-defined chunking with FastCDC (through pyfastcdc)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyfastcdc

DEFAULT_MIN_SIZE = 16 * 1024
DEFAULT_AVG_SIZE = 64 * 1024
DEFAULT_MAX_SIZE = 256 * 1024


@dataclass(frozen=True)
class ChunkParams:
    """FastCDC parameters. They are recorded in the config so boundaries stay stable."""

    min_size: int = DEFAULT_MIN_SIZE
    avg_size: int = DEFAULT_AVG_SIZE
    max_size: int = DEFAULT_MAX_SIZE

    def validate(self) -> str | None:
        """Return why these parameters are unusable, or None when they are fine."""
        if not 64 <= self.min_size <= 1 << 20:
            return "min_size must be within [64, 1048576]"
        if not 256 <= self.avg_size <= 1 << 22:
            return "avg_size must be within [256, 4194304]"
        if not 1024 <= self.max_size <= 1 << 24:
            return "max_size must be within [1024, 16777216]"
        if not self.min_size <= self.avg_size <= self.max_size:
            return "sizes must satisfy min_size <= avg_size <= max_size"
        return None

    @cached_property
    def _chunker(self) -> pyfastcdc.FastCDC:
        import pyfastcdc  # imported on first use: commands that only read need not load it

        return pyfastcdc.FastCDC(self.avg_size, min_size=self.min_size, max_size=self.max_size)

    def iter_file(self, path: Path) -> Iterator[memoryview]:
        """Yield the chunks of a file; each view is valid only until the next one."""
        with open(path, "rb", buffering=0) as stream:
            for chunk in self._chunker.cut_stream(stream):
                yield chunk.data

    def iter_buffer(self, data: bytes) -> Iterator[memoryview]:
        """Yield the chunks of an in-memory buffer."""
        if not data:
            return
        for chunk in self._chunker.cut_buf(data):
            yield chunk.data
