"""Bounded thread pools for I/O-bound work (remote transfers)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def map_unordered(
    function: Callable[[T], R], items: Iterable[T], jobs: int, window: int | None = None
) -> Iterator[tuple[T, R]]:
    """Apply `function` on `jobs` threads; yield (item, result) as each finishes.

    At most `window` calls (default 2 x jobs) are submitted at once, so a large
    input never holds all its results in memory. The first error is raised
    after the calls already running have finished.
    """
    jobs = max(1, jobs)
    limit = window or 2 * jobs
    iterator = iter(items)
    with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="mlvc-io") as pool:
        running: dict[Future[R], T] = {}
        exhausted = False
        while running or not exhausted:
            while not exhausted and len(running) < limit:
                try:
                    item = next(iterator)
                except StopIteration:
                    exhausted = True
                    break
                running[pool.submit(function, item)] = item
            if not running:
                break
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                item = running.pop(future)
                error = future.exception()
                if error is not None:
                    for other in running:
                        other.cancel()
                    raise error
                yield item, future.result()


def run_parallel(tasks: Iterable[Callable[[], R]], jobs: int) -> list[R]:
    """Run argument-less tasks on `jobs` threads; return their results (in completion order)."""
    return [result for _, result in map_unordered(lambda task: task(), tasks, jobs)]
