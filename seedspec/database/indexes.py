"""``apply --defer-indexes``: a table's secondary indexes dropped while a step fills it, rebuilt after.

PostgreSQL only (``Dialect.defers_indexes``). An index the load maintains row by row costs more
than one built once over the loaded rows. Only indexes nothing else relies on are dropped: not the
primary key, no unique index (first-or-create and the constraints need them), none that backs a
constraint; and only while the table is empty when the step starts (a re-run's key lookups use
indexes).

Each dropped index's definition is first written to a state table, in the transaction that drops
it; the rebuild and the removal of that record are again one transaction. With ``--shards`` the
drop commits before the shards start, so a killed run can leave a table without its indexes:
every apply on PostgreSQL starts by rebuilding any index still recorded (``restore``), so a re-run
(with or without the flag) repairs it. The state table is dropped once empty: a finished run
leaves no trace.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from seedspec.database.dialects import dialect_for

STATE_TABLE = "seedspec_deferred_indexes"

_SECONDARY = """
SELECT c.oid::regclass::text, pg_get_indexdef(x.indexrelid)
FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
WHERE x.indrelid = CAST(:table AS regclass) AND NOT x.indisunique AND NOT x.indisprimary
  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)
ORDER BY 1
"""


def _quoted(connection: Connection, table: sa.Table) -> str:
    return connection.dialect.identifier_preparer.format_table(table)


def _recorded(connection: Connection) -> bool:
    return connection.execute(sa.select(sa.func.to_regclass(STATE_TABLE))).scalar() is not None


def secondary(connection: Connection, table: sa.Table) -> list[tuple[str, str]]:
    """The (name, definition) of each index of ``table`` that ``drop`` may drop."""
    rows = connection.execute(sa.text(_SECONDARY), {"table": _quoted(connection, table)})
    return [(str(name), str(definition)) for name, definition in rows]


def drop(connection: Connection, table: sa.Table) -> int:
    """Record and drop the secondary indexes of ``table`` if it is empty; how many were dropped."""
    if not dialect_for(connection).defers_indexes:
        return 0
    if connection.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first() is not None:
        return 0
    found = secondary(connection, table)
    if not found:
        return 0
    connection.exec_driver_sql(
        f"CREATE TABLE IF NOT EXISTS {STATE_TABLE} "
        "(table_name TEXT NOT NULL, index_name TEXT PRIMARY KEY, definition TEXT NOT NULL)"
    )
    for name, definition in found:
        connection.execute(
            sa.text(f"INSERT INTO {STATE_TABLE} VALUES (:t, :i, :d)"),
            {"t": _quoted(connection, table), "i": name, "d": definition},
        )
        connection.exec_driver_sql(f"DROP INDEX {name}")
    return len(found)


def rebuild(connection: Connection, table: sa.Table | None = None) -> int:
    """Build again the indexes recorded (of ``table``, or all), forget them, and drop the state
    table once empty; how many were built."""
    if not dialect_for(connection).defers_indexes or not _recorded(connection):
        return 0
    query = f"SELECT index_name, definition FROM {STATE_TABLE}"
    params = {}
    if table is not None:
        query += " WHERE table_name = :t"
        params["t"] = _quoted(connection, table)
    built = 0
    for name, definition in connection.execute(sa.text(query + " ORDER BY 1"), params).all():
        if connection.execute(sa.select(sa.func.to_regclass(name))).scalar() is None:
            connection.exec_driver_sql(definition)
            built += 1
        connection.execute(sa.text(f"DELETE FROM {STATE_TABLE} WHERE index_name = :i"), {"i": name})
    if connection.exec_driver_sql(f"SELECT 1 FROM {STATE_TABLE} LIMIT 1").first() is None:
        connection.exec_driver_sql(f"DROP TABLE {STATE_TABLE}")
    return built


def restore(connection: Connection) -> int:
    """At the start of an apply: rebuild every index a killed run left recorded (see the module)."""
    return rebuild(connection)
