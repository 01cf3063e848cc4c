"""Bulk INSERT straight to the driver's ``executemany`` (part of the writer).

``Connection.execute(table.insert(), rows)`` turns each row's dict into the driver's parameters
in Python, a few microseconds a row: for a step of a hundred thousand narrow rows, that is most
of its time. Here SQLAlchemy compiles the INSERT once per column set, and each row becomes a
tuple in the statement's parameter order, its values passed through the same bind processors
SQLAlchemy would apply (dates as SQLite text, JSON, ...). Where the statement needs more than
the rows' own values (Python-side column defaults), SQLAlchemy's own path is used.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from seedspec.database.dialects.sqlite import SqliteIds

__all__ = ["DriverInsert", "SqliteIds", "bind_processor", "processed"]  # SqliteIds: its old home

Row = dict[str, Any]
_Compiled = tuple[str, tuple[str, ...], tuple[tuple[int, Callable[[Any], Any]], ...]]


class DriverInsert:
    """Inserts batches of rows of one table, each batch setting the same columns."""

    def __init__(self, connection: Connection, table: sa.Table) -> None:
        self.conn, self.table = connection, table
        self._compiled: dict[tuple[str, ...], _Compiled | None] = {}

    def insert(self, rows: list[Row]) -> None:
        """INSERT ``rows`` (all with the columns of the first) in one executemany.

        Raises:
            sqlalchemy.exc.DBAPIError: as ``Connection.execute`` raises it.
        """
        try:
            self._insert(rows)
        except OverflowError as exc:  # sqlite3: an int past 64 bits, raised before SQLite sees it
            raise refused_by_driver(self.table, exc) from exc

    def _insert(self, rows: list[Row]) -> None:
        columns = tuple(rows[0])
        if columns not in self._compiled:
            self._compiled[columns] = self._compile(columns)
        compiled = self._compiled[columns]
        if compiled is None:
            self.conn.execute(self.table.insert(), rows)
            return
        sql, order, processors = compiled
        ordered = _ordered(order, rows)  # each row's values, as a tuple in the statement's order
        if processors:
            ordered = _processed_columns(ordered, processors)
        self.conn.exec_driver_sql(sql, ordered)

    def _compile(self, columns: Sequence[str]) -> _Compiled | None:
        """The SQL, parameter order and bind processors of the INSERT of ``columns``; None when
        the statement takes parameters other than those columns (defaults SQLAlchemy computes)
        or names them (a driver whose parameters are not positional)."""
        dialect = self.conn.dialect
        compiled = self.table.insert().compile(dialect=dialect, column_keys=list(columns))
        order = tuple(compiled.positiontup or ())
        if not compiled.positional or sorted(order) != sorted(columns):
            return None
        processors = tuple(
            (i, process)
            for i, name in enumerate(order)
            if (process := bind_processor(self.table, name, dialect))
        )
        return compiled.string, order, processors


def _ordered(order: Sequence[str], rows: list[Row]) -> list[tuple[Any, ...]]:
    """Each row's ``order`` values as a tuple: an ``itemgetter`` mapped over the rows, no
    Python loop step per value."""
    if len(order) <= 1:
        return [tuple([row[c] for c in order]) for row in rows]
    return list(map(operator.itemgetter(*order), rows))


def _processed_columns(
    ordered: list[tuple[Any, ...]], processors: Sequence[tuple[int, Callable[[Any], Any]]]
) -> list[tuple[Any, ...]]:
    """``processed`` for every row, a column at a time: each processor mapped over its column
    (a datetime column of a thousand rows is one ``map``, not a list and a tuple per row)."""
    columns: list[Sequence[Any]] = list(zip(*ordered, strict=True))
    for i, process in processors:  # None too: JSON's processor writes it as JSON null
        columns[i] = list(map(process, columns[i]))
    return list(zip(*columns, strict=True))


def bind_processor(table: sa.Table, column: str, dialect: sa.Dialect) -> Callable[[Any], Any] | None:
    """What SQLAlchemy does to a value of ``column`` before the driver sees it (dates as SQLite
    text, JSON, enums); None when the value goes as it is."""
    return table.c[column].type.dialect_impl(dialect).bind_processor(dialect)


def processed(values: list[Any], processors: Sequence[tuple[int, Callable[[Any], Any]]]) -> list[Any]:
    """``values`` (one row's, in place) passed through ``processors`` (position, processor)."""
    for i, process in processors:  # None too: JSON's processor writes it as JSON null
        values[i] = process(values[i])
    return values


def refused_by_driver(table: sa.Table, exc: OverflowError) -> sa.exc.DBAPIError:
    """A value the driver cannot send (SQLite: ``Python int too large to convert to SQLite
    INTEGER``) as the refusal it is, so the row is located (E500) like any other refused row."""
    return sa.exc.DataError(str(table.insert()), None, exc)
