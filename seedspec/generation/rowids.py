"""Row ids stored as numbers: the ids of a pool's rows at a few bytes each instead of a string each.

A row id is text with numbers in it (``post<user:user:123/4``, ``user:7``): the ids a step makes
differ by their numbers alone. ``RowIds`` splits each id into its text parts (its shape, shared by
a run of ids) and its numbers, kept in one array per run, and gives back the very string.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import overload

_NUMBER = re.compile(r"(0|[1-9][0-9]{0,17})(?![0-9])")  # canonical, so str(int(n)) == n
_CANONICAL = 10**18  # the numbers _NUMBER reads whole


@dataclass(slots=True)
class _Run:
    """Consecutive ids of one shape: the text around their numbers, and the numbers, row by row."""

    start: int
    shape: tuple[str, ...]  # text parts; the numbers go between them
    numbers: array[int]
    form: str  # the shape as a %-format, a %d per number: one formatting per id read back

    @property
    def width(self) -> int:
        return len(self.shape) - 1


class RowIds(Sequence[str]):
    """An append-only sequence of row ids, stored as runs of numbers (see the module)."""

    __slots__ = ("_count", "_runs", "_starts")

    def __init__(self) -> None:
        self._runs: list[_Run] = []
        self._starts: list[int] = []  # each run's first row, for bisect
        self._count = 0

    def append(self, row_id: str) -> None:
        parts = _NUMBER.split(row_id)
        shape, numbers = tuple(parts[0::2]), [int(n) for n in parts[1::2]]
        run = self._runs[-1] if self._runs else None
        if run is None or run.shape != shape:
            run = _Run(self._count, shape, array("I"), _form(shape))
            self._runs.append(run)
            self._starts.append(self._count)
        self._add(run, numbers)
        self._count += 1

    def extend_numbered(self, prefix: str, numbers: Sequence[int]) -> None:
        """Add the ids ``prefix + str(n)`` for each of ``numbers``: the prefix split once, not each
        id (a prefix ending in a digit, or a number outside 0 to 10**18, takes ``append``)."""
        if not numbers:
            return
        if not prefix or prefix[-1].isdigit() or min(numbers) < 0 or max(numbers) >= _CANONICAL:
            for n in numbers:
                self.append(f"{prefix}{n}")
            return
        parts = _NUMBER.split(prefix)
        shape, head = (*parts[0::2], ""), [int(n) for n in parts[1::2]]
        flat = list(numbers) if not head else [x for n in numbers for x in (*head, n)]
        run = self._runs[-1] if self._runs else None
        if run is None or run.shape != shape:
            run = _Run(self._count, shape, array("I"), _form(shape))
            self._runs.append(run)
            self._starts.append(self._count)
        self._add(run, flat)
        self._count += len(numbers)

    @staticmethod
    def _add(run: _Run, numbers: list[int]) -> None:
        """Append ``numbers`` to the run, all or none (an array's ``extend`` from a list keeps the
        items before one that overflows), its numbers widened to 64 bits when one needs it."""
        try:
            more = array(run.numbers.typecode, numbers)
        except OverflowError:
            run.numbers, more = array("q", run.numbers), array("q", numbers)
        run.numbers.extend(more)

    def extend(self, ids: Sequence[str]) -> None:
        """Add ``ids``; those of another ``RowIds`` are taken run by run."""
        if not isinstance(ids, RowIds):
            for row_id in ids:
                self.append(row_id)
            return
        for run in ids._runs:
            mine = _Run(
                self._count + run.start, run.shape, array(run.numbers.typecode, run.numbers), run.form
            )
            self._runs.append(mine)
            self._starts.append(mine.start)
        self._count += len(ids)

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._count))]
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError("row id index out of range")
        run = self._runs[bisect_right(self._starts, index) - 1]
        width = run.width
        at = (index - run.start) * width
        return run.form % tuple(run.numbers[at : at + width])

    def __iter__(self) -> Iterator[str]:
        """Every id in order, run by run (no search per id)."""
        runs = self._runs
        for r, run in enumerate(runs):
            count = (runs[r + 1].start if r + 1 < len(runs) else self._count) - run.start
            form, width, numbers = run.form, run.width, run.numbers
            if width == 0:
                yield from [form % ()] * count
            elif width == 1:
                yield from (form % n for n in numbers)
            else:
                yield from (form % tuple(numbers[at : at + width]) for at in range(0, count * width, width))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


def _form(shape: tuple[str, ...]) -> str:
    """The %-format of a shape: its text parts (a ``%`` doubled) with a ``%d`` between each two."""
    return "%d".join(part.replace("%", "%%") for part in shape)
