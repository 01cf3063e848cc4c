"""One apply at a time per database: concurrent applies of a spec queue instead of racing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import Connection

from seedspec.database.dialects import dialect_for
from seedspec.database.dialects.base import LOCK_NAME
from seedspec.errors import DatabaseError, Diagnostic

__all__ = ["LOCK_NAME", "one_apply_at_a_time"]


@contextmanager
def one_apply_at_a_time(connection: Connection, *, own_transaction: bool = True) -> Iterator[None]:
    """Hold the seedspec lock of the schema (PostgreSQL) or database (MySQL) around an apply.

    On PostgreSQL (an advisory lock) and MySQL/MariaDB (``GET_LOCK``) a second apply waits
    here until the first has committed, then finds its rows instead of racing it to create them.
    The lock dies with the session, so a killed apply never leaves it held. SQLite serializes
    writers by itself.

    Without ``own_transaction`` the apply runs inside a caller's transaction, which is never
    committed here: PostgreSQL then takes a transaction lock, held until the caller commits or
    rolls back; MySQL/MariaDB's lock (session-wide only) is released when the apply returns.
    """
    lock = dialect_for(connection).apply_lock(own_transaction=own_transaction)
    if lock is None:
        yield
        return
    got = connection.execute(lock.acquire).scalar()
    if lock.release is None:  # the transaction's lock: it ends with the caller's transaction
        yield
        return
    if own_transaction:
        connection.commit()  # end the implicit transaction; the session lock stays
    if lock.checked and got != 1:
        raise DatabaseError(
            Diagnostic(
                code="E403",
                message=f"the database failed during apply: could not take the lock '{LOCK_NAME}'",
                hint="another seedspec apply has held it for a day: look for a stuck process",
            )
        )
    try:
        yield
    finally:
        if not connection.closed and not connection.invalidated:
            connection.execute(lock.release)
            if own_transaction:
                connection.commit()
