"""Resets: empty exactly the tables a plan writes, children first, and restart their id counters.

Runs on the caller's connection, inside its transaction, so a reset followed by a failed apply
leaves the database as it was. Never touches another table: when one has rows pointing into
the tables to empty, the reset is refused instead.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from seedspec.database.dialects import dialect_for
from seedspec.errors import DatabaseError, Diagnostic
from seedspec.ir import Step


def tables_to_reset(steps: Sequence[Step]) -> tuple[str, ...]:
    """The steps' tables, children before parents (the reverse of the plan's dependency order)."""
    ordered = dict.fromkeys(step.table for step in steps)
    return tuple(reversed(ordered))


def reset_tables(connection: Connection, steps: Sequence[Step]) -> tuple[tuple[str, int], ...]:
    """Empty the tables the ``steps`` write (those that exist); returns (table, rows removed).

    PostgreSQL: one ``TRUNCATE ... RESTART IDENTITY`` (transactional there), or ``DELETE`` and
    ``ALTER SEQUENCE ... RESTART`` when an empty table outside the plan has a foreign key into
    them (TRUNCATE refuses that). SQLite: ``DELETE`` with foreign keys checked after the last
    one, and ``sqlite_sequence`` cleared. MySQL/MariaDB: ``DELETE`` with foreign key checks off for the
    reset's own statements (TRUNCATE and AUTO_INCREMENT changes commit the transaction; see
    ``restart_mysql_counters``).

    Raises:
        DatabaseError: E707, rows of a table outside the plan refer to a table to empty.
    """
    inspector = sa.inspect(connection)
    present = set(inspector.get_table_names())
    names = [t for t in tables_to_reset(steps) if t in present]
    if not names:
        return ()
    referrers = _outside_referrers(inspector, present, names)
    _refuse_if_referenced(connection, referrers)
    meta = sa.MetaData()
    tables = [sa.Table(n, meta, autoload_with=connection) for n in names]
    counts = tuple(
        (t.name, int(connection.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()))
        for t in tables
    )
    dialect_for(connection).empty(connection, tables, referenced=bool(referrers))
    return counts


def restart_mysql_counters(connection: Connection, tables: tuple[str, ...]) -> None:
    """Restart the id counters the reset could not restart in its transaction (MySQL/MariaDB's
    AUTO_INCREMENT: DDL, it commits by itself); nothing elsewhere."""
    dialect_for(connection).restart_counters(connection, tables)


def _outside_referrers(
    inspector: sa.Inspector, present: set[str], names: list[str]
) -> list[tuple[str, tuple[str, ...], str]]:
    """(table outside the reset, its foreign key columns, table they refer to) for every foreign
    key into the tables to empty."""
    inside = set(names)
    found = []
    for table in sorted(present - inside):
        for fk in inspector.get_foreign_keys(table):
            if fk["referred_table"] in inside:
                found.append((table, tuple(fk["constrained_columns"]), fk["referred_table"]))
    return found


def _refuse_if_referenced(connection: Connection, referrers: list[tuple[str, tuple[str, ...], str]]) -> None:
    for outside, columns, target in referrers:
        pointing = sa.and_(*(sa.column(c).isnot(None) for c in columns))
        if connection.execute(
            sa.select(sa.literal(1)).select_from(sa.table(outside)).where(pointing).limit(1)
        ).first():
            raise DatabaseError(
                Diagnostic(
                    code="E707",
                    message=f"cannot reset table {target}: table {outside}, which this reset does "
                    f"not empty, has rows that refer to it",
                    hint=f"seedspec never empties a table it was not asked to: empty {outside} "
                    f"yourself, or let the spec write it and reset that step too",
                )
            )
