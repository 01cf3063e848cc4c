"""One apply at a time per database: concurrent applies of a spec queue instead of racing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from seedspec.errors import DatabaseError, Diagnostic

LOCK_NAME = "seedspec.apply"
LOCK_CLASS = 0x5EED  # PostgreSQL's two-key advisory lock: (seedspec, the schema's hash)
_WAIT_SECONDS = 24 * 3600  # MySQL's GET_LOCK wants a finite wait


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
    dialect = connection.dialect.name
    if dialect == "postgresql" and not own_transaction:
        lock = "SELECT pg_advisory_xact_lock(:cls, hashtext(current_schema()))"
        connection.execute(sa.text(lock).bindparams(cls=LOCK_CLASS))
        yield
        return
    if dialect == "postgresql":
        key = "(:cls, hashtext(current_schema()))"
        acquire = sa.text(f"SELECT pg_advisory_lock{key}").bindparams(cls=LOCK_CLASS)
        release = sa.text(f"SELECT pg_advisory_unlock{key}").bindparams(cls=LOCK_CLASS)
    elif dialect in ("mysql", "mariadb"):
        name = "CONCAT(:name, '.', COALESCE(DATABASE(), ''))"  # lock names are server-wide
        acquire = sa.text(f"SELECT GET_LOCK({name}, :wait)").bindparams(name=LOCK_NAME, wait=_WAIT_SECONDS)
        release = sa.text(f"SELECT RELEASE_LOCK({name})").bindparams(name=LOCK_NAME)
    else:
        yield
        return
    got = connection.execute(acquire).scalar()
    if own_transaction:
        connection.commit()  # end the implicit transaction; the session lock stays
    if dialect != "postgresql" and got != 1:
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
            connection.execute(release)
            if own_transaction:
                connection.commit()
