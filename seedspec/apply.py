"""Apply: the only writer. Batches of rows are first-or-created by their lookup key.

The same machinery runs read-only for ``plan`` against a live database (``dry_run``): rows that
would be created get placeholder ids, so later steps can still be counted without writing.
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from seedspec.deferred import DeferredRows, checks_at_commit
from seedspec.errors import DatabaseError, Diagnostic, database_reason
from seedspec.generate import PoolRow, RowMaker, RowSlot, RunState, key_closure, row_slots, slot_count
from seedspec.hooks import HookRunner
from seedspec.ir import Field, Pending, Plan, Report, RowDiff, Step, StepReport
from seedspec.parallel import MIN_VALUES, Draws, Prefetcher, default_workers, faker_fields
from seedspec.plan import row_changes

Progress = Callable[[Step, int, int], None]  # (step, rows done, rows in step)
_Key = tuple[Any, ...]
_Row = dict[str, Any]
MAX_DIFFS_SHOWN = 5
MAX_UNIQUE_ROUNDS = 20


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
                table = _table(metadata, step)
                started = time.perf_counter()
                try:
                    run = _StepRun(plan, step, table, connection, state, dry_run, prefetcher)
                    report = run.run(progress)
                    if report.created and not dry_run:
                        _after_bulk_load(connection, table, step, report.created)
                    reports.append(dataclasses.replace(report, seconds=time.perf_counter() - started))
                    if run.deferred is not None:
                        waiting[step.id] = (len(reports) - 1, run.deferred)
                    for later in settle_after.get(step.id, ()):
                        i, rows = waiting.pop(later.id)
                        reports[i] = rows.settle(reports[i], dry_run=dry_run)
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
DRAW_AHEAD = 2  # batches whose Faker values are being drawn while this one is written


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


def _table(metadata: sa.MetaData, step: Step) -> sa.Table:
    table = metadata.tables.get(step.table)
    return table if table is not None else next(t for t in metadata.tables.values() if t.name == step.table)


def _batches(items: Iterable[RowSlot], size: int) -> Iterator[list[RowSlot]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class _StepRun:
    """Applies one step: generate a batch, look its keys up, insert what is missing."""

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
        self.plan, self.step, self.table, self.conn, self.state = plan, step, table, connection, state
        self.dry_run, self.prefetcher = dry_run, prefetcher
        self.maker = RowMaker(plan, step, state)
        self.closure = key_closure(step)
        self.key_first = False  # decided when the step runs: see run()
        self.empty_at_start = False
        self._by_keys: dict[tuple[str, ...], sa.Select[Any]] = {}
        self._lead = self._indexed_key_column()
        self.kept = plan.columns_kept_for(step.factory)
        self.pooled = plan.needs_pool(step.factory)
        self.hooks = HookRunner(step, table, connection) if step.after_create and not dry_run else None
        self.kept_and_hooks = (*self.kept, *(self.hooks.columns if self.hooks else ()))
        pk = table.primary_key.columns.keys()
        self.wanted = tuple(dict.fromkeys((*self.kept_and_hooks, *pk, *step.all_columns)))
        self.casefold = connection.dialect.name in ("mysql", "mariadb")
        self.seen: set[_Key] = set()
        self.deferred = DeferredRows(plan, step, table, connection, state) if step.deferred_fields else None
        self.differed: set[int] = set()  # ordinals of found rows counted as differing
        self.not_compared = (*step.key, *(f.column for f in step.deferred_fields))
        self.counts = {"created": 0, "existing": 0, "updated": 0, "differing": 0}
        self.diffs: list[RowDiff] = []
        self.unique_columns = tuple(
            dict.fromkeys(
                f.column
                for f in (*step.fields, *(f for r in step.records for f in r.fields))
                if f.unique and f.column not in step.key and f.column in table.c
            )
        )

    def run(self, progress: Progress | None) -> StepReport:
        total = slot_count(self.step, self.state)
        # Key first: where rows may already exist and are kept as they are (skip), draw only what
        # the lookup needs and draw the rest for the rows that turn out to be missing. An empty
        # table (a first apply) has nothing to find, so everything is drawn at once.
        # A table that was empty when the step began holds only what this step inserted, and
        # self.seen knows those keys: no lookups. (A row another writer adds meanwhile makes the
        # insert fail; the row-by-row retry then finds it.)
        self.empty_at_start = not self._has_rows()
        self.key_first = (
            not self.dry_run
            and self.step.on_existing == "skip"
            and self.closure != {f.column for f in self.step.fields}
            and not self.empty_at_start
        )
        if self.key_first and not self.step.records:  # named records need all their columns
            pk = self.table.primary_key.columns.keys()
            self.wanted = tuple(dict.fromkeys((*self.kept_and_hooks, *pk, *self.step.key)))
        ahead = self._ahead(total)
        pool: list[PoolRow] = []
        done = 0
        for batch, drawn in self._drawn_ahead(
            _batches(row_slots(self.step, self.state), self.plan.batch_size), ahead
        ):
            self.maker.prefetched = drawn.get() if drawn is not None else {}
            pool.extend(self._batch(batch))
            done += len(batch)
            if progress:
                progress(self.step, done, total)
        self.maker.prefetched = {}
        self.state.pools.setdefault(self.step.factory, []).extend(pool)
        return StepReport(
            step=self.step.id,
            factory=self.step.factory,
            table=self.step.table,
            diffs=tuple(self.diffs),
            **self.counts,
        )

    def _has_rows(self) -> bool:
        return (
            self.conn.execute(sa.select(sa.literal(1)).select_from(self.table).limit(1)).first() is not None
        )

    def _ahead(self, total: int) -> tuple[Field, ...]:
        """The Faker fields that workers draw ahead for this step (none when not worth it)."""
        wanted = [f for f in self.step.fields if not self.key_first or f.column in self.closure]
        fields = faker_fields(wanted)
        if not self.prefetcher.workers or total * len(fields) < MIN_VALUES // 4:
            return ()
        return fields

    def _drawn_ahead(
        self, batches: Iterator[list[RowSlot]], fields: tuple[Field, ...]
    ) -> Iterator[tuple[list[RowSlot], Draws | None]]:
        """Each batch with its Faker values, the next batch's already being drawn meanwhile."""
        if not fields:
            yield from ((batch, None) for batch in batches)
            return
        queue: deque[tuple[list[RowSlot], Draws]] = deque()
        for batch in batches:
            ids = [slot.local_id for slot in batch if slot.fields is self.step.fields]
            queue.append((batch, self.prefetcher.submit(self.step.seed, fields, ids)))
            if len(queue) > DRAW_AHEAD:
                yield queue.popleft()
        yield from queue

    def _batch(self, slots: list[RowSlot]) -> list[PoolRow]:
        """Generate, look up, create what is missing (and update what differs, with ``update``).

        Key first, only the key's closure is drawn for every row and the other fields only for
        the missing rows: existing rows are kept as stored (on_existing: skip), so they are not
        compared either (``plan`` reports rows that differ).
        """
        rows = [self.maker.make(slot, self.closure if self.key_first else None) for slot in slots]
        keys = [self._key(row) for row in rows]
        found = {} if self.empty_at_start else self._lookup(set(keys))
        missing: list[tuple[RowSlot, _Row]] = []
        changed: list[tuple[RowSlot, _Row]] = []
        for slot, row, key in zip(slots, rows, keys, strict=True):
            if key in self.seen:
                self.counts["existing"] += 1
            elif key in found:
                self.counts["existing"] += 1
                differs = not self.key_first and self._differs(slot, row, found[key])
                if differs:
                    changed.append((slot, row))
                if self.deferred is not None and not self.key_first:  # key first: kept as stored
                    self.deferred.note(slot, row, found[key], differed=slot.ordinal in self.differed)
            else:
                missing.append((slot, row))
                if self.deferred is not None:
                    self.deferred.note(slot, row, None, differed=False)
            self.seen.add(key)
        if self.key_first:
            self._complete(missing)
        self._avoid_stored_values(missing)
        found.update(self._create(missing))
        self._update(changed, found)
        return self._pool_rows(slots, rows, keys, found)

    def _complete(self, missing: list[tuple[RowSlot, _Row]]) -> None:
        rest = faker_fields(f for f in self.step.fields if f.column not in self.closure)
        if rest and self.prefetcher.workers and len(missing) * len(rest) >= MIN_VALUES // 20:
            ids = [slot.local_id for slot, _ in missing if slot.fields is self.step.fields]
            drawn = self.prefetcher.submit(self.step.seed, rest, ids).get()
            self.maker.prefetched = {i: {**self.maker.prefetched.get(i, {}), **drawn[i]} for i in drawn}
        for slot, row in missing:
            self.maker.complete(slot, row)

    def _avoid_stored_values(self, missing: list[tuple[RowSlot, _Row]]) -> None:
        """New rows must not repeat a unique value another stored row already holds (rows made
        by an earlier run whose counts differed, or by someone else): such values move on."""
        for column in self.unique_columns:
            pending = [(slot, row) for slot, row in missing if row.get(column) is not None]
            for _ in range(MAX_UNIQUE_ROUNDS):
                stored = self._stored_values(column, {row[column] for _, row in pending})
                pending = [(slot, row) for slot, row in pending if row[column] in stored]
                if not pending:
                    break
                for slot, row in pending:
                    row[column] = self.maker.retry_unique(column, slot, row, stored.__contains__)

    def _stored_values(self, column: str, values: set[Any]) -> set[Any]:
        if not values:
            return set()
        col = self.table.c[column]
        return set(self.conn.execute(sa.select(col).where(col.in_(values))).scalars())

    def _differs(self, slot: RowSlot, row: _Row, stored: _Row) -> bool:
        changes = row_changes(row, stored, exclude=self.not_compared)
        if not changes:
            return False
        self.counts["differing"] += 1
        self.differed.add(slot.ordinal)
        if len(self.diffs) < MAX_DIFFS_SHOWN:
            self.diffs.append(
                RowDiff(n=slot.ordinal, key=tuple(row.get(c) for c in self.step.key), changes=changes)
            )
        if self.step.on_existing == "error":
            raise DatabaseError(
                Diagnostic(
                    code="E505",
                    pointer=self.step.pointer,
                    message=f"step '{self.step.id}', row {slot.ordinal}: a row with key "
                    f"{dict(zip(self.step.key, self.diffs[-1].key, strict=True))} exists and differs "
                    f"({', '.join(c for c, _, _ in changes)})",
                    hint="factory on_existing is 'error'; use 'update' to overwrite or 'skip' to keep it",
                )
            )
        return self.step.on_existing == "update"

    def _pool_rows(
        self, slots: list[RowSlot], rows: list[_Row], keys: list[_Key], found: dict[_Key, _Row]
    ) -> list[PoolRow]:
        """The batch's rows as later steps see them; only kept when a ref or for_each reads them."""
        pooled: list[PoolRow] = []
        for slot, row, key in zip(slots, rows, keys, strict=True):
            if self.pooled or slot.record is not None:  # named records are always readable
                pool_row = self._pool_row(slot, row, found.get(key, {}))
                if self.pooled:
                    pooled.append(pool_row)
        return pooled

    def _pool_row(self, slot: RowSlot, row: _Row, stored: _Row) -> PoolRow:
        full = {**row, **stored}
        if slot.record is not None:
            self.state.named.setdefault(self.step.factory, {})[slot.record] = full
        return PoolRow(f"{self.step.id}:{slot.local_id}", {c: full.get(c) for c in self.kept})

    def _key(self, row: _Row) -> _Key:
        if not self.casefold:
            return tuple([row.get(c) for c in self.step.key])
        return tuple(self._norm(row.get(c)) for c in self.step.key)

    def _norm(self, value: Any) -> Any:
        # MySQL compares strings case-insensitively and ignores trailing spaces.
        if self.casefold and isinstance(value, str):
            return value.rstrip(" ").casefold()
        return value

    def _lookup(self, keys: set[_Key]) -> dict[_Key, _Row]:
        """Stored rows by key; one query per batch. Keys holding a pending id cannot exist yet."""
        keys = {k for k in keys if not any(isinstance(v, Pending) for v in k)}
        if not keys:
            return {}
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
            key = tuple(self._norm(v) for v in row[:width])
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
        self.counts["created"] += len(missing)
        if self.dry_run:
            pk = self.table.primary_key.columns.keys()
            return {
                self._key(row): {c: Pending(f"{self.step.id}:{s.local_id}") for c in pk} for s, row in missing
            }
        groups: dict[tuple[str, ...], list[tuple[RowSlot, _Row]]] = {}
        for slot, row in missing:
            groups.setdefault(tuple(row), []).append((slot, row))
        returned: dict[_Key, _Row] = {}
        raced: set[_Key] = set()  # rows another writer created meanwhile: found, not created
        for group in groups.values():
            rows = [row for _, row in group]
            try:
                with self.conn.begin_nested():
                    returned.update(self._insert(rows, returning=any(c not in rows[0] for c in self.wanted)))
            except sa.exc.DBAPIError as exc:
                if exc.connection_invalidated:  # the link died, no row was refused
                    raise
                raced |= self._insert_one_by_one(group)
        unresolved = {
            key
            for _, row in missing
            if any(c not in row for c in self.wanted) and (key := self._key(row)) not in returned
        }
        stored = {**returned, **self._lookup(unresolved)}
        if self.hooks is not None:
            created = [(row, self._key(row)) for _, row in missing]
            self.hooks.run([{**row, **stored.get(key, {})} for row, key in created if key not in raced])
        return stored

    def _insert(self, rows: list[_Row], *, returning: bool) -> dict[_Key, _Row]:
        """One bulk insert; where the dialect can, it returns what the database filled in (ids),
        mapped by key (not by row order, which would make SQLAlchemy insert row by row)."""
        if not (returning and self.conn.dialect.insert_executemany_returning):
            self.conn.execute(self.table.insert(), rows)
            return {}
        names = list(dict.fromkeys((*self.step.key, *(c for c in self.wanted if c in self.table.c))))
        statement = self.table.insert().returning(*(self.table.c[c] for c in names))
        width = len(self.step.key)
        return {
            tuple(self._norm(v) for v in values[:width]): dict(zip(names, values, strict=True))
            for values in self.conn.execute(statement, rows).all()
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
        self.counts["updated"] += len(changed)
        if self.dry_run:
            return
        groups: dict[tuple[str, ...], list[tuple[RowSlot, _Row]]] = {}
        for slot, row in changed:
            groups.setdefault(tuple(row), []).append((slot, row))
        for columns, group in groups.items():
            # bind names apart from column names: SQLAlchemy reserves those for the SET clause
            statement = (
                self.table.update()
                .where(*(self.table.c[k] == sa.bindparam(f"key_{k}") for k in self.step.key))
                .values({c: sa.bindparam(f"new_{c}") for c in columns if c not in self.not_compared})
            )
            params = [
                {
                    **{f"key_{k}": row[k] for k in self.step.key},
                    **{f"new_{c}": v for c, v in row.items() if c not in self.not_compared},
                }
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


def _preview(row: _Row) -> str:
    text = ", ".join(f"{k}={v!r}" for k, v in row.items())
    return text if len(text) <= 300 else text[:297] + "..."
