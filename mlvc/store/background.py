"""Writes handed to one background thread, so chunking and disk writes overlap.

FastCDC and file writes both release the GIL, so on two cores an `add` cuts
the next chunks while the previous ones are written. Writes keep their order.
"""

from __future__ import annotations

import queue
import threading
from typing import BinaryIO

_QUEUE_DEPTH = 4  # batches of 4 MiB: at most 16 MiB wait in memory


class BackgroundWriter:
    """A FIFO of (stream, bytes) writes done by one daemon thread."""

    def __init__(self) -> None:
        self._queue: queue.Queue[tuple[BinaryIO, bytes | bytearray] | None] = queue.Queue(
            _QUEUE_DEPTH
        )
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def write(self, stream: BinaryIO, data: bytes | bytearray) -> None:
        """Queue `data` (the caller gives it up) for `stream`; raises an earlier write's error."""
        self._raise_error()
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="mlvc-pack-writer", daemon=True)
            self._thread.start()
        self._queue.put((stream, data))

    def drain(self) -> None:
        """Wait until every queued write is done; raise the first error, if any."""
        if self._thread is not None:
            self._queue.join()
        self._raise_error()

    def stop(self) -> None:
        """Finish the queued writes and end the thread."""
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None

    def _raise_error(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            try:
                if item is None:
                    return
                if self._error is None:  # after a failure, drop the rest
                    stream, data = item
                    stream.write(data)
            except BaseException as exc:  # handed to the caller by drain() or write()
                self._error = exc
            finally:
                self._queue.task_done()
