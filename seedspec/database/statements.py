"""The SQL the walk's database side shares: keyed UPDATEs and a plan's tables by name.

Generation never touches the database; what it needs of a table it gets as a ``TableShape``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa

from seedspec.database.tables import fixed_width
from seedspec.generation.rows import Row, TableShape
from seedspec.ir import Step


def table_shape(table: sa.Table) -> TableShape:
    """The columns and primary key of ``table``, and its blank-padded ``CHAR(n)`` columns, as the
    walk reads them."""
    return TableShape(
        columns=tuple(table.c.keys()),
        primary_key=tuple(table.primary_key.columns.keys()),
        padded=tuple(c.key for c in table.columns if fixed_width(getattr(c.type, "data_type", c.type))),
    )


def update_by_key(table: sa.Table, key: tuple[str, ...], columns: Iterable[str]) -> sa.Update:
    """An UPDATE of ``columns`` of the row whose lookup ``key`` matches, for executemany with
    ``update_params``. Binds are named apart from columns: SQLAlchemy reserves those for SET."""
    return (
        table.update()
        .where(*(table.c[k] == sa.bindparam(f"key_{k}") for k in key))
        .values({c: sa.bindparam(f"new_{c}") for c in columns})
    )


def update_params(key: tuple[str, ...], row: Row, values: Mapping[str, Any]) -> Row:
    """The parameters of ``update_by_key`` for one row: its key, and the new ``values``."""
    return {**{f"key_{k}": row[k] for k in key}, **{f"new_{c}": v for c, v in values.items()}}


def table_of(metadata: sa.MetaData, step: Step) -> sa.Table:
    """The table a step writes."""
    return table_named(metadata, step.table)


def table_named(metadata: sa.MetaData, name: str) -> sa.Table:
    """A table by its key in ``metadata``, else by its bare name (a table in a schema)."""
    table = metadata.tables.get(name)
    return table if table is not None else next(t for t in metadata.tables.values() if t.name == name)
