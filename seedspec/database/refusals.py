"""A row the database refused, named (part of the writer): E500 locates the row, its field and,
where it can be found, the column at fault."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from seedspec.database.dialects import dialect_for
from seedspec.errors import DatabaseError, Diagnostic
from seedspec.generation.rows import Row
from seedspec.generation.slots import RowSlot
from seedspec.ir import Pending, Step

PREVIEW_CHARS = 300


def refused(
    connection: Connection, table: sa.Table, step: Step, slot: RowSlot, row: Row, error: sa.exc.DBAPIError
) -> DatabaseError:
    """E500 for ``row`` (drawn for ``slot``), which the database refused with ``error``."""
    full = str(error.orig).strip() if error.orig else str(error)
    message = full.splitlines()[0]
    # PostgreSQL names the column on its DETAIL line; SQLite's FK message names none at all
    column = (
        dialect_for(connection).refused_column(full, table.c.keys())
        or checked_column(connection, table, error)
        or dangling_reference(connection, table, row)
    )
    field = next((f for f in slot.fields if f.column == column), None)
    where = f", column '{column}'" if column else ""
    return DatabaseError(
        Diagnostic(
            code="E500",
            pointer=field.pointer if field else step.pointer,
            message=f"the database refused row {slot.ordinal} of step '{step.id}' "
            f"(table '{step.table}'{where}): {message}",
            hint="nothing was written: the whole apply was rolled back; fix the generator or the data "
            f"(row values: {preview(row)})",
        )
    )


def checked_column(connection: Connection, table: sa.Table, error: sa.exc.DBAPIError) -> str | None:
    """The column of the CHECK constraint a refusal names (by its name alone, as PostgreSQL does
    and MySQL/MariaDB and SQLite do for a named one): the column its definition names."""
    dialect = dialect_for(connection)
    name = dialect.refused_constraint(error.orig or error, str(error.orig or error).strip())
    if name is None:
        return None
    checks = [(c.name, str(c.sqltext)) for c in table.constraints if isinstance(c, sa.CheckConstraint)]
    if not any(found == name for found, _ in checks):  # tables from a DDL file or models may lack them
        try:
            with connection.begin_nested():
                reflected = sa.inspect(connection).get_check_constraints(table.name, schema=table.schema)
        except (NotImplementedError, sa.exc.DBAPIError):
            return None
        checks = [(c["name"], c["sqltext"]) for c in reflected]
    text = next((sql for found, sql in checks if found == name), None)
    return None if text is None else dialect.refused_column(text, table.c.keys())


def dangling_reference(connection: Connection, table: sa.Table, row: Row) -> str | None:
    """The first foreign-key column of ``row`` whose value no parent row has."""
    for fk in table.foreign_key_constraints:
        values = [row.get(c.name) for c in fk.columns]
        if any(v is None or isinstance(v, Pending) for v in values) or any(
            c.name not in row for c in fk.columns
        ):
            continue
        parent = [element.column for element in fk.elements]
        match = sa.select(sa.literal(1)).where(*(p == v for p, v in zip(parent, values, strict=True)))
        try:
            with connection.begin_nested():
                if connection.execute(match).first() is None:
                    return next(iter(fk.columns)).name
        except OverflowError:  # a value the driver cannot even send (SQLite: past 64 bits)
            return next(iter(fk.columns)).name
    return None


def preview(row: Row) -> str:
    """The row's values, cut to ``PREVIEW_CHARS``."""
    text = ", ".join(f"{k}={v!r}" for k, v in row.items())
    return text if len(text) <= PREVIEW_CHARS else text[: PREVIEW_CHARS - 3] + "..."
