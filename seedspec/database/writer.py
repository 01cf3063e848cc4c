"""Apply: the only writer. Batches of rows are first-or-created by their lookup key.

The same machinery runs read-only for ``plan`` against a live database (``dry_run``): rows that
would be created get placeholder ids, so later steps can still be counted without writing.
"""

from __future__ import annotations

import contextlib
import dataclasses
import re
import time
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from seedspec.database.bulkinsert import DriverInsert, SqliteIds
from seedspec.database.deferred import DeferredRows, checks_at_commit
from seedspec.database.hooks import HookRunner
from seedspec.database.pgcopy import CopyRefused, CopyStream, CopyWriter, quick_handoffs
from seedspec.database.statements import table_of, table_shape, update_by_key, update_params
from seedspec.errors import DatabaseError, Diagnostic, database_reason
from seedspec.generation.prefetch import Prefetcher, default_workers
from seedspec.generation.rows import Key as _Key
from seedspec.generation.rows import Progress, column_groups
from seedspec.generation.rows import Row as _Row
from seedspec.generation.slots import RowSlot, RunState
from seedspec.generation.walk import StepRun
from seedspec.ir import Pending, Plan, Report, Step, StepReport

__all__ = ["Progress", "apply_plan"]


def apply_plan(
    plan: Plan,
    connection: Connection,
    metadata: sa.MetaData,
    *,
    progress: Progress | None = None,
    dry_run: bool = False,
    workers: int | None = None,
    state: RunState | None = None,
) -> Report:
    """Create every missing row of the plan on ``connection`` (the caller owns the transaction).

    With ``dry_run`` nothing is written: the report says what applying would do. ``workers``
    processes draw Faker values ahead (default: one per core; 0 draws everything here); the rows
    are the same either way. A ``state`` given carries pools, sequences and unique values in and
    out (a factory's ``create``); by default the run starts afresh.
    """
    state = RunState() if state is None else state
    reports: list[StepReport] = []
    settle_after = plan.deferred_updates()  # step id -> the steps whose deferred columns are set then
    waiting: dict[str, tuple[int, DeferredRows]] = {}
    prefetcher = Prefetcher(default_workers() if workers is None else workers)
    try:
        with checks_at_commit(connection, metadata, plan):
            for step in plan.steps:
                table = table_of(metadata, step)
                started = time.perf_counter()
                try:
                    run = _DatabaseStep(plan, step, table, connection, state, dry_run, prefetcher)
                    report = run.run(progress)
                    if report.created and not dry_run:
                        _after_bulk_load(connection, table, step, report.created)
                    reports.append(dataclasses.replace(report, seconds=time.perf_counter() - started))
                    if run.deferred is not None:
                        waiting[step.id] = (len(reports) - 1, run.deferred)
                    for later in settle_after.get(step.id, ()):
                        i, rows = waiting.pop(later.id)
                        settling = time.perf_counter()  # the UPDATE counts in its step's time
                        settled = rows.settle(reports[i], dry_run=dry_run)
                        spent = time.perf_counter() - settling
                        reports[i] = dataclasses.replace(settled, seconds=settled.seconds + spent)
                except sa.exc.DBAPIError as exc:  # not a refused row (those are located): server or link
                    raise _database_failed(exc, step) from exc
    finally:
        prefetcher.close()
    url = connection.engine.url.render_as_string(hide_password=True)
    return Report(spec=plan.spec, database=url, steps=tuple(reports), dry_run=dry_run)


def _database_failed(exc: sa.exc.DBAPIError, step: Step) -> DatabaseError:
    reason = database_reason(exc)
    return DatabaseError(
        Diagnostic(
            code="E403",
            message=f"the database failed during apply, in step '{step.id}' (table {step.table}): {reason}",
            pointer=step.pointer,
            hint="nothing was written: the whole apply was rolled back",
        )
    )


ANALYZE_AFTER = 1000  # rows created in one step


