"""The rows refs and ``for_each`` read: a factory's pool, and the hash that picks from it."""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableSequence, Sequence
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from seedspec.generation.rowids import RowIds


class PoolRow(NamedTuple):
    """A row of a factory's pool, as refs and for_each need it: identity and kept columns.
    Immutable like the other intermediate forms; a tuple, as a for_each step reads one per parent."""

    row_id: str
    values: Mapping[str, Any]
    step: str = ""  # the id of the step that made or found it


class Pool:
    """A factory's rows as refs and ``for_each`` read them, stored compactly, column by column: a
    dict, a tuple or even an int object per row would cost several times the memory at millions of
    rows. Integer columns are arrays of machine integers (a list once another value comes), row ids
    are runs of numbers (see ``RowIds``) and the step of each row an index. Reading a row gives a
    ``PoolRow``."""

    __slots__ = ("_columns", "_ids", "_step_names", "_steps", "_values")

    def __init__(self, rows: Iterable[PoolRow] = ()) -> None:
        self._columns: tuple[str, ...] | None = None  # those of the first row
        self._ids = RowIds()
        self._step_names: list[str] = []  # the steps that made or found rows; _steps indexes them
        self._steps = array("I")
        self._values: list[MutableSequence[Any]] = []
        self.extend(rows)

    def append(self, row_id: str, values: Mapping[str, Any], step: str = "") -> None:
        """Add a row; its columns are those of the first row added."""
        if self._columns is None:
            self._columns = tuple(values)
            self._values = [array("i") for _ in self._columns]
        self._ids.append(row_id)
        self._steps.append(self._step_index(step))
        kept = self._values
        for i, column in enumerate(self._columns):
            value = values.get(column)
            if not _stored(kept[i], value):
                kept[i] = _widened(kept[i], value)
                kept[i].append(value)

    def extend_columns(
        self, ids: Sequence[tuple[str, Sequence[int]]], values: Mapping[str, Sequence[Any]], step: str = ""
    ) -> None:
        """Add rows given a column at a time: what ``append`` of each row gives. ``ids``: runs of
        (prefix, numbers), the ids ``prefix + str(n)`` (``RowIds.extend_numbered``); ``values``:
        each kept column's values, row by row."""
        count = sum(len(numbers) for _, numbers in ids)
        if not count:
            return
        if self._columns is None:
            self._columns = tuple(values)
            self._values = [array("i") for _ in self._columns]
        for prefix, numbers in ids:
            self._ids.extend_numbered(prefix, numbers)
        self._steps.extend(array("I", [self._step_index(step)]) * count)
        for i, column in enumerate(self._columns):
            given = values.get(column)
            self._values[i] = _extended(self._values[i], [None] * count if given is None else given)

    def extend(self, rows: Iterable[PoolRow]) -> None:
        """Add rows; another pool's are taken column by column."""
        if isinstance(rows, Pool) and rows._columns is not None and self._columns in (None, rows._columns):
            if self._columns is None:
                self._columns, self._values = rows._columns, [array("i") for _ in rows._columns]
            self._ids.extend(rows._ids)
            self._steps.extend(self._step_index(rows._step_names[i]) for i in rows._steps)
            for i, theirs in enumerate(rows._values):
                mine = self._values[i]
                if isinstance(mine, array) and isinstance(theirs, array) and mine.typecode == theirs.typecode:
                    mine.extend(theirs)
                else:
                    self._values[i] = [*mine, *theirs]
            return
        for row in rows:
            self.append(row.row_id, row.values, row.step)

    def update(self, index: int, values: Mapping[str, Any]) -> None:
        """Set some kept columns of row ``index``."""
        assert self._columns is not None, "an empty pool has no rows to update"
        for column, value in values.items():
            i = self._columns.index(column)
            kept = self._values[i]
            if isinstance(kept, array) and not (type(value) is int and -_I64 <= value < _I64):
                kept = self._values[i] = list(kept)  # not a machine integer: the column becomes a list
            elif isinstance(kept, array) and kept.typecode == "i" and not -_I32 <= value < _I32:
                kept = self._values[i] = array("q", kept)
            kept[index] = value

    @property
    def row_ids(self) -> Sequence[str]:
        """Every row's identity, in order."""
        return self._ids

    def value(self, index: int, column: str) -> Any:
        """The ``column`` value of row ``index`` (what a ref picks)."""
        assert self._columns is not None, "an empty pool has no rows to read"
        return self._values[self._columns.index(column)][index]

    def column(self, column: str) -> Sequence[Any]:
        """Every row's ``column`` value, in order (do not change it)."""
        return () if self._columns is None else self._values[self._columns.index(column)]

    def all_distinct(self, column: str, norm: Callable[[Any], Any]) -> bool:
        """Whether no two rows share their ``column`` value (as ``norm`` folds it), none null. A
        column of integers is checked on a bitmap when its values are dense, not on a set."""
        values = self.column(column)
        if isinstance(values, array) and values:
            low, high = min(values), max(values)
            if high - low < 64 * len(values):
                seen = bytearray((high - low) // 8 + 1)
                for v in values:
                    byte, bit = divmod(v - low, 8)
                    if seen[byte] >> bit & 1:
                        return False
                    seen[byte] |= 1 << bit
                return True
        folded = {norm(v) for v in values}
        return len(folded) == len(values) and None not in folded

    def row(self, index: int) -> PoolRow:
        columns = self._columns or ()
        values = {c: v[index] for c, v in zip(columns, self._values, strict=True)}
        return PoolRow(self._ids[index], values, self._step_names[self._steps[index]])

    def rows(self, start: int = 0) -> list[PoolRow]:
        """The rows from ``start`` on (negative: counted from the end)."""
        return [self.row(i) for i in range(*slice(start, None).indices(len(self)))]

    def _step_index(self, step: str) -> int:
        names = self._step_names
        if not names or names[-1] != step:
            if step not in names:
                names.append(step)
            return names.index(step)
        return len(names) - 1

    def __len__(self) -> int:
        return len(self._ids)

    def __iter__(self) -> Iterator[PoolRow]:
        """The rows in order, their ids read run by run (``row`` searches for each), the columns
        side by side (a for_each step reads one row per parent)."""
        columns, names = self._columns or (), self._step_names
        if not columns:
            for row_id, step in zip(self._ids, self._steps, strict=True):
                yield PoolRow(row_id, {}, names[step])
            return
        for row_id, step, values in zip(self._ids, self._steps, zip(*self._values, strict=True), strict=True):
            yield PoolRow(row_id, dict(zip(columns, values, strict=True)), names[step])


def _stored(values: MutableSequence[Any], value: Any) -> bool:
    """Append ``value`` to a column; False when the column cannot hold it as it is."""
    if isinstance(values, array) and type(value) is not int:
        return False
    try:
        values.append(value)
    except OverflowError:
        return False
    return True


def _extended(values: MutableSequence[Any], more: Sequence[Any]) -> MutableSequence[Any]:
    """``values`` with ``more`` appended, as ``_stored`` and ``_widened`` would one by one: a
    column of machine integers takes a batch that fits it at once."""
    if isinstance(values, array) and all(type(v) is int for v in more):
        try:
            values.extend(array(values.typecode, more))
            return values
        except OverflowError:
            pass  # one by one: the column widens where the first value does not fit
    elif not isinstance(values, array):
        values.extend(more)
        return values
    for value in more:
        if not _stored(values, value):
            values = _widened(values, value)
            values.append(value)
    return values


def _widened(values: MutableSequence[Any], value: Any) -> MutableSequence[Any]:
    """The column as one that can hold ``value``: 64-bit integers, else a list."""
    if type(value) is int and isinstance(values, array) and values.typecode == "i" and -_I64 <= value < _I64:
        return array("q", values)
    return list(values)


_I64, _I32 = 1 << 63, 1 << 31


NO_ROWS = Pool()
"""The pool of a factory none of whose rows are kept yet."""


def matches(row: PoolRow, where: tuple[tuple[str, tuple[Any, ...]], ...]) -> bool:
    """Whether a pool row holds one of the allowed values in every filtered column (a ref's
    ``where``, a for_each step's on its parents)."""
    return all(row.values.get(column) in allowed for column, allowed in where)


def jump_hash(key: int, buckets: int) -> int:
    """A bucket in ``range(buckets)`` for ``key`` (Lamping and Veach's jump consistent hash).

    Uniform, and when ``buckets`` grows from m to m' only (m' - m) / m' of the keys move, all of
    them to the new buckets: a random ref keeps its pick when rows are appended to the pool.
    """
    key &= _U64
    bucket, j = -1, 0
    while j < buckets:
        bucket = j
        key = (key * 2862933555777941757 + 1) & _U64
        j = int((bucket + 1) * (_2_POW_31 / ((key >> 33) + 1)))
    return bucket


def jump_hashes(keys: NDArray[np.uint64], buckets: int) -> NDArray[np.int64]:
    """``jump_hash`` of every key at once, bit for bit (the same wrapping multiply, the same
    float64 division): a loop step per doubling of ``buckets``, over the keys still moving."""
    bucket = np.full(len(keys), -1, dtype=np.int64)
    key = keys.copy()
    j = np.zeros(len(keys), dtype=np.int64)
    moving = np.arange(len(keys))
    with np.errstate(over="ignore"):
        while len(moving):
            bucket[moving] = j[moving]
            key[moving] = key[moving] * _K + np.uint64(1)
            shifted = (key[moving] >> np.uint64(33)).astype(np.float64) + 1.0
            j[moving] = ((bucket[moving] + 1).astype(np.float64) * (_2_POW_31 / shifted)).astype(np.int64)
            moving = moving[j[moving] < buckets]
    return bucket


_U64 = (1 << 64) - 1
_2_POW_31 = float(1 << 31)
_K = np.uint64(2862933555777941757)
