"""PostgreSQL COPY for bulk creates (part of the writer), through psycopg 3's ``cursor.copy``.

COPY loads rows several times faster than INSERT, but returns nothing: the ids later steps need
are reserved first from the id column's own sequence (``nextval``, in row order: the ids an
INSERT would have drawn) and copied explicitly. A COPY the database or the driver refuses raises
``CopyRefused``; the caller then inserts the rows the usual way, which finds the row at fault.

Since the ids are known before the rows are sent, a COPY can also run in a thread while the
caller generates the next batch (``stream``): the server stores one batch while this process
draws the next, instead of each waiting on the other; batches that need no ids can join a COPY
still open (``more``).
"""

from __future__ import annotations

import queue
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from seedspec.database.bulkinsert import bind_processor, processed
from seedspec.database.dialects import dialect_for
from seedspec.database.dialects.postgresql import explicit_sequence, reserve_ids

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
        if not dialect_for(connection).copies:
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
        reserved, statement, values = self.prepared(rows, filled)
        try:
            with self.driver.cursor() as cursor, cursor.copy(statement) as copy:
                for row in values:
                    copy.write_row(row)
        except Exception as exc:
            raise self._translated(exc, statement) from exc
        return reserved

    def stream(self, statement: str, values: list[list[Any]]) -> CopyStream:
        """A ``CopyStream`` of ``statement`` that starts with a batch of ``prepared`` values; it
        takes more batches (``more``) until the caller ``wait``s for it, before the connection
        is used again."""
        stream = CopyStream(self.driver, statement, lambda exc: self._translated(exc, statement))
        stream.add(values)
        return stream

    def more(self, stream: CopyStream, rows: list[Row]) -> None:
        """Hand ``rows`` (the columns of the stream's first rows, none filled in) to ``stream``."""
        stream.add(self.prepared(rows, ())[2])

    def prepared(self, rows: list[Row], filled: Sequence[str]) -> tuple[list[Row], str, list[list[Any]]]:
        """The ``filled`` values reserved for ``rows``, the COPY statement, and each row's values
        in the statement's column order, converted as SQLAlchemy converts them (JSON, enums)."""
        columns = list(rows[0])
        reserved: list[Row] = [{}] * len(rows)
        if filled:
            (name,) = filled
            ids = self._reserve(name, len(rows))
            reserved = [{name: i} for i in ids]
            columns.append(name)
            values = [[*row.values(), i] for row, i in zip(rows, ids, strict=True)]
        else:
            values = [list(row.values()) for row in rows]
        processors = [(i, p) for i, c in enumerate(columns) if (p := self._processor(c)) is not None]
        if processors:
            values = [processed(v, processors) for v in values]
        names = ", ".join(self.preparer.quote(c) for c in columns)
        statement = f"COPY {self.preparer.format_table(self.table)} ({names}) FROM STDIN"
        return reserved, statement, values

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
        assert sequence is not None, "can_copy said the column has a sequence"
        return reserve_ids(self.conn, sequence, count)

    def _sequence(self, column: str) -> str | None:
        if column not in self._sequences:
            self._sequences[column] = explicit_sequence(self.conn, self.table, column)
        return self._sequences[column]

    def _processor(self, column: str) -> Callable[[Any], Any] | None:
        if column not in self._processors:
            self._processors[column] = bind_processor(self.table, column, self.conn.dialect)
        return self._processors[column]


class CopyStream:
    """COPYs written by a thread from the batches handed to it (one COPY takes the batches
    waiting when the thread is free), each in its own SAVEPOINT: the database checks a COPY's
    foreign keys when it ends, so this thread waits for that while the caller draws the next
    batches. The connection is the thread's until ``wait`` returns.
    At the first batch the database refuses, the thread stops writing: that batch and the ones
    after it are the caller's to write (``wait`` says from which)."""

    SAVEPOINT = "seedspec_copy"
    PER_COPY = 8  # batches waiting when the thread is free go into one COPY, at most this many

    def __init__(
        self, driver: Any, statement: str, translated: Callable[[Exception], Exception], *, ahead: int = 8
    ) -> None:
        self._batches: queue.SimpleQueue[list[list[Any]] | None] = queue.SimpleQueue()
        self._changed = threading.Condition()
        self._added = 0
        self._written = 0  # batches stored, in order, before any failure
        self._failure: Exception | None = None
        self._stopped = False
        self._ahead = ahead  # batches handed over and not yet written, at most
        self._translated = translated
        self._thread = threading.Thread(
            target=self._run, args=(driver, statement), name="seedspec-copy", daemon=True
        )
        self._thread.start()

    def _run(self, driver: Any, statement: str) -> None:
        try:
            self._copy_all(driver, statement)
        except Exception as exc:  # beyond one COPY (the cursor itself): nothing more is written
            self._failure = self._failure or exc
        finally:
            with self._changed:
                self._stopped = True
                self._changed.notify_all()

    def _copy_all(self, driver: Any, statement: str) -> None:
        with driver.cursor() as cursor:
            ended = False
            while not ended and (batch := self._batches.get()) is not None:
                batches = [batch]  # and those already waiting: one COPY, fewer round trips
                while len(batches) < self.PER_COPY:
                    try:
                        waiting = self._batches.get_nowait()
                    except queue.Empty:
                        break
                    if waiting is None:
                        ended = True
                        break
                    batches.append(waiting)
                if self._failure is None:
                    try:
                        self._write(cursor, statement, batches)
                    except Exception as exc:  # reported by wait(), in the caller's thread
                        self._failure = exc
                with self._changed:
                    if self._failure is None:
                        self._written += len(batches)
                    self._changed.notify_all()

    def _write(self, cursor: Any, statement: str, batches: list[list[list[Any]]]) -> None:
        cursor.execute(f"SAVEPOINT {self.SAVEPOINT}")
        try:
            with cursor.copy(statement) as copy:
                for batch in batches:
                    for values in batch:
                        copy.write_row(values)
        except Exception:
            if not cursor.connection.broken:
                cursor.execute(f"ROLLBACK TO SAVEPOINT {self.SAVEPOINT}")
                cursor.execute(f"RELEASE SAVEPOINT {self.SAVEPOINT}")
            raise
        cursor.execute(f"RELEASE SAVEPOINT {self.SAVEPOINT}")

    def add(self, values: list[list[Any]]) -> None:
        """A batch to write (each row's values in the statement's column order); waits while
        ``ahead`` batches handed over are not written yet."""
        with self._changed:
            while self._added - self._written >= self._ahead and self._failure is None and not self._stopped:
                self._changed.wait()
            self._added += 1
        self._batches.put(values)

    @property
    def written(self) -> int:
        """How many batches, from the first, are stored."""
        return self._written

    def join(self) -> None:
        """Stop and wait for the thread, whatever happened (the caller gives up on the COPYs)."""
        self._batches.put(None)
        self._thread.join()

    def wait(self) -> int | None:
        """Write what was handed over; returns None when every batch is stored, else the index
        of the first batch not stored (it and every later one are not).

        Raises:
            sqlalchemy.exc.DBAPIError: the connection was lost (``connection_invalidated``).
        """
        self.join()
        if self._failure is None:
            return None
        error, self._failure = self._failure, None
        translated = self._translated(error)
        if not isinstance(translated, CopyRefused):
            raise translated from error
        return self._written


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
