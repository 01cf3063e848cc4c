"""MySQL and MariaDB: a named lock, foreign key checks off (they cannot be deferred), and
AUTO_INCREMENT restarted after the reset's commit (DDL commits by itself)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from seedspec.database.dialects.base import LOCK_NAME, ApplyLock, Dialect, constraint_in, delete_all

_WAIT_SECONDS = 24 * 3600  # GET_LOCK wants a finite wait
_LOCK = "CONCAT(:name, '.', COALESCE(DATABASE(), ''))"  # lock names are server-wide: one per database


class MySQL(Dialect):
    """MySQL, and MariaDB (``name`` says which)."""

    def empty(self, connection: Connection, tables: Sequence[sa.Table], *, referenced: bool) -> None:
        # TRUNCATE would commit the transaction; the checks are off for the reset's own statements
        connection.exec_driver_sql("SET FOREIGN_KEY_CHECKS = 0")
        try:
            delete_all(connection, tables)
        finally:
            connection.exec_driver_sql("SET FOREIGN_KEY_CHECKS = 1")

    def restart_counters(self, connection: Connection, names: Sequence[str]) -> None:
        preparer = connection.dialect.identifier_preparer
        for name in names:
            schema, _, table = name.rpartition(".")  # another database's table: db.table
            quoted = preparer.format_table(sa.table(table, schema=schema or None))
            connection.exec_driver_sql(f"ALTER TABLE {quoted} AUTO_INCREMENT = 1")

    def refused_constraint(self, error: BaseException, message: str) -> str | None:
        return constraint_in(message, r"CONSTRAINT `((?:[^`]|``)+)` failed")

    def apply_lock(self, *, own_transaction: bool) -> ApplyLock:
        # session-wide only: inside a caller's transaction it is released when the apply returns
        return ApplyLock(
            acquire=sa.text(f"SELECT GET_LOCK({_LOCK}, :wait)").bindparams(
                name=LOCK_NAME, wait=_WAIT_SECONDS
            ),
            release=sa.text(f"SELECT RELEASE_LOCK({_LOCK})").bindparams(name=LOCK_NAME),
            checked=True,
        )

    @contextmanager
    def strict(self, connection: Connection) -> Iterator[None]:
        # without a strict sql_mode (a server's or a session's choice), MySQL and MariaDB store
        # 'abcdefghijk' in a VARCHAR(10) as 'abcdefghij', 100000 in a SMALLINT as 32767, with a warning
        mode = str(connection.exec_driver_sql("SELECT @@SESSION.sql_mode").scalar() or "")
        if "STRICT_ALL_TABLES" in mode.split(","):
            yield
            return
        connection.exec_driver_sql(
            "SET SESSION sql_mode = CONCAT_WS(',', NULLIF(@@SESSION.sql_mode, ''), 'STRICT_ALL_TABLES')"
        )
        try:
            yield
        finally:
            with suppress(sa.exc.DBAPIError):  # when the link is gone, the setting is gone with it
                connection.execute(sa.text("SET SESSION sql_mode = :mode"), {"mode": mode})

    @contextmanager
    def checks_at_commit(
        self,
        connection: Connection,
        foreign_keys: Sequence[sa.ForeignKeyConstraint],
        verify: Callable[[], None],
    ) -> Iterator[None]:
        before = connection.exec_driver_sql("SELECT @@foreign_key_checks").scalar()
        connection.exec_driver_sql("SET FOREIGN_KEY_CHECKS=0")
        try:
            yield
            verify()
        except BaseException:
            with suppress(sa.exc.DBAPIError):  # when the link is gone, the setting is gone with it
                connection.exec_driver_sql(f"SET FOREIGN_KEY_CHECKS={int(before or 0)}")
            raise
        connection.exec_driver_sql(f"SET FOREIGN_KEY_CHECKS={int(before or 0)}")
