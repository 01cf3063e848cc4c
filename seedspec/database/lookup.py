"""Stored rows by lookup key (part of the writer): one query per batch of keys."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from seedspec.database.dialects import dialect_for
from seedspec.generation.rows import Key, Row


class KeyLookup:
    """Finds the stored rows of ``table`` whose ``key`` columns hold given values.

    ``norm`` folds key values where the database compares text without case (MySQL/MariaDB):
    the rows found are then matched by the folded values.
    """

    def __init__(
        self, connection: Connection, table: sa.Table, key: tuple[str, ...], norm: Callable[[Any], Any] | None
    ) -> None:
        self.conn, self.table, self.key, self.norm = connection, table, key, norm
        self._by_keys: dict[tuple[tuple[str, ...], str | None], sa.Select[Any]] = {}
        self.lead = indexed_key_column(table, key)
        self.dialect = dialect_for(connection)

    def find(self, keys: set[Key], wanted: Sequence[str]) -> dict[Key, Row]:
        """The stored rows of ``keys`` (their key columns and the ``wanted`` ones), by key."""
        if not keys:
            return {}
        cols = [self.table.c[c] for c in self.key]
        select_cols = list(dict.fromkeys([*cols, *(self.table.c[c] for c in wanted if c in self.table.c)]))
        names = [c.key for c in select_cols]
        rows: list[Any] = []
        complete = [k for k in keys if None not in k]
        if complete:
            values = self._values(complete)
            statement = self._statement(cols, select_cols, names, values)
            rows.extend(self.conn.execute(statement, {"keys": values}).all())  # fetchall, not a fetch per row
        with_null = [
            sa.and_(*(c.is_(None) if v is None else c == v for c, v in zip(cols, k, strict=True)))
            for k in keys
            if None in k
        ]
        if with_null:
            rows.extend(self.conn.execute(sa.select(*select_cols).where(sa.or_(*with_null))).all())
        return self._matched(rows, keys, names)

    def _matched(self, rows: list[Any], keys: set[Key], names: list[str]) -> dict[Key, Row]:
        """The rows whose key is one of ``keys``, by key (the first of a repeated key)."""
        found: dict[Key, Row] = {}
        width = len(self.key)
        norm = self.norm
        for row in rows:
            key = tuple(norm(v) for v in row[:width]) if norm is not None else tuple(row[:width])
            if key in keys and key not in found:  # by one column of a composite key: its neighbours too
                found[key] = dict(zip(names, row, strict=True))
        return found

    def _statement(
        self,
        cols: list[sa.Column[Any]],
        select_cols: list[sa.Column[Any]],
        names: list[str],
        values: list[Any],
    ) -> sa.Select[Any]:
        """One cached statement per set of columns and way of passing the keys: one array
        parameter where the dialect takes it for these values (``array_of``), else an expanding
        ``IN`` list. A composite key is looked up by a column that leads an index, and matched
        in Python: ``(a, b) IN (...)`` plans far worse (several times slower on PostgreSQL)."""
        lead = self.lead
        position = 0 if len(cols) == 1 else lead
        array = None if position is None else self.dialect.array_of(cols[position].type, values)
        cache_key = (tuple(names), None if array is None else repr(array))
        statement = self._by_keys.get(cache_key)
        if statement is None:
            by = [_comparable(c) for c in cols]
            target = by[0] if len(by) == 1 else by[lead] if lead is not None else sa.tuple_(*by)
            if array is not None and position is not None:
                where = cols[position] == sa.any_(sa.cast(sa.bindparam("keys"), array))
            else:
                where = target.in_(sa.bindparam("keys", expanding=True))
            statement = sa.select(*select_cols).where(where)
            self._by_keys[cache_key] = statement
        return statement

    def _values(self, complete: list[Key]) -> list[Any]:
        if len(self.key) == 1:
            return [k[0] for k in complete]
        return list({k[self.lead] for k in complete}) if self.lead is not None else list(complete)


def indexed_key_column(table: sa.Table, key: Sequence[str]) -> int | None:
    """The position in ``key`` of a column that leads an index, a unique constraint or the
    primary key (so the database can seek on it), if any."""
    leading = {next(iter(index.columns)).name for index in table.indexes if len(index.columns)}
    leading |= {
        next(iter(c.columns)).name
        for c in table.constraints
        if isinstance(c, sa.UniqueConstraint | sa.PrimaryKeyConstraint) and len(c.columns)
    }
    return next((i for i, c in enumerate(key) if c in leading), None)


def _comparable(column: sa.Column[Any]) -> sa.ColumnElement[Any]:
    """The column compared as its domain's base type: SQLAlchemy has no ``IN`` for a PostgreSQL
    DOMAIN (a deprecation warning today, an error in a future release)."""
    base = getattr(column.type, "data_type", None)
    return sa.type_coerce(column, base) if isinstance(base, sa.types.TypeEngine) else column
