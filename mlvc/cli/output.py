"""Terminal output: one console per stream, sizes, and progress renderers."""

from __future__ import annotations

import json
import sys
import time
from typing import TYPE_CHECKING, Any

from mlvc.fsutil import human_size
from mlvc.progress import SILENT, Progress

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress as RichBar
    from rich.progress import TaskID

PLAIN_INTERVAL_SECONDS = 5.0


def echo(line: str = "") -> None:
    """Write one line of results to stdout (rich is imported only where it draws something)."""
    sys.stdout.write(line + "\n")


def stderr_console() -> Console:
    """Where diagnostics and progress go."""
    from rich.console import Console

    return Console(stderr=True, highlight=False, markup=False, emoji=False, soft_wrap=True)


def print_json(data: Any) -> None:
    """Write machine-readable output to stdout."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


class RichProgress(Progress):
    """A redrawn progress bar, for terminals."""

    def __init__(self, console: Console) -> None:
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            TextColumn,
            TimeRemainingColumn,
            TransferSpeedColumn,
        )
        from rich.progress import Progress as RichBar

        self._bar: RichBar = RichBar(
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(binary_units=True),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=True,
        )
        self._task: TaskID | None = None

    def begin(self, label: str, total: int | None, unit: str = "bytes") -> None:
        """Start a bar."""
        self._bar.start()
        self._task = self._bar.add_task(label, total=total)

    def advance(self, amount: int) -> None:
        """Move the bar."""
        if self._task is not None:
            self._bar.advance(self._task, amount)

    def end(self) -> None:
        """Remove the bar."""
        self._bar.stop()
        self._task = None


class PlainProgress(Progress):
    """A plain line every few seconds, for logs (CI): no redraws."""

    def __init__(self, console: Console, interval: float = PLAIN_INTERVAL_SECONDS) -> None:
        self._console = console
        self._interval = interval
        self._label = ""
        self._total: int | None = None
        self._done = 0
        self._started = 0.0
        self._last = 0.0
        self._printed = False

    def begin(self, label: str, total: int | None, unit: str = "bytes") -> None:
        """Start counting."""
        self._label, self._total, self._done = label, total, 0
        self._started = self._last = time.monotonic()
        self._printed = False

    def advance(self, amount: int) -> None:
        """Count, and print when the interval has passed."""
        self._done += amount
        now = time.monotonic()
        if now - self._last >= self._interval:
            self._last = now
            self._print(now)

    def end(self) -> None:
        """Print a last line if any was printed."""
        if self._printed:
            self._print(time.monotonic())

    def _print(self, now: float) -> None:
        elapsed = max(now - self._started, 1e-9)
        rate = human_size(int(self._done / elapsed))
        done = human_size(self._done)
        if self._total:
            share = 100 * self._done // self._total
            line = f"{self._label}: {done} / {human_size(self._total)} ({share}%), {rate}/s"
        else:
            line = f"{self._label}: {done}, {rate}/s"
        self._console.print(line)
        self._printed = True


def make_progress(quiet: bool) -> Progress:
    """Rich bars on a terminal, plain lines in logs, nothing with -q."""
    if quiet:
        return SILENT
    console = stderr_console()
    return RichProgress(console) if console.is_terminal else PlainProgress(console)
