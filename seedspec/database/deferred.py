"""Deferred columns (part of the writer): refs that break a foreign-key cycle.

A step inserts NULL, or a placeholder where the foreign key check can wait until commit, in a
deferred column; once every row it may refer to exists, the column of exactly the rows the step
created is set by an UPDATE, to the value the ref draws from its own seed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from seedspec.compiler.planfile import row_changes
from seedspec.database.dialects import dialect_for
from seedspec.database.statements import table_of, update_by_key, update_params
from seedspec.errors import DatabaseError, Diagnostic, database_reason
from seedspec.generation.rowmaker import RowMaker
from seedspec.generation.rows import MAX_DIFFS_SHOWN, differs_error
from seedspec.generation.slots import RowSlot, RunState
from seedspec.ir import Plan, Step
from seedspec.outcome import RowDiff, StepReport


@dataclasses.dataclass(slots=True)
class _Noted:
    slot: RowSlot
    row: dict[str, Any]
    stored: dict[str, Any] | None  # None: this run created the row
    differed: bool  # already counted as differing by its step


class DeferredRows:
    """The rows of one step whose deferred columns are still to be set."""

    def __init__(
        self, plan: Plan, step: Step, table: sa.Table, connection: Connection, state: RunState
    ) -> None:
        self.plan, self.step, self.table, self.conn, self.state = plan, step, table, connection, state
        self.columns = tuple(f.column for f in step.deferred_fields)
        self.rows: list[_Noted] = []

    def note(
        self, slot: RowSlot, row: dict[str, Any], stored: dict[str, Any] | None, *, differed: bool
    ) -> None:
        """Remember a row of the step: one it created (``stored`` None) or one it found."""
        self.rows.append(_Noted(slot, row, stored, differed))

    def settle(self, report: StepReport, *, dry_run: bool) -> StepReport:
        """Set the deferred columns (nothing in a dry run); returns ``report`` with the found
        rows whose deferred columns differ counted as differing (and updated, when the factory's
        ``on_existing`` is ``update``)."""
        maker = RowMaker(self.plan, self.step, self.state)
        writes: list[tuple[dict[str, Any], dict[str, Any]]] = []  # (row, its deferred values)
        differing, updated, diffs = 0, 0, list(report.diffs)
        for noted in self.rows:
            fields = [f for f in noted.slot.fields if f.deferred]
            values = {f.column: maker.later(f, noted.slot, {**noted.row}) for f in fields}
            if noted.slot.record is not None:  # templates reading the record see the real value
                self.state.named.get(self.step.factory, {}).get(noted.slot.record, {}).update(values)
            if noted.stored is None:
                if any(values[f.column] != f.placeholder for f in fields):
                    writes.append((noted.row, values))
                continue
            changes = row_changes(values, noted.stored)
            if not changes:
                continue
            if self.step.on_existing == "error":
                raise differs_error(self.step, noted.slot.ordinal, noted.row, changes)
            if not noted.differed:
                differing += 1
                if len(diffs) < MAX_DIFFS_SHOWN:
                    key = tuple(noted.row.get(c) for c in self.step.key)
                    diffs.append(RowDiff(n=noted.slot.ordinal, key=key, changes=changes))
            if self.step.on_existing == "update":
                updated += 0 if noted.differed else 1
                writes.append((noted.row, values))
        if not dry_run:
            self._write(writes)
        self.rows = []
        return dataclasses.replace(
            report,
            differing=report.differing + differing,
            updated=report.updated + updated,
            diffs=tuple(diffs),
        )

    def _write(self, writes: list[tuple[dict[str, Any], dict[str, Any]]]) -> None:
        """One UPDATE per set of columns, rows matched by their lookup key."""
        groups: dict[tuple[str, ...], list[tuple[dict[str, Any], dict[str, Any]]]] = {}
        for row, values in writes:
            groups.setdefault(tuple(values), []).append((row, values))
        for columns, group in groups.items():
            statement = update_by_key(self.table, self.step.key, columns)
            params = [update_params(self.step.key, row, values) for row, values in group]
            try:
                with self.conn.begin_nested():
                    self.conn.execute(statement, params)
            except sa.exc.DBAPIError as exc:
                if exc.connection_invalidated:
                    raise
                raise self._refused(columns, exc) from exc

    def _refused(self, columns: tuple[str, ...], exc: sa.exc.DBAPIError) -> DatabaseError:
        field = next(f for f in self.step.deferred_fields if f.column in columns)
        return DatabaseError(
            Diagnostic(
                code="E510",
                message=f"setting the deferred column{'s' * (len(columns) > 1)} {', '.join(columns)} of "
                f"step '{self.step.id}' (table '{self.step.table}') failed: {database_reason(exc)}",
                pointer=field.pointer,
                hint="nothing was written: the whole apply was rolled back; a deferred ref must pick "
                "rows the column may hold (for a unique column, use pick: round_robin)",
            )
        )


@contextmanager
def checks_at_commit(connection: Connection, metadata: sa.MetaData, plan: Plan) -> Iterator[None]:
    """Let the foreign keys of deferred NOT NULL columns (which hold placeholders for a while) be
    checked at commit: SQLite defers every check for the transaction, PostgreSQL those
    DEFERRABLE constraints; MySQL and MariaDB cannot defer, so their checks are off for the apply
    and every foreign key of the tables written is verified at the end, then the setting restored
    (also on failure)."""
    held = [(s, f.column) for s in plan.steps for f in s.deferred_fields if f.placeholder is not None]
    if not held:
        yield
        return
    foreign_keys = [
        fk
        for step, column in held
        for fk in table_of(metadata, step).foreign_key_constraints
        if column in fk.column_keys
    ]
    tables = [table_of(metadata, s) for s in plan.steps]
    with dialect_for(connection).checks_at_commit(
        connection, foreign_keys, lambda: _verify(connection, tables)
    ):
        yield


def _verify(connection: Connection, tables: list[sa.Table]) -> None:
    """Every foreign key of ``tables`` holds (checked by hand where the database did not)."""
    for table in dict.fromkeys(tables):
        for fk in table.foreign_key_constraints:
            children = [element.parent for element in fk.elements]
            parent = fk.referred_table.alias("parent")  # an alias: a tree refers to its own table
            match = sa.select(sa.literal(1)).select_from(parent)
            match = match.where(*(parent.c[e.column.name] == e.parent for e in fk.elements))
            dangling = connection.execute(
                sa.select(sa.func.count())
                .select_from(table)
                .where(*(c.is_not(None) for c in children), ~match.exists())
            ).scalar()
            if dangling:
                columns = ", ".join(c.name for c in children)
                raise DatabaseError(
                    Diagnostic(
                        code="E511",
                        message=f"{dangling} row{'s' * (dangling != 1)} of table '{table.name}' refer "
                        f"through {columns} to no row of '{fk.referred_table.name}' (foreign key "
                        "checks were off for a cycle)",
                        hint="nothing was written: the whole apply was rolled back; rows seedspec did "
                        "not write may be the cause, or a literal value in the spec",
                    )
                )
