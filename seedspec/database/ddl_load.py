"""A DDL file with a declared dialect (``tables: {ddl: ..., dialect: ...}``), run on a database
of that dialect as written, on another one translated (``ddl_translate``), and read offline into
table definitions without a database of its own (I/O)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from seedspec.database import ddl, tables
from seedspec.database.ddl_translate import Translation, translate
from seedspec.database.ddl_types import reflected
from seedspec.errors import DatabaseError, Diagnostic, Location, SpecInvalid


def target_of(connection: Connection) -> str:
    """The connected database as a key of ``ddl.DDL_DIALECTS``.

    Raises:
        SpecInvalid: E329, a database seedspec cannot write DDL for.
    """
    name = connection.dialect.name
    if name not in ddl.DDL_DIALECTS:
        raise SpecInvalid(
            Diagnostic(
                code="E329",
                message=f"seedspec cannot write DDL for {name}",
                pointer="/tables/dialect",
                hint="write the DDL file for that database and remove tables.dialect",
            )
        )
    return name


def run(connection: Connection, path: Path, dialect: str, location: Location | None) -> None:
    """Run the DDL file ``path``, written for ``dialect``, on ``connection``; translated when the
    database is another one.

    Raises:
        SpecInvalid: E321, the file cannot be read; E329, a statement cannot be read or written
            for this database.
        DatabaseError: E402 at the statement the database refused.
    """
    target = target_of(connection)
    if ddl.DDL_DIALECTS[target] == ddl.DDL_DIALECTS.get(dialect):
        tables.run_ddl(connection, path, location)
        return
    _execute(connection, _translated(path, dialect, target, location, standin=False), path)


def offline_metadata(path: Path, dialect: str, location: Location | None) -> sa.MetaData:
    """The tables of the DDL file ``path``, written for ``dialect``, without its database: the
    file is translated into an in-memory SQLite database, reflected, and the facts SQLite cannot
    hold put back on the columns (filled by the database; enum labels)."""
    engine = sa.create_engine("sqlite://")
    try:
        with engine.connect() as connection:
            if dialect == "sqlite":
                tables.run_ddl(connection, path, location)
                return tables.reflect(connection)
            translation = _translated(path, dialect, "sqlite", location, standin=True)
            _execute(connection, translation, path)
            return _annotated(tables.reflect(connection), translation)
    finally:
        engine.dispose()


def _translated(
    path: Path, dialect: str, target: str, location: Location | None, *, standin: bool
) -> Translation:
    if dialect not in ddl.DDL_DIALECTS:  # the schema says so too (E203); this keeps the reading safe
        known = ", ".join(ddl.DDL_DIALECTS)
        raise ddl.unreadable(str(path), 1, f"seedspec reads DDL written for {known}, not {dialect!r}", "")
    script = tables.read_ddl(path, location)
    return translate(ddl.parse(script, str(path), dialect), target, standin=standin)


def _execute(connection: Connection, translation: Translation, path: Path) -> None:
    for line, statement in translation.statements:
        try:
            connection.exec_driver_sql(statement)
        except sa.exc.DBAPIError as exc:
            raise DatabaseError(
                Diagnostic(
                    code="E402",
                    message=f"the DDL statement failed on {connection.dialect.name}: {exc.orig}",
                    location=Location(file=str(path), line=line, column=1),
                    pointer="/tables/ddl",
                    hint=f"seedspec ran it as: {statement}",
                )
            ) from exc


def _annotated(metadata: sa.MetaData, translation: Translation) -> sa.MetaData:
    """``metadata`` with the columns the database fills marked so (``FetchedValue``), the others
    not (SQLite's numbering of an integer primary key is SQLite's own), enum columns typed with
    their labels, and UUID columns as UUIDs."""
    for table in metadata.tables.values():  # SQLite numbers an INTEGER PRIMARY KEY; the others do not
        for key in table.primary_key.columns:
            if (table.name, key.name) not in translation.filled:
                key.autoincrement = False
    for table_name, column_name in translation.filled:
        filled = _column(metadata, table_name, column_name)
        if filled is not None and filled.server_default is None:
            filled.server_default = sa.FetchedValue()
    for (table_name, column_name), labels in translation.enums.items():
        column = _column(metadata, table_name, column_name)
        if column is not None:
            column.type = cast(
                "sa.types.TypeEngine[object]", sa.Enum(*labels, name=f"{table_name}_{column_name}")
            )
    for (table_name, column_name), type_name in translation.untyped.items():
        column = _column(metadata, table_name, column_name)
        if column is not None:
            column.type, named = reflected(type_name)
            if named is not None:
                column.info["type_name"] = named
    for table_name, column_name in translation.uuids:
        column = _column(metadata, table_name, column_name)
        if column is not None:
            column.type = cast("sa.types.TypeEngine[object]", UuidText())
    return metadata


class UuidText(sa.types.TypeDecorator[uuid.UUID]):
    """A UUID column of a DDL read offline: UUIDs, written as the 36-character text the column
    holds on SQLite (where the translation makes it ``TEXT(36)``), so ``build`` writes what
    ``apply`` writes there (SQLAlchemy's ``Uuid`` would write 32 hex digits)."""

    impl = sa.String(36)
    cache_ok = True

    @property
    def python_type(self) -> type[uuid.UUID]:
        return uuid.UUID

    def process_bind_param(self, value: Any, dialect: sa.Dialect) -> str | None:
        return None if value is None else str(value)

    def process_literal_param(self, value: Any, dialect: sa.Dialect) -> str:
        return str(value)  # NULL is rendered without asking the type

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> uuid.UUID | None:
        return None if value is None else uuid.UUID(str(value))


def _column(metadata: sa.MetaData, table: str, column: str) -> sa.Column[object] | None:
    found = metadata.tables.get(table)
    return None if found is None else found.columns.get(column)
