"""Resets: empty exactly the tables a plan writes, children first, and restart their id counters.

Runs on the caller's connection, inside its transaction, so a reset followed by a failed apply
leaves the database as it was. Never touches another table: when one has rows pointing into
the tables to empty, the reset is refused instead.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from seedspec.database.dialects import dialect_for
from seedspec.database.tables import schemas_named
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
    wanted = tables_to_reset(steps)
    present = _present(inspector, schemas_named(wanted))
    names = [t for t in wanted if t in present]
    if not names:
        return ()
    referrers = _outside_referrers(inspector, present, names)
    _refuse_if_referenced(connection, referrers)
    meta = sa.MetaData()
    with warnings.catch_warnings():  # a column of a type SQLAlchemy does not know: not read here
        warnings.filterwarnings("ignore", "Did not recognize type", sa.exc.SAWarning)
        tables = [_reflected(n, meta, connection) for n in names]
    counts = tuple(
        (n, int(connection.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()))
        for n, t in zip(names, tables, strict=True)
    )
    dialect_for(connection).empty(connection, tables, referenced=bool(referrers))
    return counts


def _reflected(name: str, meta: sa.MetaData, connection: Connection) -> sa.Table:
    table, schema = _split(name)
    return sa.Table(table, meta, schema=schema, autoload_with=connection)


def _clause(name: str) -> sa.TableClause:
    table, schema = _split(name)
    return sa.table(table, schema=schema)


def _split(name: str) -> tuple[str, str | None]:
    """``schema.table`` (or a bare name, in the default schema) as (table, schema)."""
    schema, _, table = name.rpartition(".")
    return table, schema or None


def _present(inspector: sa.Inspector, schemas: Sequence[str]) -> dict[str, tuple[str, str | None]]:
    """The tables of the default schema (by bare name) and of ``schemas`` (``schema.table``),
    each with its (table, schema)."""
    found: dict[str, tuple[str, str | None]] = {t: (t, None) for t in inspector.get_table_names()}
    default = inspector.default_schema_name
    for schema in schemas:
        if schema != default:
            found.update({f"{schema}.{t}": (t, schema) for t in inspector.get_table_names(schema=schema)})
    return found


def restart_mysql_counters(connection: Connection, tables: tuple[str, ...]) -> None:
    """Restart the id counters the reset could not restart in its transaction (MySQL/MariaDB's
    AUTO_INCREMENT: DDL, it commits by itself); nothing elsewhere."""
    dialect_for(connection).restart_counters(connection, tables)


def _outside_referrers(
    inspector: sa.Inspector, present: dict[str, tuple[str, str | None]], names: list[str]
) -> list[tuple[str, tuple[str, ...], str]]:
    """(table outside the reset, its foreign key columns, table they refer to) for every foreign
    key into the tables to empty, from the tables of every schema the reset touches."""
    inside = set(names)
    default = inspector.default_schema_name
    found = []
    for outside in sorted(set(present) - inside):
        table, schema = present[outside]
        for fk in inspector.get_foreign_keys(table, schema=schema):
            referred, target = fk["referred_schema"], fk["referred_table"]
            target = target if referred in (None, default) else f"{referred}.{target}"
            if target in inside:
                found.append((outside, tuple(fk["constrained_columns"]), target))
    return found


def _refuse_if_referenced(connection: Connection, referrers: list[tuple[str, tuple[str, ...], str]]) -> None:
    for outside, columns, target in referrers:
        pointing = sa.and_(*(sa.column(c).isnot(None) for c in columns))
        if connection.execute(
            sa.select(sa.literal(1)).select_from(_clause(outside)).where(pointing).limit(1)
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
