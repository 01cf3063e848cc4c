"""SQL text for ``seedspec build --format sql``: multi-row INSERTs rendered by SQLAlchemy.

Split from ``formats`` because rendering literals per dialect (JSON as text, bytes as hex,
PostgreSQL sequences realigned) is its own concern; the file formats stay in ``formats``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any, TextIO

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

from seedspec.database.dialects.postgresql import serial_sequence
from seedspec.generation.rows import Row
from seedspec.output.builder import UnwritableValue
from seedspec.output.formats import Columns, Output

ROWS_PER_INSERT = 500


class SqlOutput(Output):
    """INSERT statements for one dialect, with literal values rendered by SQLAlchemy from each
    column's type, several rows each, in one transaction; ``seed.sql`` with a directory.

    PostgreSQL gets, at the end, a ``setval`` of each table's id sequence past the ids written,
    so later inserts do not clash; SQLite and MySQL continue after the highest id by themselves.
    """

    def __init__(
        self,
        columns: Columns,
        directory: Path | None,
        stream: TextIO | None,
        part: str | None = None,
        *,
        dialect: str,
        notes: Sequence[str] = (),
    ) -> None:
        super().__init__(columns, directory, stream, part)
        self.renderer = SqlRenderer(dialect)
        self.target: IO[str] = self.files.create("seed.sql") if self.files else _present(stream)
        self.counted: dict[str, sa.Table] = {}  # PostgreSQL: tables whose id sequence must move on
        for note in notes:
            self.target.write(f"-- {note}\n")
        self.target.write("BEGIN;\n")

    def write(self, table: sa.Table, rows: list[Row]) -> None:
        for start in range(0, len(rows), ROWS_PER_INSERT):
            self.target.write(self.renderer.insert(table, rows[start : start + ROWS_PER_INSERT]))
        if table.autoincrement_column is not None and self.renderer.dialect.name == "postgresql":
            self.counted.setdefault(table.name, table)

    def close(self) -> tuple[Path, ...]:
        for table in self.counted.values():
            self.target.write(self.renderer.realign_ids(table))
        self.target.write("COMMIT;\n")
        return super().close()


def _present(stream: TextIO | None) -> TextIO:
    assert stream is not None, "an output without a directory needs a stream"
    return stream


class SqlRenderer:
    """SQL text for one dialect, values inlined as literals of their columns' types."""

    def __init__(self, dialect: str) -> None:
        self.dialect = sql_dialect(dialect)
        self._tables: dict[tuple[str, tuple[str, ...]], sa.TableClause] = {}

    def insert(self, table: sa.Table, rows: list[Row]) -> str:
        """One multi-row INSERT of ``rows`` (which all set the same columns)."""
        names = tuple(c.name for c in table.columns if c.name in rows[0])
        target = self._target(table, names)
        values = [{c: self._literal(table.c[c], row[c]) for c in names} for row in rows]
        try:
            return self._text(sa.insert(target).values(values))
        except sa.exc.CompileError as exc:
            raise UnwritableValue(self._culprit(target, values), str(exc).splitlines()[0]) from exc

    def _culprit(self, target: sa.TableClause, values: list[Row]) -> str:
        """The first column with a value that has no literal (the error does not say which)."""
        for row in values:
            for name, value in row.items():
                try:
                    self._text(sa.select(sa.literal(value, target.c[name].type)))
                except sa.exc.CompileError:
                    return name
        return next(iter(values[0]))

    def realign_ids(self, table: sa.Table) -> str:
        """PostgreSQL: move the id sequence of ``table`` past its highest id (as apply does)."""
        column = table.autoincrement_column
        assert column is not None
        sequence = serial_sequence(table, column.name, self.dialect)
        return self._text(sa.select(sa.func.setval(sequence, sa.func.max(column))).select_from(table))

    def _text(self, statement: sa.ClauseElement) -> str:
        compiled = statement.compile(dialect=self.dialect, compile_kwargs={"literal_binds": True})
        return f"{compiled};\n"

    def _target(self, table: sa.Table, names: tuple[str, ...]) -> sa.TableClause:
        """A bare table of these columns: no defaults for SQLAlchemy to add, JSON as text."""
        target = self._tables.get((table.fullname, names))
        if target is None:
            columns = [sa.column(c, sa.Text() if _is_json(table.c[c]) else table.c[c].type) for c in names]
            target = self._tables[table.fullname, names] = sa.table(table.name, *columns, schema=table.schema)
        return target

    def _literal(self, column: sa.Column[Any], value: Any) -> Any:
        if _is_json(column):  # SQLAlchemy has no JSON literals: the text it would bind
            none_as_null = getattr(column.type, "none_as_null", False)
            return None if value is None and none_as_null else json.dumps(value)
        if isinstance(value, bytes):
            hexed = value.hex()
            text = f"'\\x{hexed}'" if self.dialect.name == "postgresql" else f"X'{hexed}'"
            return sa.literal_column(text)
        return value


def _is_json(column: sa.Column[Any]) -> bool:
    return isinstance(column.type, sa.JSON)


def sql_dialect(name: str) -> Dialect:
    """A SQLAlchemy dialect to render SQL text for (no driver needed)."""
    from sqlalchemy.dialects.mysql.base import MySQLDialect
    from sqlalchemy.dialects.mysql.mariadb import MariaDBDialect
    from sqlalchemy.dialects.postgresql.base import PGDialect
    from sqlalchemy.dialects.sqlite.base import SQLiteDialect

    kinds: dict[str, Callable[..., Dialect]] = {
        "sqlite": SQLiteDialect,
        "postgresql": PGDialect,
        "mysql": MySQLDialect,
        "mariadb": MariaDBDialect,
    }
    # named parameters: pyformat drivers would double every % of the rendered literals
    return kinds[name](paramstyle="named")
