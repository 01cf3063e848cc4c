"""Dump a whole database to plain Python data, for exact before/after comparisons."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import sqlalchemy as sa

Dump = dict[str, list[tuple[Any, ...]]]
T = TypeVar("T")


def _sort_key(row: tuple[Any, ...]) -> tuple[tuple[bool, Any], ...]:
    # NULLs sort last in each column, so rows with NULLs still compare.
    return tuple((value is None, value) for value in row)


def _each_table(url: str, read: Callable[[sa.Connection, sa.Table], T]) -> dict[str, T]:
    """``read`` of every table of the database (its default schema), tables by name."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            metadata = sa.MetaData()
            metadata.reflect(bind=conn)
            return {t.name: read(conn, t) for t in sorted(metadata.tables.values(), key=lambda t: t.name)}
    finally:
        engine.dispose()


def dump(url: str) -> Dump:
    """Every table of the database (its default schema) -> its rows, sorted.

    Each row is a tuple of the columns in table order; tables appear by name.
    """
    return _each_table(
        url, lambda conn, table: sorted((tuple(row) for row in conn.execute(sa.select(table))), key=_sort_key)
    )


def records(url: str) -> dict[str, list[dict[str, Any]]]:
    """Every table of the database -> its rows as ``{column: value}``, in primary key order."""
    return _each_table(
        url,
        lambda conn, table: [
            dict(row._mapping) for row in conn.execute(sa.select(table).order_by(*table.primary_key))
        ],
    )
