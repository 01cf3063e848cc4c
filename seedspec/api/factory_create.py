"""A factory's rows created in a database: its compiled step applied as ``apply`` applies one,
its refs picking among the rows already stored in their parents' tables (a ref never creates a
parent), the rows read back as stored.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from seedspec.api.factory_checks import definition, factory_diagnostic, table_of
from seedspec.api.pipeline import require_tables
from seedspec.database.statements import table_named
from seedspec.database.writer import apply_plan
from seedspec.errors import DatabaseError, SpecInvalid
from seedspec.generation.pools import Pool, PoolRow
from seedspec.generation.slots import RunState
from seedspec.ir import Field, Literal, Plan, Ref, Step
from seedspec.outcome import StepReport
from seedspec.source import pointer
from seedspec.spec.loader import LoadedSpec

Row = dict[str, Any]


def unreferenced(f: Field) -> Field:
    """A ref field with no parent row to point at: None (``make`` has no database, ``create`` an
    empty parent table), also where it breaks a cycle (not its placeholder)."""
    if not isinstance(f.generator, Ref):
        return f
    return dataclasses.replace(f, generator=Literal(value=None), deferred=False, placeholder=None)


def create_rows(
    spec: LoadedSpec,
    name: str,
    plan: Plan,
    *,
    connection: Connection,
    metadata: sa.MetaData,
    state: RunState,
) -> tuple[list[Row], StepReport]:
    """Apply ``plan`` (the one step of the factory ``name``) on ``connection`` with the factory's
    generation ``state``; returns the rows as stored, every column of the table included, and
    the step's report (the caller refuses rows found stored: see ``Factory.create``).

    Raises:
        SpecInvalid: E724, a ref names a record.
        DatabaseError: E404 a table is missing, E723 a ref's parent table is empty (and the ref
            cannot stay NULL), or the database refused a row.
    """
    (step,) = plan.steps
    require_tables(plan, connection)
    table = table_named(metadata, step.table)
    state.pools[name] = Pool()
    pool_columns = dict(plan.pool_columns)
    stored: dict[str, bool] = {}  # parent factory -> whether its table has rows
    for f in step.fields:
        gen = f.generator
        if not isinstance(gen, Ref):
            continue
        if gen.factory not in stored:
            _refuse_record(spec, name, gen, f)
            parent = table_named(metadata, table_of(spec, gen.factory))
            columns = pool_columns[gen.factory]
            stored[gen.factory] = _fill_pool(connection, parent, gen.factory, columns, state)
        if not stored[gen.factory] and not _stays_null(f):
            raise _no_parents(spec, name, gen, f, table_named(metadata, table_of(spec, gen.factory)))
    empty = {parent for parent, has_rows in stored.items() if not has_rows}
    fields = tuple(unreferenced(f) if _refers_to(f, empty) else f for f in step.fields)
    step = dataclasses.replace(step, fields=fields)
    pool_columns[name] = tuple(table.columns.keys())
    plan = dataclasses.replace(plan, steps=(step,), pool_columns=tuple(sorted(pool_columns.items())))
    (report,) = apply_plan(plan, connection, metadata, workers=0, state=state).steps
    count = step.count
    rows = [dict(row.values) for row in state.pools[name].rows(-count)] if count else []
    return (_reread(connection, table, step, rows) if step.deferred_fields else rows), report


def stored_rows(connection: Connection, metadata: sa.MetaData, table: str) -> int:
    """How many rows ``table`` holds: where a factory's numbering moves on to, past a seed."""
    return int(
        connection.execute(sa.select(sa.func.count()).select_from(table_named(metadata, table))).scalar_one()
    )


def keys_taken(spec: LoadedSpec, name: str, step: Step, tries: int) -> DatabaseError:
    """E726: every numbering a factory tried drew the key of a row already stored."""
    key = ", ".join(step.key)
    return DatabaseError(
        factory_diagnostic(
            spec,
            "E726",
            f"factory '{name}': the rows it drew have the key ({key}) of rows already stored, "
            f"in each of {tries} numberings tried; a factory never returns a row it did not create",
            pointer("factories", name, "key")
            if "key" in definition(spec, name)
            else pointer("factories", name),
            "override the key with a value no stored row has (create(conn, "
            f"{step.key[0]}=...)), or draw the key from n, a sequence or unique Faker values",
        )
    )


def _refuse_record(spec: LoadedSpec, name: str, ref: Ref, f: Field) -> None:
    """A ref to a named record cannot be followed: a factory has no seed steps to name rows."""
    if ref.record is None:
        return
    raise SpecInvalid(
        factory_diagnostic(
            spec,
            "E724",
            f"factory '{name}' refers to the named record '{ref.factory}.{ref.record}', "
            "which a factory cannot find",
            f.pointer,
            "pass the column as an override, e.g. create(conn, <column>=row['id']) with a row "
            "you created or looked up",
        )
    )


def _fill_pool(
    connection: Connection, parent: sa.Table, factory: str, columns: tuple[str, ...], state: RunState
) -> bool:
    """The rows of a ref's parent table, as the pool a ref picks from (in primary key order);
    whether there are any."""
    pk = list(parent.primary_key.columns) or [parent.c[c] for c in columns]
    query = sa.select(*(parent.c[c] for c in columns)).order_by(*pk)
    rows = connection.execute(query).all()
    state.pools[factory] = Pool(
        PoolRow(f"{factory}@{i}", dict(zip(columns, row, strict=True))) for i, row in enumerate(rows)
    )
    return bool(rows)


def _no_parents(spec: LoadedSpec, name: str, ref: Ref, f: Field, parent: sa.Table) -> DatabaseError:
    held = " (it breaks a foreign-key cycle, but the column is NOT NULL)" if f.deferred else ""
    return DatabaseError(
        factory_diagnostic(
            spec,
            "E723",
            f"factory '{name}' refers to '{ref.factory}', but table '{parent.name}' "
            f"has no rows to point at{held}",
            f.pointer,
            f"create the parent first (factory(spec, '{ref.factory}').create(...)) or apply "
            f"the spec, or pass {f.column}=<{parent.name}.{ref.column} of a stored row> as an override; "
            "a ref never creates parents",
        )
    )


def _refers_to(f: Field, factories: set[str]) -> bool:
    return isinstance(f.generator, Ref) and f.generator.factory in factories


def _stays_null(f: Field) -> bool:
    """Whether a ref with no parent rows may be left NULL: it breaks a cycle on a nullable column."""
    return f.deferred and f.placeholder is None


def _reread(connection: Connection, table: sa.Table, step: Step, rows: list[Row]) -> list[Row]:
    """``rows`` as stored now, looked up by key: their deferred columns were set after the insert."""
    key = [table.c[c] for c in step.key]
    return [
        dict(connection.execute(sa.select(table).where(*(c == row[c.key] for c in key))).one()._mapping)
        for row in rows
    ]
