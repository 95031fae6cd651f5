"""A simulation's chunks spread over worker processes, one core each, with their progress gathered in one place.

numpy's per-pull calls hold the GIL, so threads do not help (see faye.gacha.simulate); processes do. Every
chunk draws from its own players' streams (spawned from the seed, the same streams one process uses), so the
tally is the same integer sum whatever the number of workers and whichever finishes first.

Workers start with the `forkserver` method where the platform has it, else `spawn`: never `fork`, which copies
a parent's threads and locks (pytest's, Rich's refresh thread) into a child that cannot use them. Each worker
receives the `Simulation` once (its initializer) and then only (first stream, streams) pairs. Progress comes
back through a queue, counted by the workers every `PROGRESS_EVERY` pulls and added up here as it arrives.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from multiprocessing.queues import Queue
from queue import Empty
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from faye.gacha.simulate import Progress, Simulation, Tally

#: How often (seconds) the parent gathers the workers' progress while it waits.
POLL_SECONDS = 0.05

_simulation: Simulation | None = None
_queue: Queue[int] | None = None


def _start(simulation: Simulation, queue: Queue[int] | None) -> None:
    """A worker's initializer: keep the simulation (and the progress queue) for every chunk it is given."""
    global _simulation, _queue
    _simulation, _queue = simulation, queue


def _chunk(first: int, count: int) -> Tally:
    assert _simulation is not None  # set by _start
    queue = _queue
    return _simulation.chunk(first, count, None if queue is None else queue.put)


def run_in_pool(
    simulation: Simulation, chunks: list[tuple[int, int]], workers: int, progress: Progress | None
) -> Tally:
    """Run `chunks` ((first stream, streams) pairs) on `workers` processes and add up their tallies."""
    context = multiprocessing.get_context(
        "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    )
    if context.get_start_method() == "forkserver":
        context.set_forkserver_preload(
            ["faye.gacha.pool", "faye.gacha.simulate"]
        )  # workers fork with numpy already imported
    queue: Queue[int] | None = context.Queue() if progress is not None else None
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start, initargs=(simulation, queue)) as pool:
        pending: set[Future[Tally]] = {pool.submit(_chunk, first, count) for first, count in chunks}
        done: list[Future[Tally]] = []
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
    tallies = [future.result() for future in done]
    total = tallies[0]
    for tally in tallies[1:]:
        total = total + tally
    return total


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
