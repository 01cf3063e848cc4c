"""Dump a whole database to plain Python data, for exact before/after comparisons."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

Dump = dict[str, list[tuple[Any, ...]]]


def _sort_key(row: tuple[Any, ...]) -> tuple[tuple[bool, Any], ...]:
    # NULLs sort last in each column, so rows with NULLs still compare.
    return tuple((value is None, value) for value in row)


def dump(url: str) -> Dump:
    """Every table of the database (its default schema) -> its rows, sorted.

    Each row is a tuple of the columns in table order; tables appear by name.
    """
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            metadata = sa.MetaData()
            metadata.reflect(bind=conn)
            return {
                table.name: sorted((tuple(row) for row in conn.execute(sa.select(table))), key=_sort_key)
                for table in sorted(metadata.tables.values(), key=lambda t: t.name)
            }
    finally:
        engine.dispose()
