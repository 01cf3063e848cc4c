"""One step of an apply against a database (the writer's walk): rows are looked up by key,
created in batches (COPY where the database allows, else the driver's INSERT), updated, and a
refused row is named.
"""

from __future__ import annotations

import contextlib
import dataclasses
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from seedspec.database.bulkinsert import DriverInsert, refused_by_driver
from seedspec.database.deferred import DeferredRows
from seedspec.database.dialects import ReservedIds, dialect_for
from seedspec.database.hooks import HookRunner
from seedspec.database.lookup import KeyLookup
from seedspec.database.pgcopy import CopyRefused, CopyStream, CopyWriter, quick_handoffs
from seedspec.database.refusals import refused
from seedspec.database.statements import table_shape, update_by_key, update_params
from seedspec.errors import DatabaseError
from seedspec.generation.prefetch import Prefetcher
from seedspec.generation.rows import Key as _Key
from seedspec.generation.rows import Progress, column_groups
from seedspec.generation.rows import Row as _Row
from seedspec.generation.shards import Shard
from seedspec.generation.slots import RowSlot, RunState
from seedspec.generation.walk import StepRun
from seedspec.ir import Plan, Step
from seedspec.outcome import Pending, StepReport


class DatabaseStep(StepRun):
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
        *,
        shard: Shard | None = None,
    ) -> None:
        self.conn = connection
        self.table = table
        self.hooks = HookRunner(step, table, connection) if step.after_create and not dry_run else None
        self.deferred = DeferredRows(plan, step, table, connection, state) if step.deferred_fields else None
        super().__init__(
            plan,
            step,
            table_shape(table),
            state,
            prefetcher,
            dialect=connection.dialect.name,
            dry_run=dry_run,
            hook_columns=self.hooks.columns if self.hooks else (),
            shard=shard,
        )
        self.finder = KeyLookup(connection, table, step.key, self._norm if self.casefold else None)
        self.copier = None if dry_run else CopyWriter.of(connection, table)
        self.inserter = DriverInsert(connection, table)
        self.rowids = None if dry_run else dialect_for(connection).ids_ahead(connection, table)
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
        return self.finder.find(keys, self.wanted)

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
        settled: set[int] = set()  # the groups whose every row's filled-in values came back
        for index, group in enumerate(groups):
            rows = [row for _, row in group]
            filled = [c for c in self.wanted if c not in rows[0] and c in self.table.c]
            copied = self._copied(group, filled)
            if copied is not None:
                returned.update(copied)
                if filled:  # the ids reserved for every row, by key
                    settled.add(index)
                continue
            self._sync()  # nothing else uses the connection while COPYs are written
            try:
                with self.conn.begin_nested():
                    if self.rowids is not None and filled == [self.rowids.column]:
                        returned.update(self._insert_with_ids(rows, self.rowids))
                        settled.add(index)
                    else:
                        returning = any(c not in rows[0] for c in self.wanted)
                        returned.update(self._insert(rows, returning=returning))
            except sa.exc.DBAPIError as exc:
                if exc.connection_invalidated:  # the link died, no row was refused
                    raise
                settled.discard(index)
                raced |= self._insert_one_by_one(group)
        unresolved = {
            key
            for index, group in enumerate(groups)
            if index not in settled
            and any(c not in group[0][1] for c in self.wanted)  # the rows of a group share their columns
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
        return dict(zip(self._keys(rows), reserved, strict=True))

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

    def _insert_with_ids(self, rows: list[_Row], ids: ReservedIds) -> dict[_Key, _Row]:
        """Insert rows with the ids SQLite would give them; returns those ids by key."""
        column = ids.column
        reserved = ids.reserve(len(rows))
        self.inserter.insert([{**row, column: i} for row, i in zip(rows, reserved, strict=True)])
        return {key: {column: i} for key, i in zip(self._keys(rows), reserved, strict=True)}

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
                    try:
                        self.conn.execute(self.table.insert(), [row])
                    except OverflowError as overflow:
                        raise refused_by_driver(self.table, overflow) from overflow
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
        return refused(self.conn, self.table, self.step, slot, row, error)


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
