"""Writes handed to one background thread, so chunking and disk writes overlap.

FastCDC and file writes both release the GIL, so on two cores an `add` cuts
the next chunks while the previous ones are written. Writes keep their order.
"""

from __future__ import annotations

import queue
import threading
from typing import BinaryIO

_QUEUE_DEPTH = 4  # batches of 4 MiB: at most 16 MiB wait in memory
BUFFER_SIZE = 4 * 1024 * 1024
_BUFFERS = _QUEUE_DEPTH + 2

Data = bytes | bytearray | memoryview
_Item = tuple[BinaryIO, Data, bytearray | None]


class BackgroundWriter:
    """A FIFO of (stream, bytes) writes done by one daemon thread.

    It also lends fixed-size buffers and takes them back once written: reusing
    them spares the page faults of fresh allocations, which cost as much
    kernel time as the writes themselves on multi-GiB adds.
    """

    def __init__(self) -> None:
        self._queue: queue.Queue[_Item | None] = queue.Queue(_QUEUE_DEPTH)
        self._free: queue.Queue[bytearray] = queue.Queue()
        self._lent = 0
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def take_buffer(self) -> bytearray:
        """A BUFFER_SIZE buffer to fill; waits for one to come back when all are lent."""
        try:
            return self._free.get_nowait()
        except queue.Empty:
            if self._lent < _BUFFERS:
                self._lent += 1
                return bytearray(BUFFER_SIZE)
            return self._free.get()

    def write(self, stream: BinaryIO, data: Data, recycle: bytearray | None = None) -> None:
        """Queue `data` for `stream`; `recycle` (the buffer behind `data`) is lent back once
        written. Raises an earlier write's error."""
        self._raise_error()
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="mlvc-pack-writer", daemon=True)
            self._thread.start()
        self._queue.put((stream, data, recycle))

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
                stream, data, recycle = item
                if self._error is None:  # after a failure, drop the rest
                    stream.write(data)
                if recycle is not None:
                    self._free.put(recycle)
            except BaseException as exc:  # handed to the caller by drain() or write()
                self._error = exc
            finally:
                self._queue.task_done()
