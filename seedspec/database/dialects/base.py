"""The dialect seam's base class: the answers of a database that does nothing its own way.

Each method is one thing seedspec does differently per database (ids known before an INSERT,
COPY, resets, the apply lock, deferred foreign key checks, naming the column of a refused row);
``dialect_for`` gives the class for a connection, an engine or a dialect name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.engine import Connection

LOCK_NAME = "seedspec.apply"


class ReservedIds(Protocol):
    """Ids of the next rows of a table, known before they are inserted."""

    column: str

    def reserve(self, count: int) -> list[int]: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class ApplyLock:
    """The statements that hold and release the apply lock. Without ``release`` the lock is the
    transaction's (it ends with it); ``checked``: ``acquire`` returns 1 when it got the lock."""

    acquire: sa.TextClause
    release: sa.TextClause | None
    checked: bool


class Dialect:
    """A database seedspec knows nothing particular about: plain SQL everywhere."""

    copies = False  # new rows can go by COPY (pgcopy) instead of INSERT
    defers_indexes = False  # secondary indexes can be dropped for a load and rebuilt (indexes)
    database_is_file = False  # the URL's database is a file's path

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"

    def ids_ahead(self, connection: Connection, table: sa.Table) -> ReservedIds | None:
        """What reserves the ids of new rows of ``table`` before the INSERT, if the database can."""
        return None

    def after_bulk_load(
        self, connection: Connection, table: sa.Table, written: Collection[str], created: int
    ) -> None:
        """Housekeeping after ``created`` rows setting ``written`` columns went into ``table``."""

    def empty(self, connection: Connection, tables: Sequence[sa.Table], *, referenced: bool) -> None:
        """Delete every row of ``tables`` (children first) and restart their id counters where
        that is transactional; ``referenced``: an empty table outside them has a foreign key in."""
        delete_all(connection, tables)

    def restart_counters(self, connection: Connection, names: Sequence[str]) -> None:
        """Restart the id counters ``empty`` could not restart inside the transaction."""

    def apply_lock(self, *, own_transaction: bool) -> ApplyLock | None:
        """The lock that queues concurrent applies; None where the database serializes writers."""
        return None

    def take_write_lock(self, connection: Connection) -> None:
        """Make the transaction just begun on ``connection`` hold the database's write lock, where
        writers are serialized by the database (SQLite): a second apply then waits here for the
        first to commit, instead of failing half-way when it first writes."""

    @contextmanager
    def checks_at_commit(
        self,
        connection: Connection,
        foreign_keys: Sequence[sa.ForeignKeyConstraint],
        verify: Callable[[], None],
    ) -> Iterator[None]:
        """Let ``foreign_keys`` be checked at commit instead of at each statement; where the
        database cannot defer them, checks are off meanwhile and ``verify`` runs at the end."""
        yield

    @contextmanager
    def strict(self, connection: Connection) -> Iterator[None]:
        """While seedspec writes, a value its column cannot hold is refused (a located error),
        never stored truncated, clamped or zeroed."""
        yield

    def array_of(
        self, column_type: sa.types.TypeEngine[Any], values: Sequence[Any]
    ) -> sa.types.TypeEngine[Any] | None:
        """The array type to compare ``values`` of a column of ``column_type`` as one parameter
        (``column = ANY(:keys)``), where the database takes arrays and comparing as that type
        means what ``IN`` means; None: an ``IN`` list, a parameter per value."""
        return None

    def refused_column(self, message: str, columns: Collection[str]) -> str | None:
        """The column a refusal's text names (the longest name first: ``id`` is in ``user_id``)."""
        for column in sorted(columns, key=len, reverse=True):
            if re.search(rf"(?<![\w]){re.escape(column)}(?![\w])", message):
                return column
        return None

    def refused_constraint(self, error: BaseException, message: str) -> str | None:
        """The name of the constraint a refusal (``error``, its text ``message``) names, if any:
        its definition names the column where the text does not (a named CHECK)."""
        return None


def constraint_in(message: str, pattern: str) -> str | None:
    """The constraint name ``pattern``'s group finds in a refusal's text, if any."""
    found = re.search(pattern, message)
    return found[1] if found else None


def delete_all(connection: Connection, tables: Sequence[sa.Table]) -> None:
    """DELETE every row of ``tables``, in order."""
    for table in tables:
        connection.execute(table.delete())


def dialect_for(what: Connection | sa.Engine | str) -> Dialect:
    """The dialect of a connection, an engine or a dialect name (``"mariadb"``, ...)."""
    name = what if isinstance(what, str) else what.dialect.name
    known = _known()
    return known[name] if name in known else Dialect(name)


_KNOWN: dict[str, Dialect] = {}


def _known() -> dict[str, Dialect]:
    """The dialects with a class of their own, made once (their modules import this one)."""
    if not _KNOWN:
        from seedspec.database.dialects.mysql import MySQL
        from seedspec.database.dialects.postgresql import PostgreSQL
        from seedspec.database.dialects.sqlite import SQLite

        for dialect in (SQLite("sqlite"), PostgreSQL("postgresql"), MySQL("mysql"), MySQL("mariadb")):
            _KNOWN[dialect.name] = dialect
    return _KNOWN
