"""The rows of a plan: the walk that ``apply`` and ``build`` share.

A step's rows are generated in batches, their lookup keys checked against the rows already
there, the missing ones created, and the rows later steps refer to kept in pools. Where rows
are found and where they go is a subclass's: a database (``apply``), or counted ids and files
(``build``). Everything that decides the values lives here, once.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from seedspec.compiler.planfile import row_changes
from seedspec.generation.aggregates import Feeds
from seedspec.generation.carry import Carried
from seedspec.generation.duplicates import Duplicates
from seedspec.generation.keeping import Keeper
from seedspec.generation.pools import Pool, PoolRow
from seedspec.generation.prefetch import MIN_VALUES, Draws, Prefetcher, drawn_ahead, faker_fields
from seedspec.generation.rowmaker import RowMaker
from seedspec.generation.rows import (
    MAX_DIFFS_SHOWN,
    Key,
    Progress,
    Row,
    TableShape,
    differs_error,
    unique_columns,
)
from seedspec.generation.shards import (
    Shard,
    draws_all,
    full_order,
    placeheld,
    pure_step,
    range_slots,
    writes,
)
from seedspec.generation.slots import (
    RowSlot,
    RunState,
    batched,
    key_closure,
    read_closure,
    row_slots,
    slot_count,
)
from seedspec.generation.stepkeys import SeenKeys, batch_keys, norm, row_key, scoping_parent, seen_scope
from seedspec.ir import Field, Plan, Step
from seedspec.outcome import RowDiff, StepReport

MAX_UNIQUE_ROUNDS = 20


class StepRun:
    """Runs one step: generate a batch, look its keys up, create what is missing.

    Subclasses say where rows are: ``_has_rows``, ``_lookup``, ``_stored_values``, ``_create``
    and ``_update``.
    """

    def __init__(
        self,
        plan: Plan,
        step: Step,
        table: TableShape,
        state: RunState,
        prefetcher: Prefetcher,
        *,
        dialect: str,
        dry_run: bool = False,
        hook_columns: tuple[str, ...] = (),
        shard: Shard | None = None,
    ) -> None:
        self.plan, self.step, self.state, self.shard = plan, step, state, shard
        self.rows: range | None = None  # the ordinals this run writes (a shard's), None: all
        self.drawn: frozenset[str] = frozenset()  # a shard: the columns drawn for every row
        self.skipping = False  # a shard of a pure step: the rows before its range are not made
        self.dry_run, self.prefetcher = dry_run, prefetcher
        self.maker = RowMaker(plan, step, state)
        self.closure = key_closure(step)
        self.key_first = False  # decided when the step runs: see run()
        self.empty_at_start = False
        self.kept = plan.columns_kept_for(step.factory)
        self.carried = Carried.of(plan, step)
        self.pooled = plan.needs_pool(step.factory)
        self.feeds = Feeds(plan, step.factory, state.totals).refusing_deferred(step)
        self.kept_and_hooks = tuple(
            dict.fromkeys((*self.kept, *hook_columns, *self.carried.fields_read, *self.feeds.reads))
        )
        self.shape = table
        pk = table.primary_key
        self.wanted = tuple(dict.fromkeys((*self.kept_and_hooks, *pk, *step.all_columns)))
        self.casefold = dialect in ("mysql", "mariadb")
        self.seen = SeenKeys()  # the keys generated so far, to recognise a repeated one
        self.parent_field: Field | None = None  # see stepkeys.scoping_parent
        self.made_parent: PoolRow | None = None
        self.pool = Pool()
        self.keeper = Keeper(
            step,
            state,
            self.maker,
            pool=self.pool,
            kept=self.kept,
            carried=self.carried,
            feeds=self.feeds,
            pooled=self.pooled,
        )
        self.differed: set[int] = set()  # ordinals of found rows counted as differing
        # columns a found row is not compared on: its key, and the columns a cycle defers
        self.has_deferred = bool(step.deferred_fields)
        self.aggregated = tuple(f.column for f in step.aggregate_fields)  # set after the children
        self.not_compared = (*step.key, *(f.column for f in step.deferred_fields), *self.aggregated)
        self.counts = {"created": 0, "existing": 0, "updated": 0, "differing": 0, "duplicate": 0}
        self.duplicates = Duplicates(step)
        self.diffs: list[RowDiff] = []
        self.unique_columns = unique_columns(step, table.columns)
        self.declared_keys: list[Key] | None = None  # a list given: every row's key, as drawn (pruning)

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
            pk = self.shape.primary_key
            self.wanted = tuple(dict.fromkeys((*self.kept_and_hooks, *pk, *self.step.key)))
        self.parent_field = scoping_parent(self.step, self.state, self._norm)
        self.seen.scope = seen_scope(self.step, self.parent_field, self.casefold)
        slots = row_slots(self.step, self.state)
        if self.shard is not None:
            self.rows = self.shard.rows(total)
            # a pure step: only the shard's rows; else every row, the others' only in part
            self.skipping = pure_step(self.plan, self.step) and self._skip_before(self.rows.start)
            if self.skipping:
                slots, total = range_slots(self.step, self.state, self.rows, total), len(self.rows)
            self.drawn = read_closure(
                self.step,
                (*self.closure, *self.kept_and_hooks, *self.shape.primary_key, *self._shared_columns()),
            )
        ahead = self._ahead(total)
        done = 0
        submit = partial(self._submit, ahead) if ahead else None
        for batch, drawn in drawn_ahead(batched(slots, self.plan.batch_size), submit):
            self.maker.prefetched = drawn.get() if drawn is not None else {}
            self._batch(batch)
            done += len(batch)
            if progress:
                progress(self.step, done, total)
        self.maker.prefetched = {}
        self._settle()
        self.duplicates.check(total)
        if self.pooled:
            pool = self.state.pools.get(self.step.factory)
            if pool is None:
                self.state.pools[self.step.factory] = self.pool
            else:
                pool.extend(self.pool)
        return StepReport(
            step=self.step.id,
            factory=self.step.factory,
            table=self.step.table,
            diffs=tuple(self.diffs),
            **self.counts,
        )

    # -- where rows are: the subclass's ------------------------------------------------------

    def _has_rows(self) -> bool:
        """Whether the table holds any row yet."""
        raise NotImplementedError

    def _lookup(self, keys: set[Key]) -> dict[Key, Row]:
        """The stored rows (their ``wanted`` columns) of these keys, by key."""
        raise NotImplementedError

    def _stored_values(self, column: str, values: set[Any]) -> set[Any]:
        """Those of ``values`` that some stored row holds in ``column``."""
        raise NotImplementedError

    def _create(self, missing: list[tuple[RowSlot, Row]]) -> dict[Key, Row]:
        """Store the missing rows; returns them as stored (with their ids), by key."""
        raise NotImplementedError

    def _update(self, changed: list[tuple[RowSlot, Row]], found: dict[Key, Row]) -> None:
        """Rewrite the stored rows that differ (``on_existing: update``)."""
        raise NotImplementedError

    def _noted(self, slot: RowSlot, row: Row, stored: Row | None, *, differed: bool) -> None:
        """A row of a step with deferred columns: created (``stored`` None) or found."""
        raise NotImplementedError

    def _settle(self) -> None:
        """Finish writing what the last batches left in flight (nothing, unless overridden)."""

    def _found_after_all(self, slot: RowSlot, row: Row, stored: Row) -> None:
        """A row kept as created turned out to exist already (another writer stored it after
        its batch was kept): later steps read the stored row's values instead."""
        if slot.record is not None:
            self.state.named.setdefault(self.step.factory, {})[slot.record] = {**row, **stored}
        if self.pooled:
            row_id = f"{self.step.id}:{slot.local_id}"
            index = self.pool.row_ids.index(row_id) if self.duplicates.count else slot.ordinal
            assert self.pool.row_ids[index] == row_id
            self.pool.update(index, {c: stored[c] for c in self.kept if c in stored})

    # -- the walk --------------------------------------------------------------------------

    def _ahead(self, total: int) -> tuple[Field, ...]:
        """The Faker fields that workers draw ahead for this step (none when not worth it)."""
        wanted = [f for f in self.step.fields if not self.key_first or f.column in self.closure]
        fields = self.maker.per_value(faker_fields(wanted))
        if not self.prefetcher.workers or total * len(fields) < MIN_VALUES // 4:
            return ()
        return fields

    def _submit(self, fields: tuple[Field, ...], slots: list[RowSlot]) -> Draws:
        """Start drawing ``fields`` for those of ``slots`` generated here."""
        ids = [s.local_id for s in slots if self._generated_here(s)]
        return self.prefetcher.submit(self.step.seed, self.plan.now, fields, ids)

    def _make(self, slots: list[RowSlot]) -> list[Row]:
        """The rows of ``slots``; distinct picks per parent are forgotten once past the parent (the
        picks of different parents never meet, so forgetting after the batch changes nothing)."""
        columns = self.closure if self.key_first else None
        if self.rows is None or self.skipping:
            rows = self.maker.make_batch(slots, columns)
        else:
            rows = self._make_shared(slots, columns)
        field = self.parent_field
        if field is not None and self.maker.refs.forgets(field.column):
            self.made_parent = self.maker.refs.forget_past(field, slots, self.made_parent)
        return rows

    def _make_shared(self, slots: list[RowSlot], columns: frozenset[str] | None) -> list[Row]:
        """A shard's rows: every column of its own rows (and records), only the columns other
        rows' values or later steps depend on of the others (see ``generation.shards``)."""
        rows = self.maker.make_batch(slots, columns, elsewhere=(self.drawn, self._draws_all))
        order = full_order([f.column for f in self.step.fields], columns)
        return [
            row if self._draws_all(s) else placeheld(row, order) for s, row in zip(slots, rows, strict=True)
        ]

    def _draws_all(self, slot: RowSlot) -> bool:
        return draws_all(self.rows, slot, len(self.step.records))

    def _generated_here(self, slot: RowSlot) -> bool:
        """A generated row (not a record) whose every column this run draws."""
        return slot.fields is self.step.fields and self._draws_all(slot)

    def _skip_before(self, first: int) -> bool:
        """Whether the place rows go can take a shard's rows from ordinal ``first`` on without
        those before it (their ids, their keys); it then counts on from there."""
        return False

    def _shared_columns(self) -> tuple[str, ...]:
        """Columns besides pools and keys that the place rows go keeps of every row (build: those
        a later step writing the same table may find or compare)."""
        return ()

    def _batch(self, slots: list[RowSlot]) -> None:
        """Generate, look up, create what is missing (and update what differs, with ``update``).

        Key first, only the key's closure is drawn for every row and the other fields only for
        the missing rows: existing rows are kept as stored (on_existing: skip), so they are not
        compared either (``plan`` reports rows that differ).
        """
        rows = self._make(slots)
        keys = self._keys(rows)
        found = {} if self.empty_at_start else self._lookup(set(keys))
        repeated = self.seen.repeated(slots, keys)  # not rows: written once, never counted as existing
        repeats = {slots[i].ordinal for i in repeated}
        changed: list[tuple[RowSlot, Row]] = []
        if not repeated and not found and not self.has_deferred:  # the common case: all missing
            missing = list(zip(slots, rows, strict=True))
        else:
            missing = self._sorted(slots, rows, keys, found, repeated, changed)
        if self.key_first:
            self._complete(missing)
        self._avoid_stored_values(missing)
        created = len(missing) if self.rows is None else sum(writes(self.rows, slot) for slot, _ in missing)
        self.counts["created"] += created
        if self.aggregated:  # their aggregates change as part of their creation
            self.state.totals.note_created(self.step, [s.local_id for s, _ in missing])
        found.update(self._create(missing))
        self._update(changed, found)
        self.keeper.keep(slots, rows, keys, found, repeats)
        if self.declared_keys is not None:
            columns = self.step.key
            self.declared_keys.extend(
                tuple(row.get(c) for c in columns)
                for slot, row in zip(slots, rows, strict=True)
                if slot.ordinal not in repeats
            )

    def _sorted(
        self,
        slots: list[RowSlot],
        rows: list[Row],
        keys: list[Key],
        found: dict[Key, Row],
        repeated: set[int],
        changed: list[tuple[RowSlot, Row]],
    ) -> list[tuple[RowSlot, Row]]:
        """The rows missing from ``found``; counts the others (repeated: by index in the batch),
        adding to ``changed`` those found that differ and are to be updated."""
        missing: list[tuple[RowSlot, Row]] = []
        for i, (slot, row, key) in enumerate(zip(slots, rows, keys, strict=True)):
            if i in repeated:
                self.counts["duplicate"] += writes(self.rows, slot)
                self.duplicates.note(row)
            elif key in found:
                self.counts["existing"] += writes(self.rows, slot)
                if not self.key_first and self._differs(slot, row, found[key]):
                    changed.append((slot, row))
                if self.has_deferred and not self.key_first:  # key first: kept as stored
                    self._noted(slot, row, found[key], differed=slot.ordinal in self.differed)
            else:
                missing.append((slot, row))
                if self.has_deferred:
                    self._noted(slot, row, None, differed=False)
        return missing

    def _complete(self, missing: list[tuple[RowSlot, Row]]) -> None:
        rest = self.maker.per_value(faker_fields(f for f in self.step.fields if f.column not in self.closure))
        if rest and self.prefetcher.workers and len(missing) * len(rest) >= MIN_VALUES // 20:
            drawn = self._submit(rest, [slot for slot, _ in missing]).get()
            self.maker.prefetched = {**self.maker.prefetched, **drawn}  # other columns: the closure's
        self.maker.complete_batch([slot for slot, _ in missing], [row for _, row in missing])

    def _avoid_stored_values(self, missing: list[tuple[RowSlot, Row]]) -> None:
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

    def _differs(self, slot: RowSlot, row: Row, stored: Row) -> bool:
        changes = row_changes(row, stored, exclude=self.not_compared, padded=self.shape.padded)
        if not changes:
            return False
        self.counts["differing"] += 1
        self.differed.add(slot.ordinal)
        if len(self.diffs) < MAX_DIFFS_SHOWN:
            self.diffs.append(
                RowDiff(n=slot.ordinal, key=tuple(row.get(c) for c in self.step.key), changes=changes)
            )
        if self.step.on_existing == "error":
            raise differs_error(self.step, slot.ordinal, row, changes)
        return self.step.on_existing == "update"

    def _keys(self, rows: list[Row]) -> list[Key]:
        return batch_keys(rows, self.step.key, self.casefold)

    def _key(self, row: Row) -> Key:
        return row_key(row, self.step.key, self.casefold)

    def _norm(self, value: Any) -> Any:
        return norm(value, self.casefold)
