"""Where table definitions come from: reflection, SQLAlchemy models or a DDL file (I/O)."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from seedspec.catalog import Catalog, ColumnInfo, ForeignKeyInfo, TableInfo
from seedspec.errors import DatabaseError, Diagnostic, Location, SpecInvalid, database_reason, shown_url
from seedspec.language.usercode import ImportTargetError, import_object
from seedspec.limits import read_bounded

_KINDS: tuple[tuple[type, str], ...] = (
    (bool, "bool"),
    (int, "int"),
    (float, "float"),
    (decimal.Decimal, "decimal"),
    (dt.datetime, "datetime"),
    (dt.date, "date"),
    (dt.time, "time"),
    (str, "str"),
    (bytes, "bytes"),
    (uuid.UUID, "uuid"),
    (dict, "json"),
    (list, "json"),
)


def column_kind(type_: sa.types.TypeEngine[object]) -> str:
    """The Python kind of a SQLAlchemy column type (see ``ColumnInfo``)."""
    if isinstance(type_, sa.JSON):
        return "json"
    try:
        python_type = type_.python_type
    except NotImplementedError:
        return "other"
    if isinstance(type_, sa.Numeric) and not isinstance(type_, sa.Float) and python_type is decimal.Decimal:
        return "decimal"
    return next((kind for cls, kind in _KINDS if issubclass(python_type, cls)), "other")


def enum_labels(type_: sa.types.TypeEngine[object]) -> tuple[str, ...]:
    """The labels of an enum type (what the database stores; a model's Python enum stores its
    members' names), empty for any other type."""
    return tuple(str(label) for label in type_.enums) if isinstance(type_, sa.Enum) else ()


def foreign_key_target(fk: sa.ForeignKeyConstraint) -> tuple[str, tuple[str, ...]]:
    """The table a foreign key points at and its columns there, read from the written target
    (``[schema.]table.column``; a table outside the default schema keeps its schema, as
    ``MetaData.tables`` keys it) rather than the resolved column: a model may point at a table
    defined elsewhere, which SQLAlchemy cannot resolve."""
    targets = [_target_tokens(element) for element in fk.elements]
    schema, table = targets[0][0], targets[0][1]
    return (f"{schema}.{table}" if schema else table), tuple(t[2] for t in targets)


def _target_tokens(element: sa.ForeignKey) -> tuple[str | None, str, str]:
    """(schema, table, column): SQLAlchemy 2.1 keeps them apart, so a table named ``"sales.shop"``
    (offline validation's stand-in for a table in a schema) is read right; 2.0 has only the
    dotted string."""
    tokens = getattr(element, "target_tokens", None)
    if tokens is not None:
        return tokens.schema, tokens.table_name, tokens.column_name
    *schema, table, column = element.target_fullname.split(".")
    return ".".join(schema) or None, table, column


def catalog_from_metadata(metadata: sa.MetaData, dialect: str | None = None) -> Catalog:
    """Plain table descriptions for every table of ``metadata`` (in a ``dialect`` database)."""
    return Catalog(
        tables={table.key: _table_info(table) for table in metadata.tables.values()}, dialect=dialect
    )


def _table_info(table: sa.Table) -> TableInfo:
    pk = tuple(c.name for c in table.primary_key.columns)
    autoinc = table.autoincrement_column
    columns = tuple(
        ColumnInfo(
            name=c.name,
            kind=column_kind(c.type),
            nullable=bool(c.nullable) and not c.primary_key,
            primary_key=c.primary_key,
            has_default=c.default is not None
            or c.server_default is not None
            or c is autoinc
            or bool(c.computed)
            or c.identity is not None,
            length=getattr(getattr(c.type, "data_type", c.type), "length", None),  # through a domain
            labels=enum_labels(c.type),
            scale=c.type.scale if column_kind(c.type) == "decimal" else None,  # type: ignore[attr-defined]
        )
        for c in table.columns
    )
    fks = tuple(
        _foreign_key_info(fk)
        for fk in sorted(table.foreign_key_constraints, key=lambda k: [c.name for c in k.columns])
    )
    return TableInfo(
        name=table.key,
        columns=columns,
        primary_key=pk,
        unique=unique_sets(table),
        foreign_keys=fks,
    )


def fixed_width(type_: sa.types.TypeEngine[Any]) -> bool:
    """A blank-padded ``CHAR(n)``, whose shorter values read back padded on PostgreSQL."""
    return isinstance(type_, sa.CHAR | sa.NCHAR) and not isinstance(type_, sa.VARCHAR | sa.NVARCHAR)


def unique_sets(table: sa.Table) -> tuple[tuple[str, ...], ...]:
    """The column sets of the table's unique constraints and unique indexes, in name order."""
    constraints = [k for k in table.constraints if isinstance(k, sa.UniqueConstraint)]
    indexes = [i for i in table.indexes if i.unique]
    found = [tuple(c.name for c in k.columns) for k in sorted(constraints, key=lambda k: str(k.name))]
    found += [tuple(c.name for c in i.columns) for i in sorted(indexes, key=lambda i: str(i.name))]
    found += [(c.name,) for c in table.columns if c.unique]
    return tuple(dict.fromkeys(cols for cols in found if cols))


def _foreign_key_info(fk: sa.ForeignKeyConstraint) -> ForeignKeyInfo:
    target_table, target_columns = foreign_key_target(fk)
    return ForeignKeyInfo(
        columns=tuple(c.name for c in fk.columns),
        target_table=target_table,
        target_columns=target_columns,
        deferrable=bool(fk.deferrable),
    )


def reflect(connection: Connection, schemas: Iterable[str] = ()) -> sa.MetaData:
    """The tables of the connected database's default schema, and of the other ``schemas``
    (keyed ``schema.table``, as the spec names them).

    Raises:
        DatabaseError: E812, a MySQL or MariaDB URL that names no database; E401, the tables
            cannot be read (a file that is not a SQLite database).
    """
    if connection.dialect.name in ("mysql", "mariadb") and not connection.dialect.default_schema_name:
        url = shown_url(connection.engine.url)
        raise DatabaseError(
            Diagnostic(
                code="E812",
                message=f"the URL {url} names no database, so there are no tables to read",
                hint="add the database's name to the URL's path, for example "
                "mysql+pymysql://root@127.0.0.1:3306/shop",
            )
        )
    metadata = sa.MetaData()
    try:
        with warnings.catch_warnings():  # an unknown type is NullType: init names it, once
            warnings.filterwarnings("ignore", "Did not recognize type", sa.exc.SAWarning)
            metadata.reflect(bind=connection)
            default = connection.dialect.default_schema_name
            for schema in dict.fromkeys(schemas):
                if schema != default:
                    metadata.reflect(bind=connection, schema=schema)
        if connection.dialect.name == "sqlite":
            _sqlite_unique_constraints(connection, metadata)
        if connection.dialect.name == "postgresql":
            _pg_domain_sizes(connection, metadata)
    except sa.exc.DBAPIError as exc:  # 'file is not a database', a table it may not read
        url = shown_url(connection.engine.url)
        raise DatabaseError(
            Diagnostic(
                code="E401",
                message=f"cannot read the tables of {url}: {database_reason(exc)}",
                hint="check that the URL names the database (for SQLite, a database file) you mean",
            )
        ) from exc
    return metadata


_PG_DOMAINS = """
SELECT domain_schema, domain_name, character_maximum_length, numeric_precision, numeric_scale, data_type
FROM information_schema.domains
WHERE domain_schema NOT IN ('pg_catalog', 'information_schema')
"""


def _pg_domain_sizes(connection: Connection, metadata: sa.MetaData) -> None:
    """SQLAlchemy reflects ``CREATE DOMAIN "Name" varchar(50)`` as a DOMAIN over a VARCHAR
    without its length (and a NUMERIC without its precision): give the base type its size, so
    drafted values fit and the catalog knows the length."""
    domains = [c.type for t in metadata.tables.values() for c in t.columns if hasattr(c.type, "data_type")]
    if not domains:
        return
    sizes = {(row[0], row[1]): row[2:] for row in connection.exec_driver_sql(_PG_DOMAINS)}
    default = connection.dialect.default_schema_name
    for domain in domains:
        found = sizes.get((getattr(domain, "schema", None) or default, getattr(domain, "name", "")))
        base = domain.data_type
        if found is None:
            continue
        length, precision, scale, data_type = found
        if length is not None and hasattr(base, "length"):
            base.length = length
        elif data_type == "numeric" and precision is not None and isinstance(base, sa.Numeric):
            base.precision, base.scale = precision, scale


def schemas_named(tables: Iterable[object]) -> tuple[str, ...]:
    """The schemas that ``schema.table`` names among ``tables`` point into, in order."""
    return tuple(dict.fromkeys(t.rpartition(".")[0] for t in tables if isinstance(t, str) and "." in t))


def missing_tables(connection: Connection, names: Iterable[str]) -> list[str]:
    """The tables among ``names`` (bare, or ``schema.table``) the database does not have, sorted:
    each looked up in its own schema, not only in the default one."""
    inspector = sa.inspect(connection)
    present: dict[str, set[str]] = {}
    missing = []
    for name in sorted(set(names)):
        schema, _, table = name.rpartition(".")
        if schema not in present:
            present[schema] = set(inspector.get_table_names(schema=schema or None))
        if table not in present[schema]:
            missing.append(name)
    return missing


def _sqlite_unique_constraints(connection: Connection, metadata: sa.MetaData) -> None:
    """SQLAlchemy's SQLite reflection misses some column-level UNIQUEs (``x VARCHAR(9) NOT NULL
    UNIQUE``); SQLite's own index list has every one of them (origin 'u')."""
    for table in metadata.tables.values():
        known = {
            tuple(c.name for c in k.columns) for k in table.constraints if isinstance(k, sa.UniqueConstraint)
        }
        quoted = connection.dialect.identifier_preparer.quote(table.name)
        for index in connection.exec_driver_sql(f"PRAGMA index_list({quoted})").mappings():
            if index["origin"] != "u":
                continue
            name = connection.dialect.identifier_preparer.quote(index["name"])
            info = connection.exec_driver_sql(f"PRAGMA index_info({name})").mappings()
            columns = tuple(row["name"] for row in sorted(info, key=lambda r: r["seqno"]))
            if columns and columns not in known and all(c in table.c for c in columns):
                table.append_constraint(sa.UniqueConstraint(*columns))
                known.add(columns)


def import_metadata(target: str, spec_dir: Path, location: Location | None) -> sa.MetaData:
    """Import ``package.module:Base`` (a declarative base or a MetaData) next to the spec.

    This runs that module's code, as ``import`` does.
    """
    try:
        obj = import_object(target, spec_dir)
    except ImportTargetError as exc:
        raise SpecInvalid(
            Diagnostic(
                code="E320",
                message=exc.describe("table models", target),
                location=location,
                pointer="/tables/models",
                hint=exc.hint,
            )
        ) from exc
    metadata = obj if isinstance(obj, sa.MetaData) else getattr(obj, "metadata", None)
    if not isinstance(metadata, sa.MetaData):
        raise SpecInvalid(
            Diagnostic(
                code="E320",
                message=f"'{target}' is neither a declarative base nor a MetaData",
                location=location,
                pointer="/tables/models",
                hint="point at your DeclarativeBase subclass",
            )
        )
    return metadata


def run_ddl(connection: Connection, path: Path, location: Location | None) -> None:
    """Run a SQL file of CREATE statements on ``connection``."""
    script = read_ddl(path, location)
    try:
        import sqlparse

        # statement by statement, inside the caller's transaction (sqlite3's executescript
        # would commit first)
        for statement in sqlparse.split(script):
            if sqlparse.format(statement, strip_comments=True).strip().strip(";").strip():
                connection.exec_driver_sql(statement)
    except sa.exc.DBAPIError as exc:
        raise DatabaseError(
            Diagnostic(
                code="E402",
                message=f"the DDL file {path.name} failed: {exc.orig}",
                location=location,
                pointer="/tables/ddl",
                hint=f"check that {path.name} is written for {connection.dialect.name}, or name the database "
                "it is written for in tables.dialect",
            )
        ) from exc


def read_ddl(path: Path, location: Location | None) -> str:
    """A DDL file's text: a regular UTF-8 file within the spec size limit (not /dev/zero).

    Raises:
        SpecInvalid: E321, it cannot be read as such.
    """
    try:
        return read_bounded(path)
    except (OSError, ValueError) as exc:  # ValueError: not UTF-8, or a NUL byte in the path
        raise SpecInvalid(
            Diagnostic(
                code="E321",
                message=f"cannot read DDL file {path}: {exc}",
                location=location,
                pointer="/tables/ddl",
                hint="the path is relative to the spec file",
            )
        ) from exc
