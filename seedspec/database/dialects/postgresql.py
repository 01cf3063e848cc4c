"""PostgreSQL: COPY, ids drawn from serial sequences, TRUNCATE, advisory locks, DEFERRABLE keys.

Every question about a column's sequence goes through ``serial_sequence`` (apply, COPY, reset
and the SQL ``build`` writes all ask it the same way).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, REGCLASS
from sqlalchemy.engine import Connection

from seedspec.database.dialects.base import ApplyLock, Dialect, delete_all

LOCK_CLASS = 0x5EED  # the two-key advisory lock: (seedspec, the schema's hash)
_LOCK_KEY = "(:cls, hashtext(current_schema()))"
ANALYZE_AFTER = 1000  # rows created in one step
# the key types compared as an array parameter, and what the array's values are: plain text and
# integers only (CHAR pads, CITEXT, enums and domains compare their own way: they keep IN)
_TEXT_TYPES = (sa.String, sa.VARCHAR, sa.Text, sa.TEXT, sa.Unicode, sa.UnicodeText, sa.NVARCHAR)
_INTEGER_TYPES = (sa.Integer, sa.INTEGER, sa.BigInteger, sa.BIGINT, sa.SmallInteger, sa.SMALLINT)
_INT64 = range(-(2**63), 2**63)


def serial_sequence(table: sa.Table, column: str, dialect: sa.Dialect) -> sa.ColumnElement[Any]:
    """The name of the sequence ``column`` of ``table`` draws its values from (serial and
    identity columns both own one), as SQL: NULL when it has none."""
    quoted = dialect.identifier_preparer.format_table(table)
    return sa.func.pg_get_serial_sequence(sa.literal(quoted, sa.Text), sa.literal(column, sa.Text))


def explicit_sequence(connection: Connection, table: sa.Table, column: str) -> str | None:
    """The sequence an integer ``column`` takes its values from, if an explicit value is allowed
    too (serial, or identity BY DEFAULT; not GENERATED ALWAYS); None for anything else."""
    if not _is_integer(table.c[column]):
        return None
    attribute = sa.table(
        "pg_attribute", sa.column("attrelid"), sa.column("attname"), sa.column("attidentity")
    )
    quoted = connection.dialect.identifier_preparer.format_table(table)
    query = sa.select(serial_sequence(table, column, connection.dialect), attribute.c.attidentity).where(
        attribute.c.attrelid == sa.cast(sa.literal(quoted, sa.Text), REGCLASS), attribute.c.attname == column
    )
    try:
        with connection.begin_nested():
            row = connection.execute(query).first()
    except sa.exc.DBAPIError as exc:
        if exc.connection_invalidated:
            raise
        return None  # not a plain table: INSERT
    return row[0] if row is not None and row[1] != "a" else None


def reserve_ids(connection: Connection, sequence: str, count: int) -> list[int]:
    """The next ``count`` values of ``sequence``, in the order an INSERT would draw them."""
    query = sa.select(sa.func.nextval(sequence)).select_from(sa.func.generate_series(1, count))
    return list(connection.execute(query).scalars())


class PostgreSQL(Dialect):
    """PostgreSQL: everything it does is transactional, TRUNCATE and sequence restarts too."""

    copies = True
    defers_indexes = True

    def after_bulk_load(
        self, connection: Connection, table: sa.Table, written: Collection[str], created: int
    ) -> None:
        """Realign sequences past explicit ids, refresh planner statistics."""
        for column in table.primary_key.columns:
            if column.name in written and column.type.python_type is int:
                sequence = serial_sequence(table, column.name, connection.dialect)
                highest = sa.select(sa.func.max(column)).scalar_subquery()
                # setval is strict: a column without a sequence gives NULL, not an error
                connection.execute(sa.select(sa.func.setval(sequence, sa.func.coalesce(highest, 1))))
        if created >= ANALYZE_AFTER:
            # right after a bulk load the planner has no statistics and key lookups turn into scans
            preparer = connection.dialect.identifier_preparer
            connection.exec_driver_sql(f"ANALYZE {preparer.format_table(table)}")

    def empty(self, connection: Connection, tables: Sequence[sa.Table], *, referenced: bool) -> None:
        if not referenced:
            preparer = connection.dialect.identifier_preparer
            listing = ", ".join(preparer.format_table(t) for t in tables)
            connection.exec_driver_sql(f"TRUNCATE {listing} RESTART IDENTITY")
            return
        # TRUNCATE refuses a table another one has a foreign key into, even an empty one
        _break_cycles(connection, tables)
        delete_all(connection, tables)
        for table in tables:
            for column in table.columns:
                sequence = connection.execute(
                    sa.select(serial_sequence(table, column.name, connection.dialect))
                ).scalar()
                if sequence:  # ALTER SEQUENCE is transactional; setval would not be
                    connection.exec_driver_sql(f"ALTER SEQUENCE {sequence} RESTART")

    def array_of(
        self, column_type: sa.types.TypeEngine[Any], values: Sequence[Any]
    ) -> sa.types.TypeEngine[Any] | None:
        """Text and integer keys as one array: a batch of a thousand keys is then one parameter
        and one short query text the driver parses once, not a thousand placeholders per batch
        (psycopg parses a long query anew each time). ``varchar = ANY(text[])`` and ``integer =
        ANY(bigint[])`` use the column's index as ``IN`` does."""
        kind = type(column_type)
        if kind in _TEXT_TYPES and all(type(v) is str for v in values):
            return ARRAY(sa.Text())
        integers = kind in _INTEGER_TYPES and all(type(v) is int for v in values)  # bool is not int here
        if integers and values and min(values) in _INT64 and max(values) in _INT64:
            return ARRAY(sa.BigInteger())
        return None

    def refused_constraint(self, error: BaseException, message: str) -> str | None:
        # psycopg's diagnostic fields: the message of a CHECK names only its constraint
        name = getattr(getattr(error, "diag", None), "constraint_name", None)
        return name if isinstance(name, str) else None

    def apply_lock(self, *, own_transaction: bool) -> ApplyLock:
        if not own_transaction:  # held until the caller commits or rolls back
            lock = sa.text("SELECT pg_advisory_xact_lock(:cls, hashtext(current_schema()))")
            return ApplyLock(acquire=lock.bindparams(cls=LOCK_CLASS), release=None, checked=False)
        return ApplyLock(
            acquire=sa.text(f"SELECT pg_advisory_lock{_LOCK_KEY}").bindparams(cls=LOCK_CLASS),
            release=sa.text(f"SELECT pg_advisory_unlock{_LOCK_KEY}").bindparams(cls=LOCK_CLASS),
            checked=False,
        )

    @contextmanager
    def checks_at_commit(
        self,
        connection: Connection,
        foreign_keys: Sequence[sa.ForeignKeyConstraint],
        verify: Callable[[], None],
    ) -> Iterator[None]:
        """Only DEFERRABLE constraints can wait (the others the spec's validation refused)."""
        preparer = connection.dialect.identifier_preparer
        for fk in foreign_keys:
            if fk.deferrable and isinstance(fk.name, str):
                connection.exec_driver_sql(f"SET CONSTRAINTS {preparer.quote(fk.name)} DEFERRED")
        yield


def _break_cycles(connection: Connection, tables: Sequence[sa.Table]) -> None:
    """Set the nullable foreign keys between the tables to empty to NULL, so their rows can be
    deleted in any order (PostgreSQL checks each DELETE's foreign keys as it ends)."""
    names = {t.key for t in tables}  # schema.table outside the default schema
    for table in tables:
        for fk in table.foreign_key_constraints:
            if fk.referred_table.key in names and all(c.nullable for c in fk.columns):
                cleared = sa.or_(*(c.isnot(None) for c in fk.columns))
                connection.execute(table.update().where(cleared).values({c.name: None for c in fk.columns}))


def _is_integer(column: sa.Column[Any]) -> bool:
    try:
        return column.type.python_type is int
    except NotImplementedError:
        return False
