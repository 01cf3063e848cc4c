"""The rows refs and ``for_each`` read: a factory's pool, and the hash that picks from it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class PoolRow:
    """A row of a factory's pool, as refs and for_each need it: identity and kept columns."""

    row_id: str
    values: Mapping[str, Any]
    step: str = ""  # the id of the step that made or found it


class Pool:
    """A factory's rows as refs and ``for_each`` read them, stored column by column: a dict per
    row would cost several times the memory at a million rows. Reading a row gives a ``PoolRow``."""

    __slots__ = ("_columns", "_row_ids", "_steps", "_values")

    def __init__(self, rows: Iterable[PoolRow] = ()) -> None:
        self._columns: tuple[str, ...] | None = None  # those of the first row
        self._row_ids: list[str] = []
        self._steps: list[str] = []  # the step that made or found each row (one shared str per step)
        self._values: list[list[Any]] = []
        self.extend(rows)

    def append(self, row_id: str, values: Mapping[str, Any], step: str = "") -> None:
        """Add a row; its columns are those of the first row added."""
        if self._columns is None:
            self._columns = tuple(values)
            self._values = [[] for _ in self._columns]
        self._row_ids.append(row_id)
        self._steps.append(step)
        for column, kept in zip(self._columns, self._values, strict=True):
            kept.append(values.get(column))

    def extend(self, rows: Iterable[PoolRow]) -> None:
        """Add rows; another pool's are taken column by column."""
        if isinstance(rows, Pool) and rows._columns is not None and self._columns in (None, rows._columns):
            if self._columns is None:
                self._columns, self._values = rows._columns, [[] for _ in rows._columns]
            self._row_ids.extend(rows._row_ids)
            self._steps.extend(rows._steps)
            for mine, theirs in zip(self._values, rows._values, strict=True):
                mine.extend(theirs)
            return
        for row in rows:
            self.append(row.row_id, row.values, row.step)

    def update(self, index: int, values: Mapping[str, Any]) -> None:
        """Set some kept columns of row ``index``."""
        assert self._columns is not None, "an empty pool has no rows to update"
        for column, value in values.items():
            self._values[self._columns.index(column)][index] = value

    @property
    def row_ids(self) -> list[str]:
        """Every row's identity, in order (do not change the list)."""
        return self._row_ids

    def value(self, index: int, column: str) -> Any:
        """The ``column`` value of row ``index`` (what a ref picks)."""
        assert self._columns is not None, "an empty pool has no rows to read"
        return self._values[self._columns.index(column)][index]

    def column(self, column: str) -> list[Any]:
        """Every row's ``column`` value, in order."""
        return [] if self._columns is None else self._values[self._columns.index(column)]

    def row(self, index: int) -> PoolRow:
        columns = self._columns or ()
        values = {c: v[index] for c, v in zip(columns, self._values, strict=True)}
        return PoolRow(self._row_ids[index], values, self._steps[index])

    def rows(self, start: int = 0) -> list[PoolRow]:
        """The rows from ``start`` on (negative: counted from the end)."""
        return [self.row(i) for i in range(*slice(start, None).indices(len(self)))]

    def __len__(self) -> int:
        return len(self._row_ids)

    def __iter__(self) -> Iterator[PoolRow]:
        return (self.row(i) for i in range(len(self)))


NO_ROWS = Pool()
"""The pool of a factory none of whose rows are kept yet."""


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


_U64 = (1 << 64) - 1
_2_POW_31 = float(1 << 31)
