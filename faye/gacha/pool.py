"""A simulation's chunks spread over worker processes, one core each, with their progress gathered in one place.

numpy's per-pull calls hold the GIL, so threads do not help (see faye.gacha.simulate); processes do. Any job
that splits into numbered chunks whose results add up runs here: the summons simulation (chunks of player
streams, faye.gacha.simulate) and the battle matrix (chunks of Esprit pairs, faye.battle.matrix). Every chunk
draws from its own streams (derived from the seed and the chunk's own numbers, never from the worker), so the
sum is the same whatever the number of workers and whichever finishes first.

Workers are forked when this process runs no other thread (on Linux): they start in milliseconds with numpy
and the job already in memory, where a fresh interpreter costs about 0.1 s of imports and unpickling before its
first pull, a third of what a core needs for 10**8 pulls. With any other thread alive (a Rich refresh thread,
an event loop's executor, a notebook kernel's) `fork` would copy locks those threads may hold into a child that
cannot release them, so workers then start with `forkserver` where the platform has it, else `spawn`. Each
worker receives the job once (its initializer) and then only (first, count) pairs. Progress comes back through
a queue, counted by the workers as they go and added up here as it arrives.
"""

from __future__ import annotations

import multiprocessing
import sys
import threading
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from multiprocessing.context import BaseContext
from multiprocessing.queues import Queue
from queue import Empty
from typing import Any, Protocol, TypeVar

#: How often (seconds) the parent gathers the workers' progress while it waits.
POLL_SECONDS = 0.05

Progress = Callable[[int], None]
S = TypeVar("S", bound="Summable")
S_co = TypeVar("S_co", bound="Summable", covariant=True)


class Summable(Protocol):
    """A chunk's result: chunks' results add up to the whole run's."""

    def __add__(self: S, other: S, /) -> S: ...


class Chunked(Protocol[S_co]):
    """A job of numbered chunks: `chunk(first, count, progress)` runs items first .. first + count - 1."""

    def chunk(self, first: int, count: int, progress: Progress | None = None) -> S_co: ...


_job: Chunked[Any] | None = None
_queue: Queue[int] | None = None


def _start(job: Chunked[Any], queue: Queue[int] | None) -> None:
    """A worker's initializer: keep the job (and the progress queue) for every chunk it is given."""
    global _job, _queue
    _job, _queue = job, queue


def _chunk(first: int, count: int) -> Any:
    assert _job is not None  # set by _start
    queue = _queue
    return _job.chunk(first, count, None if queue is None else queue.put)


def run_in_pool(job: Chunked[S], chunks: list[tuple[int, int]], workers: int, progress: Progress | None) -> S:
    """Run `chunks` ((first, count) pairs) of `job` on `workers` processes and add up their results."""
    context = start_method()
    if context.get_start_method() == "forkserver":
        context.set_forkserver_preload([__name__, type(job).__module__])  # workers fork with numpy already imported
    queue: Queue[int] | None = context.Queue() if progress is not None else None
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start, initargs=(job, queue)) as pool:
        pending: set[Future[S]] = {pool.submit(_chunk, first, count) for first, count in chunks}
        done: list[Future[S]] = []
        while pending:
            finished, pending = wait(pending, timeout=POLL_SECONDS, return_when=FIRST_COMPLETED)
            done.extend(finished)
            for future in finished:
                future.result()  # a worker's error ends the run here, not after every other chunk
            if queue is not None and progress is not None:
                _drain(queue, progress)
    if queue is not None and progress is not None:
        _drain(queue, progress)
        queue.close()
    results = [future.result() for future in done]
    total = results[0]
    for result in results[1:]:
        total = total + result
    return total


def start_method() -> BaseContext:
    """`fork` on Linux when this is the process's only thread, else `forkserver` or `spawn` (see the module)."""
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _drain(queue: Queue[int], progress: Progress) -> None:
    """Hand every count that has arrived to `progress`, as one advance."""
    arrived = 0
    while True:
        try:
            arrived += queue.get_nowait()
        except Empty:
            break
    if arrived:
        progress(arrived)
