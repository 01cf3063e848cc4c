"""What ``seedspec init`` reads from a live database (I/O): the reflected tables, plus the
partitions and insert triggers reflection does not report.

The facts are defined here, below the scaffold room that drafts a spec from them, so the
database room never reaches up for its own return types.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
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


# (schema, name) pairs print as the MetaData key: the bare name in the default schema
_PG_KEY = (
    "CASE WHEN {ns}.nspname = current_schema() THEN {c}.relname ELSE {ns}.nspname || '.' || {c}.relname END"
)
_PG_PARTITIONS = f"""
SELECT {_PG_KEY.format(ns="cn", c="c")}, {_PG_KEY.format(ns="pn", c="p")},
       pg_get_partkeydef(p.oid), pg_get_expr(c.relpartbound, c.oid)
FROM pg_inherits i
JOIN pg_class c ON c.oid = i.inhrelid
JOIN pg_class p ON p.oid = i.inhparent
JOIN pg_namespace cn ON cn.oid = c.relnamespace
JOIN pg_namespace pn ON pn.oid = p.relnamespace
WHERE c.relispartition AND pn.nspname = ANY(%(schemas)s)
ORDER BY 1
"""
# tgtype bit 2 (4): fires on INSERT
_PG_TRIGGERS = f"""
SELECT {_PG_KEY.format(ns="n", c="c")}, pg_get_triggerdef(t.oid) || E'\\n' || coalesce(f.prosrc, '')
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_proc f ON f.oid = t.tgfoid
WHERE NOT t.tgisinternal AND (t.tgtype & 4) <> 0 AND n.nspname = ANY(%(schemas)s)
ORDER BY 1, t.tgname
"""
# every schema a user made (not PostgreSQL's own, nor an extension's); only those on the
# search_path when it was set (by the URL's options, the database or the role)
_PG_SCHEMAS = """
SELECT n.nspname FROM pg_namespace n
WHERE left(n.nspname, 3) <> 'pg_' AND n.nspname <> 'information_schema'
  AND (current_setting('search_path') = (SELECT boot_val FROM pg_settings WHERE name = 'search_path')
       OR n.nspname = ANY(current_schemas(false)))
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = n.oid AND d.deptype = 'e')
  AND EXISTS (SELECT 1 FROM pg_class c WHERE c.relnamespace = n.oid AND c.relkind IN ('r', 'p'))
ORDER BY n.nspname = current_schema() DESC, n.nspname
"""
_MYSQL_TRIGGERS = """
SELECT EVENT_OBJECT_TABLE, ACTION_STATEMENT FROM information_schema.TRIGGERS
WHERE TRIGGER_SCHEMA = DATABASE() AND EVENT_MANIPULATION = 'INSERT'
ORDER BY EVENT_OBJECT_TABLE, TRIGGER_NAME
"""
_SQLITE_TRIGGERS = "SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY tbl_name, name"
_SQLITE_ON_INSERT = re.compile(r"\bINSERT\s+ON\b", re.IGNORECASE)


def schema_facts(connection: Connection, schemas: Sequence[str] = ()) -> SchemaFacts:
    """The connected database's tables and what reflection misses: on PostgreSQL those of
    ``schemas``, or of every schema a user made, or of those on the search_path when it was
    set (tables outside the default schema keyed ``schema.table``); elsewhere the default
    schema's."""
    dialect = connection.dialect.name
    if dialect != "postgresql":
        metadata = reflect(connection)
        return SchemaFacts(metadata=metadata, dialect=dialect, triggers=_insert_triggers(connection, ()))
    names = list(schemas) or [row[0] for row in connection.exec_driver_sql(_PG_SCHEMAS)]
    default = connection.dialect.default_schema_name
    metadata = reflect(connection, [s for s in names if s != default])
    for table in list(metadata.tables.values()):  # only the named schemas, not those FKs reach
        if (table.schema or default) not in names:
            metadata.remove(table)
    params = {"schemas": names}
    partitions = tuple(
        Partition(name=name, parent=parent, key=key, bound=bound)
        for name, parent, key, bound in connection.exec_driver_sql(_PG_PARTITIONS, params)
    )
    _copy_partition_foreign_keys(metadata, partitions)
    _name_unknown_types(connection, metadata)
    return SchemaFacts(
        metadata=metadata,
        dialect=dialect,
        partitions=partitions,
        triggers=_insert_triggers(connection, names),
    )


def _insert_triggers(connection: Connection, schemas: Sequence[str]) -> tuple[Trigger, ...]:
    dialect = connection.dialect.name
    if dialect == "postgresql":
        rows = connection.exec_driver_sql(_PG_TRIGGERS, {"schemas": list(schemas)}).all()
    elif dialect in ("mysql", "mariadb"):
        rows = connection.exec_driver_sql(_MYSQL_TRIGGERS).all()
    elif dialect == "sqlite":
        rows = [
            r for r in connection.exec_driver_sql(_SQLITE_TRIGGERS) if _SQLITE_ON_INSERT.search(r[1] or "")
        ]
    else:
        return ()
    return tuple(Trigger(table=table, text=text or "") for table, text in rows)


def _name_unknown_types(connection: Connection, metadata: sa.MetaData) -> None:
    """Reflection makes a type SQLAlchemy does not know (``point``, ``xml``, ``cube``) a
    NullType and forgets its name: keep it in the column's ``info['type_name']``."""
    for table in metadata.tables.values():
        unknown = [c for c in table.columns if isinstance(c.type, sa.types.NullType)]
        if not unknown:
            continue
        rows = connection.exec_driver_sql(
            "SELECT attname, format_type(atttypid, NULL) FROM pg_attribute "
            "WHERE attrelid = to_regclass(%(table)s) AND attnum > 0",
            {"table": connection.dialect.identifier_preparer.format_table(table)},
        )
        types = {str(name): str(type_) for name, type_ in rows}
        for column in unknown:
            column.info["type_name"] = types.get(column.name, "")


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
