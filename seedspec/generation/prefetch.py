"""Faker values drawn ahead of time in worker processes.

Faker is most of the cost of a run (tens of microseconds a value). Each value draws from its own
seed, so the values of a batch can be drawn anywhere, in any order, and still be the ones a
serial run draws: workers compute the Faker fields of upcoming batches while this process looks
keys up and inserts. Only the first draw is done ahead; unique redraws and everything that
depends on order stay in this process.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from seedspec.compiler.steps import derive_seed
from seedspec.ir import FakerCall, Field
from seedspec.language import fakers

if TYPE_CHECKING:  # multiprocessing is imported when a pool is made: `validate` loads none
    from multiprocessing.pool import AsyncResult, Pool


class _Failed:
    """The mark of a draw that raised: this process draws it again and reports the error.

    It crosses from a worker by name, so it is still ``FAILED`` here (a plain ``object()``
    would arrive as some other object, and be taken for a value)."""

    __slots__ = ()

    def __reduce__(self) -> str:
        return "FAILED"

    def __repr__(self) -> str:
        return "FAILED"


FAILED: Any = _Failed()
MIN_VALUES = 20_000  # fewer Faker values than this in a run: a worker pool is not worth forking

_Spec = tuple[str, str, str, tuple[Any, ...], tuple[tuple[str, Any], ...], str, fakers.Providers]
_Job = tuple[int, str, tuple[_Spec, ...], Sequence[str]]  # step seed, settings.now, fields, rows
Columns = dict[str, list[Any]]  # column -> the values of the job's rows, in order
Drawn = dict[str, dict[str, Any]]  # column -> local_id -> value


def default_workers() -> int:
    """Worker processes to use: one per core, none where fork is unavailable or on one core."""
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return 0
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return cores if cores > 1 else 0


def faker_fields(fields: Iterable[Field]) -> tuple[Field, ...]:
    return tuple(f for f in fields if isinstance(f.generator, FakerCall))


class Prefetcher:
    """A pool of forked workers drawing the Faker fields of batches of rows."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: Pool | None = None

    def submit(self, step_seed: int, now: str, fields: Sequence[Field], local_ids: Sequence[str]) -> Draws:
        """Start drawing ``fields`` for the rows ``local_ids`` (``now`` being settings.now)."""
        specs = tuple(_spec(f) for f in fields)
        if self._pool is None:
            # fork after the parent has imported Faker and built its generators: workers inherit them
            import multiprocessing

            self._pool = multiprocessing.get_context("fork").Pool(self.workers)
        size = max(1, -(-len(local_ids) // self.workers))
        parts = [local_ids[i : i + size] for i in range(0, len(local_ids), size)]
        return Draws(
            [(part, self._pool.apply_async(draw, ((step_seed, now, specs, part),))) for part in parts]
        )

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None


DRAW_AHEAD = 2  # batches whose Faker values are being drawn while this one is written
Batch = TypeVar("Batch")


def drawn_ahead(
    batches: Iterable[Batch], submit: Callable[[Batch], Draws] | None
) -> Iterator[tuple[Batch, Draws | None]]:
    """Each batch with its Faker values (``submit`` starts drawing them), the next batches' already
    being drawn meanwhile; without ``submit``, nothing is drawn."""
    if submit is None:
        yield from ((batch, None) for batch in batches)
        return
    queue: deque[tuple[Batch, Draws]] = deque()
    for batch in batches:
        queue.append((batch, submit(batch)))
        if len(queue) > DRAW_AHEAD:
            yield queue.popleft()
    yield from queue


class Draws:
    """Faker values being drawn; ``get`` waits for them."""

    def __init__(self, parts: list[tuple[Sequence[str], AsyncResult[Columns]]]) -> None:
        self.parts = parts  # (the rows' local ids, their values being drawn)

    def get(self) -> Drawn:
        """The values by column, then by row."""
        drawn: Drawn = {}
        for local_ids, part in self.parts:
            for column, values in part.get().items():
                drawn.setdefault(column, {}).update(zip(local_ids, values, strict=True))
        return drawn


def _spec(f: Field) -> _Spec:
    gen = f.generator
    assert isinstance(gen, FakerCall)
    return (f.column, f.seed_name or f.column, gen.method, gen.args, gen.kwargs, gen.locale, gen.providers)


_fakers: dict[tuple[str, fakers.Providers, str], fakers.PinnedFaker] = {}


def draw(job: _Job) -> Columns:
    """In a worker: the first draw of each Faker field of each row, exactly as a serial run."""
    step_seed, now, specs, local_ids = job
    out: Columns = {}
    for column, seed_name, method, args, kwargs, locale, providers in specs:
        fake = _fakers.get((locale, providers, now))
        if fake is None:  # the providers are registered here too: workers draw their methods
            fake = _fakers[(locale, providers, now)] = fakers.pinned_faker(locale, providers, now)
        function, keywords = getattr(fake, method), dict(kwargs)
        values = out[column] = []
        for local_id in local_ids:
            fake.seed_instance(derive_seed(step_seed, local_id, seed_name))
            try:
                values.append(function(*args, **keywords))
            except Exception:
                values.append(FAILED)
    return out
