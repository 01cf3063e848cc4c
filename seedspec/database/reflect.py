"""What ``seedspec init`` reads from a live database (I/O): the reflected tables, plus the
partitions and insert triggers reflection does not report.

The facts are defined here, below the scaffold room that drafts a spec from them, so the
database room never reaches up for its own return types.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from seedspec.database.tables import reflect


@dataclass(frozen=True, slots=True, kw_only=True)
class Trigger:
    """A trigger that fires on INSERT into ``table``; ``text`` is its definition and body."""

    table: str
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Partition:
    """A PostgreSQL partition ``name`` of ``parent``: the parent's partition key as printed by
    ``pg_get_partkeydef`` (``RANGE (payment_date)``) and this partition's bound as printed by
    ``pg_get_expr`` (``FOR VALUES FROM ('2022-01-01') TO ('2022-02-01')``)."""

    name: str
    parent: str
    key: str
    bound: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SchemaFacts:
    """A reflected schema plus what reflection misses: partitions (whose foreign keys the
    reflecting code has copied onto their parent) and insert triggers."""

    metadata: sa.MetaData
    dialect: str
    partitions: tuple[Partition, ...] = ()
    triggers: tuple[Trigger, ...] = ()


_PG_PARTITIONS = """
SELECT c.relname, p.relname, pg_get_partkeydef(p.oid), pg_get_expr(c.relpartbound, c.oid)
FROM pg_inherits i
JOIN pg_class c ON c.oid = i.inhrelid
JOIN pg_class p ON p.oid = i.inhparent
WHERE c.relispartition AND p.relnamespace = to_regnamespace(current_schema())
ORDER BY c.relname
"""
# tgtype bit 2 (4): fires on INSERT
_PG_TRIGGERS = """
SELECT c.relname, pg_get_triggerdef(t.oid) || E'\\n' || coalesce(f.prosrc, '')
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_proc f ON f.oid = t.tgfoid
WHERE NOT t.tgisinternal AND (t.tgtype & 4) <> 0 AND c.relnamespace = to_regnamespace(current_schema())
ORDER BY c.relname, t.tgname
"""
_MYSQL_TRIGGERS = """
SELECT EVENT_OBJECT_TABLE, ACTION_STATEMENT FROM information_schema.TRIGGERS
WHERE TRIGGER_SCHEMA = DATABASE() AND EVENT_MANIPULATION = 'INSERT'
ORDER BY EVENT_OBJECT_TABLE, TRIGGER_NAME
"""
_SQLITE_TRIGGERS = "SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY tbl_name, name"
_SQLITE_ON_INSERT = re.compile(r"\bINSERT\s+ON\b", re.IGNORECASE)


def schema_facts(connection: Connection) -> SchemaFacts:
    """The connected database's tables (default schema) and what reflection misses."""
    metadata = reflect(connection)
    dialect = connection.dialect.name
    partitions: tuple[Partition, ...] = ()
    if dialect == "postgresql":
        partitions = tuple(
            Partition(name=name, parent=parent, key=key, bound=bound)
            for name, parent, key, bound in connection.exec_driver_sql(_PG_PARTITIONS)
        )
        _copy_partition_foreign_keys(metadata, partitions)
    return SchemaFacts(
        metadata=metadata, dialect=dialect, partitions=partitions, triggers=_insert_triggers(connection)
    )


def _insert_triggers(connection: Connection) -> tuple[Trigger, ...]:
    dialect = connection.dialect.name
    if dialect == "postgresql":
        rows = connection.exec_driver_sql(_PG_TRIGGERS).all()
    elif dialect in ("mysql", "mariadb"):
        rows = connection.exec_driver_sql(_MYSQL_TRIGGERS).all()
    elif dialect == "sqlite":
        rows = [
            r for r in connection.exec_driver_sql(_SQLITE_TRIGGERS) if _SQLITE_ON_INSERT.search(r[1] or "")
        ]
    else:
        return ()
    return tuple(Trigger(table=table, text=text or "") for table, text in rows)


def _copy_partition_foreign_keys(metadata: sa.MetaData, partitions: tuple[Partition, ...]) -> None:
    """A partitioned table's foreign keys may exist only on its partitions: give the parent
    every one that some partition has, so its factory gets refs."""
    for part in partitions:
        parent, child = metadata.tables.get(part.parent), metadata.tables.get(part.name)
        if parent is None or child is None:
            continue
        present = {tuple(c.name for c in fk.columns) for fk in parent.foreign_key_constraints}
        for fk in child.foreign_key_constraints:
            columns = tuple(c.name for c in fk.columns)
            if columns in present or not all(c in parent.c for c in columns):
                continue
            targets = [e.target_fullname for e in fk.elements]
            parent.append_constraint(sa.ForeignKeyConstraint(list(columns), targets))
            present.add(columns)
