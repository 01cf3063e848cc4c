"""SQLite: ids read before the INSERT, deferred checks for the transaction, ``sqlite_sequence``.

On SQLite, the id an INSERT gives a row of a rowid table is one more than the largest rowid
(than the largest ever, with AUTOINCREMENT), in row order: ``SqliteIds`` gives those ids before
the INSERT, which then needs no ``RETURNING`` (several times slower through SQLAlchemy). The
transaction keeps other writers out between the read and the INSERT, or fails the apply.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from seedspec.database.dialects.base import Dialect, constraint_in, delete_all

WRITE_LOCK_WAIT_MS = 24 * 3600 * 1000  # as long as the apply lock of the other databases waits


class SQLite(Dialect):
    """SQLite: one writer at a time by itself; an apply's transaction takes the write lock first."""

    database_is_file = True

    def ids_ahead(self, connection: Connection, table: sa.Table) -> SqliteIds | None:
        return SqliteIds.of(connection, table)

    def empty(self, connection: Connection, tables: Sequence[sa.Table], *, referenced: bool) -> None:
        # rows of the emptied tables may point at each other in any order; nothing outside does
        connection.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        delete_all(connection, tables)
        connection.exec_driver_sql("PRAGMA defer_foreign_keys = OFF")  # the apply's rows: at once
        if _has_sequence_table(connection):
            sequence = sa.table("sqlite_sequence", sa.column("name"))
            connection.execute(sa.delete(sequence).where(sequence.c.name.in_([t.name for t in tables])))

    def refused_constraint(self, error: BaseException, message: str) -> str | None:
        return constraint_in(message, r"CHECK constraint failed: (\S+)$")

    def take_write_lock(self, connection: Connection) -> None:
        # the driver's own transaction (deferred: no lock until the first write) is still empty:
        # it makes way for BEGIN IMMEDIATE, which waits up to the busy timeout for other writers
        driver: Any = connection.connection.driver_connection
        pep249 = getattr(driver, "autocommit", None) is False  # sqlite3 keeps a transaction open
        if pep249:
            driver.autocommit = True  # commits the empty transaction
        elif getattr(driver, "in_transaction", False):
            connection.exec_driver_sql("ROLLBACK")
        previous = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {WRITE_LOCK_WAIT_MS}")
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        finally:
            connection.exec_driver_sql(f"PRAGMA busy_timeout = {int(previous or 0)}")
            if pep249:
                driver.autocommit = False  # in a transaction already: it opens none

    @contextmanager
    def checks_at_commit(
        self,
        connection: Connection,
        foreign_keys: Sequence[sa.ForeignKeyConstraint],
        verify: Callable[[], None],
    ) -> Iterator[None]:
        connection.exec_driver_sql("PRAGMA defer_foreign_keys=ON")  # ends with the transaction
        yield


class SqliteIds:
    """The ids SQLite would give new rows of a rowid table, read before the INSERT."""

    def __init__(self, connection: Connection, table: sa.Table, column: str, autoincrement: bool) -> None:
        self.conn, self.table, self.column, self.autoincrement = connection, table, column, autoincrement

    @classmethod
    def of(cls, connection: Connection, table: sa.Table) -> SqliteIds | None:
        """For a SQLite table whose primary key is one column declared ``INTEGER`` (the rowid's
        other name); None for any other table."""
        if table.schema is not None:
            return None
        info = connection.exec_driver_sql(
            "SELECT name, upper(type), pk FROM pragma_table_info(?)", (table.name,)
        ).all()
        keys = [(name, kind) for name, kind, pk in info if pk]
        if len(keys) != 1 or keys[0][1] != "INTEGER" or keys[0][0] not in table.c:
            return None
        sql = connection.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table.name,)
        ).scalar()
        text = " ".join(str(sql or "").upper().split())
        if "WITHOUT ROWID" in text:
            return None
        # SQLite makes sqlite_sequence with the first AUTOINCREMENT table
        counted = re.search(r"\bAUTOINCREMENT\b", text) is not None and _has_sequence_table(connection)
        return cls(connection, table, keys[0][0], counted)

    def reserve(self, count: int) -> list[int]:
        """The ids of the next ``count`` rows inserted, in order."""
        column = self.table.c[self.column]
        highest = self.conn.execute(sa.select(sa.func.max(column))).scalar() or 0
        if self.autoincrement:
            seq = self.conn.exec_driver_sql(
                "SELECT seq FROM sqlite_sequence WHERE name = ?", (self.table.name,)
            ).scalar()
            highest = max(highest, seq or 0)
        return list(range(highest + 1, highest + 1 + count))


def _has_sequence_table(connection: Connection) -> bool:
    found = connection.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").first()
    return found is not None
