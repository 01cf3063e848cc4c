"""PostgreSQL COPY for bulk creates (part of the writer), through psycopg 3's ``cursor.copy``.

COPY loads rows several times faster than INSERT, but returns nothing: the ids later steps need
are reserved first from the id column's own sequence (``nextval``, in row order: the ids an
INSERT would have drawn) and copied explicitly. A COPY the database or the driver refuses raises
``CopyRefused``; the caller then inserts the rows the usual way, which finds the row at fault.

Since the ids are known before the rows are sent, a COPY can also run in a thread while the
caller generates the next batch (``copy_in_background``): the server stores one batch while this
process draws the next, instead of each waiting on the other.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

Row = dict[str, Any]


class CopyRefused(Exception):
    """The database or the driver refused a COPY (nothing of it was written)."""


class CopyWriter:
    """Writes batches of new rows of one table with COPY."""

    def __init__(self, connection: Connection, table: sa.Table, driver: Any) -> None:
        self.conn, self.table, self.driver = connection, table, driver
        self.preparer = connection.dialect.identifier_preparer
        self._sequences: dict[str, str | None] = {}
        self._processors: dict[str, Callable[[Any], Any] | None] = {}

    @classmethod
    def of(cls, connection: Connection, table: sa.Table) -> CopyWriter | None:
        """A writer for ``table``, when the connection is PostgreSQL through psycopg 3 (sync)."""
        if connection.dialect.name != "postgresql":
            return None
        try:
            import psycopg
        except ImportError:  # pragma: no cover - a dependency of seedspec
            return None
        driver = connection.connection.driver_connection
        return cls(connection, table, driver) if isinstance(driver, psycopg.Connection) else None

    def can_copy(self, columns: Sequence[str], filled: Sequence[str]) -> bool:
        """Whether rows setting ``columns`` can be copied, the database filling in ``filled``
        (what the caller reads back): at most an integer id drawn from a sequence. Columns left
        out must not have a default computed by SQLAlchemy (an INSERT would compute it)."""
        for column in self.table.c:
            computed = column.default is not None and not (
                isinstance(column.default, sa.Sequence) and column.name in filled
            )
            if computed and column.name not in columns:
                return False
        if not filled:
            return True
        return len(filled) == 1 and filled[0] in self.table.c and self._sequence(filled[0]) is not None

    def copy(self, rows: list[Row], filled: Sequence[str]) -> list[Row]:
        """COPY ``rows`` (all setting the same columns); returns each row's ``filled`` values.

        Raises:
            CopyRefused: nothing was written (the caller's SAVEPOINT rolls the ids back too).
            sqlalchemy.exc.DBAPIError: the connection was lost (``connection_invalidated``).
        """
        reserved, write, statement = self._prepared(rows, filled)
        try:
            write()
        except Exception as exc:
            raise self._translated(exc, statement) from exc
        return reserved

    def copy_in_background(self, rows: list[Row], filled: Sequence[str]) -> tuple[list[Row], Copying]:
        """Reserve the ``filled`` values and start the COPY of ``rows`` in a thread; returns the
        values at once, and the COPY to ``wait`` for before the connection is used again."""
        reserved, write, statement = self._prepared(rows, filled)
        return reserved, Copying(write, lambda exc: self._translated(exc, statement))

    def _prepared(self, rows: list[Row], filled: Sequence[str]) -> tuple[list[Row], Callable[[], None], str]:
        """The ``filled`` values reserved for ``rows``, what writes them (on the driver only), and
        the COPY statement."""
        columns = list(rows[0])
        reserved: list[Row] = [{}] * len(rows)
        if filled:
            (name,) = filled
            ids = self._reserve(name, len(rows))
            reserved = [{name: i} for i in ids]
            columns.append(name)
        processors = [(i, p) for i, c in enumerate(columns) if (p := self._processor(c)) is not None]
        names = ", ".join(self.preparer.quote(c) for c in columns)
        statement = f"COPY {self.preparer.format_table(self.table)} ({names}) FROM STDIN"

        def write() -> None:
            with self.driver.cursor() as cursor, cursor.copy(statement) as copy:
                write_row = copy.write_row
                for row, extra in zip(rows, reserved, strict=True):
                    values = [*row.values(), *extra.values()]
                    for i, process in processors:
                        values[i] = process(values[i])
                    write_row(values)

        return reserved, write, statement

    def _translated(self, exc: Exception, statement: str) -> Exception:
        """What a failed COPY raises: ``CopyRefused``, or the lost connection as SQLAlchemy says it."""
        import psycopg

        if isinstance(exc, psycopg.Error):
            if self.driver.broken:  # the link died, no row was refused: as SQLAlchemy reports it
                self.conn.invalidate(exc)
                return sa.exc.DBAPIError.instance(
                    statement, None, exc, psycopg.Error, connection_invalidated=True
                )
            return CopyRefused(str(exc))  # the INSERT that follows finds the row and says why
        if isinstance(exc, TypeError | ValueError):  # a value the driver cannot adapt: so says the INSERT
            return CopyRefused(str(exc))
        return exc

    def _reserve(self, column: str, count: int) -> list[int]:
        sequence = self._sequence(column)
        query = sa.select(sa.func.nextval(sequence)).select_from(sa.func.generate_series(1, count))
        return list(self.conn.execute(query).scalars())

    def _sequence(self, column: str) -> str | None:
        """The sequence an integer ``column`` takes its values from, if an explicit value is
        allowed too (serial, or identity BY DEFAULT; not GENERATED ALWAYS)."""
        if column not in self._sequences:
            name = self.preparer.format_table(self.table)
            query = sa.text(
                "SELECT pg_get_serial_sequence(:t, :c), a.attidentity FROM pg_attribute a "
                "WHERE a.attrelid = CAST(:t AS regclass) AND a.attname = :c"
            )
            try:
                with self.conn.begin_nested():
                    row = self.conn.execute(query, {"t": name, "c": column}).first()
            except sa.exc.DBAPIError as exc:
                if exc.connection_invalidated:
                    raise
                row = None  # not a plain table: INSERT
            sequence = row[0] if row is not None and row[1] != "a" else None
            self._sequences[column] = sequence if _is_integer(self.table.c[column]) else None
        return self._sequences[column]

    def _processor(self, column: str) -> Callable[[Any], Any] | None:
        """What SQLAlchemy does to a value of ``column`` before the driver sees it (JSON, enums)."""
        if column not in self._processors:
            dialect = self.conn.dialect
            kind = self.table.c[column].type
            self._processors[column] = kind.dialect_impl(dialect).bind_processor(dialect)
        return self._processors[column]


class Copying:
    """A COPY running in a thread; the connection is the thread's until ``wait`` returns."""

    def __init__(self, write: Callable[[], None], translated: Callable[[Exception], Exception]) -> None:
        self._error: Exception | None = None
        self._translated = translated
        self._thread = threading.Thread(target=self._run, args=(write,), name="seedspec-copy", daemon=True)
        self._thread.start()

    def _run(self, write: Callable[[], None]) -> None:
        try:
            write()
        except Exception as exc:  # reported by wait(), in the caller's thread
            self._error = exc

    def join(self) -> None:
        """Wait for the thread to end, whatever happened to the COPY (the caller gives up on it)."""
        self._thread.join()

    def wait(self) -> None:
        """Wait for the COPY to end.

        Raises:
            CopyRefused: nothing of it was written.
            sqlalchemy.exc.DBAPIError: the connection was lost (``connection_invalidated``).
        """
        self._thread.join()
        if self._error is not None:
            error, self._error = self._error, None
            raise self._translated(error) from error


HANDOFF_SECONDS = 0.0005


@contextmanager
def quick_handoffs() -> Iterator[None]:
    """Let a COPY thread take the GIL back within half a millisecond (instead of Python's 5 ms)
    while it runs: it needs the GIL briefly, several times a batch, while this thread draws rows;
    at 5 ms a wait, the server sat idle for longer than it worked. Restored afterwards."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(min(before, HANDOFF_SECONDS))
    try:
        yield
    finally:
        sys.setswitchinterval(before)


def _is_integer(column: sa.Column[Any]) -> bool:
    try:
        return column.type.python_type is int
    except NotImplementedError:
        return False