def _after_bulk_load(connection: Connection, table: sa.Table, step: Step, created: int) -> None:
    """PostgreSQL housekeeping: realign sequences past explicit ids, refresh planner statistics."""
    if connection.dialect.name != "postgresql":
        return
    preparer = connection.dialect.identifier_preparer
    for column in table.primary_key.columns:
        if column.name in step.all_columns and column.type.python_type is int:
            # serial and identity columns both own a sequence; setval keeps the next id past ours
            sequence = sa.func.pg_get_serial_sequence(preparer.format_table(table), column.name)
            highest = sa.select(sa.func.max(column)).scalar_subquery()
            # setval is strict: a column without a sequence gives NULL, not an error
            connection.execute(sa.select(sa.func.setval(sequence, sa.func.coalesce(highest, 1))))
    if created >= ANALYZE_AFTER:
        # right after a bulk load the planner has no statistics and key lookups turn into scans
        connection.exec_driver_sql(f"ANALYZE {preparer.format_table(table)}")


class _DatabaseStep(StepRun):
    """Applies one step to a database: rows are looked up by key and inserted in batches."""

    def __init__(
        self,
        plan: Plan,
        step: Step,
        table: sa.Table,
        connection: Connection,
        state: RunState,
        dry_run: bool,
        prefetcher: Prefetcher,
    ) -> None:
        self.conn = connection
        self.hooks = HookRunner(step, table, connection) if step.after_create and not dry_run else None
        self.deferred = DeferredRows(plan, step, table, connection, state) if step.deferred_fields else None
        self.table = table
        super().__init__(
            plan,
            step,
            table_shape(table),
            state,
            prefetcher,
            dialect=connection.dialect.name,
            dry_run=dry_run,
            hook_columns=self.hooks.columns if self.hooks else (),
        )
        self._by_keys: dict[tuple[str, ...], sa.Select[Any]] = {}
        self._lead = self._indexed_key_column()
        self.copier = None if dry_run else CopyWriter.of(connection, table)
        self.inserter = DriverInsert(connection, table)
        self.rowids = None if dry_run else SqliteIds.of(connection, table)
        # a COPY may run while the next batch is drawn, unless something reads the rows at once
        self.background = self.copier is not None and self.hooks is None and self.deferred is None
        self.in_flight: _InFlight | None = None

    def run(self, progress: Progress | None) -> StepReport:
        try:
            with quick_handoffs() if self.background else contextlib.nullcontext():
                return super().run(progress)
        except BaseException:
            if self.in_flight is not None:  # the apply fails: the transaction goes, the COPY with it
                self.in_flight.stream.join()
                self.in_flight = None
            raise

    def _settle(self) -> None:
        self._sync()

    def _sync(self) -> None:
        """Wait for the COPY in flight, before the connection is used again. One the database
        refused is rolled back, and its rows inserted with the ids already handed out: the INSERT
        then names the row at fault."""
        flight, self.in_flight = self.in_flight, None
        if flight is None:
            return
        unwritten = flight.stream.wait()  # raises when the connection is lost
        if unwritten is not None:
            for group, reserved in flight.parts[unwritten - flight.first :]:
                self._insert_reserved(group, reserved)

    def _joins_flight(self, rows: list[_Row], filled: list[str]) -> bool:
        """Whether ``rows`` can go to the COPY thread still running: they need no ids (reserving
        them would use the connection) and set the same columns (its stream holds back this
        process when too many batches wait to be written)."""
        flight = self.in_flight
        return flight is not None and not filled and not flight.filled and flight.columns == tuple(rows[0])

    def _noted(self, slot: RowSlot, row: _Row, stored: _Row | None, *, differed: bool) -> None:
        if self.deferred is not None:
            self.deferred.note(slot, row, stored, differed=differed)

    def _has_rows(self) -> bool:
        self._sync()
        return (
            self.conn.execute(sa.select(sa.literal(1)).select_from(self.table).limit(1)).first() is not None
        )

    def _stored_values(self, column: str, values: set[Any]) -> set[Any]:
        if not values:
            return set()
        self._sync()
        col = self.table.c[column]
        return set(self.conn.execute(sa.select(col).where(col.in_(values))).scalars())

    def _lookup(self, keys: set[_Key]) -> dict[_Key, _Row]:
        """Stored rows by key; one query per batch. Keys holding a pending id cannot exist yet."""
        if self.dry_run:
            keys = {k for k in keys if not any(isinstance(v, Pending) for v in k)}
        if not keys:
            return {}
        self._sync()
        cols = [self.table.c[c] for c in self.step.key]
        select_cols = list(
            dict.fromkeys([*cols, *(self.table.c[c] for c in self.wanted if c in self.table.c)])
        )
        names = [c.key for c in select_cols]
        rows: list[Any] = []
        complete = [k for k in keys if None not in k]
        if complete:  # one cached statement: the key list is an expanding parameter
            # A composite key is looked up by a column that leads an index, and matched here:
            # `(a, b) IN (...)` plans far worse (several times slower on PostgreSQL).
            lead = self._lead
            statement = self._by_keys.get(tuple(names))
            if statement is None:
                target = cols[0] if len(cols) == 1 else cols[lead] if lead is not None else sa.tuple_(*cols)
                statement = sa.select(*select_cols).where(target.in_(sa.bindparam("keys", expanding=True)))
                self._by_keys[tuple(names)] = statement
            if len(cols) == 1:
                values: list[Any] = [k[0] for k in complete]
            else:
                values = list({k[lead] for k in complete}) if lead is not None else complete
            rows.extend(self.conn.execute(statement, {"keys": values}).all())
        with_null = [
            sa.and_(*(c.is_(None) if v is None else c == v for c, v in zip(cols, k, strict=True)))
            for k in keys
            if None in k
        ]
        if with_null:
            rows.extend(self.conn.execute(sa.select(*select_cols).where(sa.or_(*with_null))).all())
        found: dict[_Key, _Row] = {}
        width = len(cols)
        for row in rows:
            key = tuple(self._norm(v) for v in row[:width]) if self.casefold else tuple(row[:width])
            if key in keys:  # a lookup by one column of a composite key finds its neighbours too
                found.setdefault(key, dict(zip(names, row, strict=True)))
        return found

    def _indexed_key_column(self) -> int | None:
        """The position in the key of a column that leads an index, a unique constraint or the
        primary key (so the database can seek on it), if any."""
        leading = {next(iter(index.columns)).name for index in self.table.indexes if len(index.columns)}
        leading |= {
            next(iter(c.columns)).name
            for c in self.table.constraints
            if isinstance(c, sa.UniqueConstraint | sa.PrimaryKeyConstraint) and len(c.columns)
        }
        return next((i for i, c in enumerate(self.step.key) if c in leading), None)

    def _create(self, missing: list[tuple[RowSlot, _Row]]) -> dict[_Key, _Row]:
        """Insert the missing rows; returns them as stored (with generated ids), by key."""
        if self.dry_run:
            pk = self.table.primary_key.columns.keys()
            return {
                self._key(row): {c: Pending(f"{self.step.id}:{s.local_id}") for c in pk} for s, row in missing
            }
        returned: dict[_Key, _Row] = {}
        raced: set[_Key] = set()  # rows another writer created meanwhile: found, not created
        groups = column_groups(missing)
        for group in groups:
            rows = [row for _, row in group]
            filled = [c for c in self.wanted if c not in rows[0] and c in self.table.c]
            copied = self._copied(group, filled)
            if copied is not None:
                returned.update(copied)
                continue
            self._sync()  # nothing else uses the connection while COPYs are written
            try:
                with self.conn.begin_nested():
                    if self.rowids is not None and filled == [self.rowids.column]:
                        returned.update(self._insert_with_ids(rows, self.rowids))
                    else:
                        returning = any(c not in rows[0] for c in self.wanted)
                        returned.update(self._insert(rows, returning=returning))
            except sa.exc.DBAPIError as exc:
                if exc.connection_invalidated:  # the link died, no row was refused
                    raise
                raced |= self._insert_one_by_one(group)
        unresolved = {
            key
            for group in groups
            if any(c not in group[0][1] for c in self.wanted)  # the rows of a group share their columns
            for _, row in group
            if (key := self._key(row)) not in returned
        }
        stored = {**returned, **self._lookup(unresolved)} if unresolved else returned
        if self.hooks is not None:
            created = [(row, self._key(row)) for _, row in missing]
            self.hooks.run([{**row, **stored.get(key, {})} for row, key in created if key not in raced])
        return stored

    def _copied(self, group: list[tuple[RowSlot, _Row]], filled: list[str]) -> dict[_Key, _Row] | None:
        """COPY the rows where the database allows (PostgreSQL), in a SAVEPOINT; returns the values
        the database filled in, by key. None when COPY cannot be used or was refused: nothing of
        it remains, and the INSERT path writes the rows (or finds the row refused). In the
        background, the COPY is still running when this returns: see ``_sync``."""
        rows = [row for _, row in group]
        if self.copier is None or not self.copier.can_copy(tuple(rows[0]), filled):
            return None
        flight = self.in_flight
        if flight is not None and self._joins_flight(rows, filled):
            self.copier.more(flight.stream, rows)
            flight.parts.append((group, [{}] * len(rows)))
            flight.forget_written()
            return {}
        self._sync()  # one COPY thread at a time
        savepoint = self.conn.begin_nested()
        try:
            if self.background:  # ids reserved here; each COPY in a SAVEPOINT of the stream's own
                reserved, statement, values = self.copier.prepared(rows, filled)
                savepoint.commit()
                stream = self.copier.stream(statement, values)
                self.in_flight = _InFlight(stream, tuple(rows[0]), bool(filled), [(group, reserved)])
            else:
                reserved = self.copier.copy(rows, filled)
                savepoint.commit()
        except (CopyRefused, sa.exc.DBAPIError) as exc:
            savepoint.rollback()
            if isinstance(exc, sa.exc.DBAPIError) and exc.connection_invalidated:
                raise
            return None
        except BaseException:
            savepoint.rollback()
            raise
        if not filled:
            return {}
        return {self._key(row): ids for row, ids in zip(rows, reserved, strict=True)}

    def _insert_reserved(self, group: list[tuple[RowSlot, _Row]], reserved: list[_Row]) -> None:
        """Insert rows a COPY could not write, with the values reserved for them (later rows may
        already refer to those ids). A row refused is located (E500); a row another writer
        created meanwhile counts as existing, and what was kept of it becomes the stored row's."""
        with_ids = [(slot, {**row, **ids}) for (slot, row), ids in zip(group, reserved, strict=True)]
        try:
            with self.conn.begin_nested():
                self.inserter.insert([row for _, row in with_ids])
        except sa.exc.DBAPIError as exc:
            if exc.connection_invalidated:
                raise
            raced = self._insert_one_by_one(with_ids)
            stored = self._lookup(raced) if raced else {}
            for slot, row in with_ids:
                if (key := self._key(row)) in stored:
                    self._found_after_all(slot, row, stored[key])

    def _insert_with_ids(self, rows: list[_Row], ids: SqliteIds) -> dict[_Key, _Row]:
        """Insert rows with the ids SQLite would give them; returns those ids by key."""
        column = ids.column
        reserved = ids.reserve(len(rows))
        self.inserter.insert([{**row, column: i} for row, i in zip(rows, reserved, strict=True)])
        return {self._key(row): {column: i} for row, i in zip(rows, reserved, strict=True)}

    def _insert(self, rows: list[_Row], *, returning: bool) -> dict[_Key, _Row]:
        """One bulk insert; where the dialect can, it returns what the database filled in (ids),
        mapped by key (not by row order, which would make SQLAlchemy insert row by row)."""
        if not (returning and self.conn.dialect.insert_executemany_returning):
            self.inserter.insert(rows)
            return {}
        names = list(dict.fromkeys((*self.step.key, *(c for c in self.wanted if c in self.table.c))))
        statement = self.table.insert().returning(*(self.table.c[c] for c in names))
        width = len(self.step.key)
        stored = self.conn.execute(statement, rows).all()
        if not self.casefold:
            return {tuple(values[:width]): dict(zip(names, values, strict=True)) for values in stored}
        return {
            tuple(self._norm(v) for v in values[:width]): dict(zip(names, values, strict=True))
            for values in stored
        }

    def _insert_one_by_one(self, group: list[tuple[RowSlot, _Row]]) -> set[_Key]:
        """After a batch failed: each row in its own SAVEPOINT. A unique conflict with a row
        another writer created meanwhile counts as existing (its key is returned); any other
        refusal is an error."""
        raced: set[_Key] = set()
        for slot, row in group:
            try:
                with self.conn.begin_nested():
                    self.conn.execute(self.table.insert(), [row])
            except sa.exc.IntegrityError as exc:
                if self._key(row) not in self._lookup({self._key(row)}):
                    raise self._refused(slot, row, exc) from exc
                self.counts["created"] -= 1
                self.counts["existing"] += 1
                raced.add(self._key(row))
            except sa.exc.DBAPIError as exc:
                if exc.connection_invalidated:
                    raise
                raise self._refused(slot, row, exc) from exc
        return raced

    def _update(self, changed: list[tuple[RowSlot, _Row]], found: dict[_Key, _Row]) -> None:
        """Rewrite the differing rows: one executemany per column set, in one SAVEPOINT."""
        if not changed:
            return
        self._sync()
        self.counts["updated"] += len(changed)
        if self.dry_run:
            return
        for group in column_groups(changed):
            columns = tuple(group[0][1])
            kept = self.not_compared
            statement = update_by_key(self.table, self.step.key, (c for c in columns if c not in kept))
            params = [
                update_params(self.step.key, row, {c: v for c, v in row.items() if c not in kept})
                for _, row in group
            ]
            try:
                with self.conn.begin_nested():
                    self.conn.execute(statement, params)
            except sa.exc.DBAPIError as batch_error:
                if batch_error.connection_invalidated:  # the link died, no row was refused
                    raise
                raise self._first_refused(statement, group, params, batch_error) from batch_error
            for _, row in group:
                found[self._key(row)].update({c: v for c, v in row.items() if c not in self.not_compared})

    def _first_refused(
        self,
        statement: sa.Update,
        group: list[tuple[RowSlot, _Row]],
        params: list[_Row],
        batch_error: sa.exc.DBAPIError,
    ) -> DatabaseError:
        """After a batch failed: each row in its own SAVEPOINT, to name the one refused."""
        for (slot, row), one in zip(group, params, strict=True):
            try:
                with self.conn.begin_nested():
                    self.conn.execute(statement, [one])
            except sa.exc.DBAPIError as exc:
                if exc.connection_invalidated:
                    raise
                return self._refused(slot, row, exc)
        slot, row = group[0]
        return self._refused(slot, row, batch_error)

    def _refused(self, slot: RowSlot, row: _Row, error: sa.exc.DBAPIError) -> DatabaseError:
        full = str(error.orig).strip() if error.orig else str(error)
        message = full.splitlines()[0]
        # PostgreSQL names the column on its DETAIL line; SQLite's FK message names none at all
        column = self._column_in(full) or self._dangling_reference(row)
        field = next((f for f in slot.fields if f.column == column), None)
        where = f", column '{column}'" if column else ""
        return DatabaseError(
            Diagnostic(
                code="E500",
                pointer=field.pointer if field else self.step.pointer,
                message=f"the database refused row {slot.ordinal} of step '{self.step.id}' "
                f"(table '{self.step.table}'{where}): {message}",
                hint="nothing was written: the whole apply was rolled back; fix the generator or the data "
                f"(row values: {_preview(row)})",
            )
        )

    def _dangling_reference(self, row: _Row) -> str | None:
        """The first foreign-key column of ``row`` whose value no parent row has."""
        for fk in self.table.foreign_key_constraints:
            values = [row.get(c.name) for c in fk.columns]
            if any(v is None or isinstance(v, Pending) for v in values) or any(
                c.name not in row for c in fk.columns
            ):
                continue
            parent = [element.column for element in fk.elements]
            match = sa.select(sa.literal(1)).where(*(p == v for p, v in zip(parent, values, strict=True)))
            with self.conn.begin_nested():
                if self.conn.execute(match).first() is None:
                    return next(iter(fk.columns)).name
        return None

    def _column_in(self, message: str) -> str | None:
        for column in sorted(self.table.c.keys(), key=len, reverse=True):
            if re.search(rf"(?<![\w]){re.escape(column)}(?![\w])", message):
                return column
        return None


@dataclasses.dataclass(slots=True)
class _InFlight:
    """COPYs still being written: the stream, the columns it writes (and whether ids were
    reserved for them), and the batches it has taken and not stored yet, with the values
    reserved for their rows (kept to write them otherwise if the database refuses one)."""

    stream: CopyStream
    columns: tuple[str, ...]
    filled: bool
    parts: list[tuple[list[tuple[RowSlot, _Row]], list[_Row]]]
    first: int = 0  # the index in the stream of parts[0]

    def forget_written(self) -> None:
        """Drop the batches the stream has stored."""
        if (done := self.stream.written - self.first) > 0:
            del self.parts[:done]
            self.first += done


def _preview(row: _Row) -> str:
    text = ", ".join(f"{k}={v!r}" for k, v in row.items())
    return text if len(text) <= 300 else text[:297] + "..."
