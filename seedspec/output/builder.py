"""Build: the rows ``apply`` would write to an empty database, generated without one.

The walk is apply's (``seedspec.generation.walk``); only where rows go differs. Instead of inserting, each
created row gets the id an empty table would give it (1, 2, ... in insertion order, after the
ids the spec sets, from the start the models declare) and is handed to an output as it is made,
so refs, for_each and named records resolve exactly as on a database, in bounded memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import sqlalchemy as sa

from seedspec.database.statements import table_of, table_shape
from seedspec.errors import Diagnostic, SeedspecError
from seedspec.generation.aggregates import Feeds, Totals, settle, value_for
from seedspec.generation.pools import Pool
from seedspec.generation.prefetch import Prefetcher, default_workers
from seedspec.generation.rows import Key, Progress, Row, column_groups, unique_columns
from seedspec.generation.shards import Shard, writes
from seedspec.generation.slots import RowSlot, RunState
from seedspec.generation.walk import StepRun
from seedspec.ir import Aggregate, Plan, Step
from seedspec.outcome import StepReport


class BuildError(SeedspecError):
    """A spec whose rows cannot be built without a database."""


class UnwritableValue(Exception):
    """A value the output cannot write (no SQL literal for its column's type on the dialect)."""

    def __init__(self, column: str, reason: str, hint: str | None = None) -> None:
        super().__init__(f"{column}: {reason}")
        self.column, self.reason, self.hint = column, reason, hint


class RowSink(Protocol):
    """Where built rows go, batch by batch, in insertion order (see ``build_formats``)."""

    def write(self, table: sa.Table, rows: list[Row]) -> None:
        """Write rows of ``table`` that all set the same columns.

        Raises:
            UnwritableValue: a value has no form in the output.
        """


def build_plan(
    plan: Plan,
    metadata: sa.MetaData,
    sink: RowSink,
    *,
    dialect: str,
    progress: Progress | None = None,
    workers: int | None = None,
    shard: Shard | None = None,
) -> tuple[StepReport, ...]:
    """Generate every row of the plan as ``apply`` would on an empty ``dialect`` database and
    hand the created ones to ``sink``; returns per step what was created (and found again).

    With ``shard``, only the rows of that shard of every step go to ``sink`` (and are counted
    as created): the shards of one plan together hand over exactly the rows of an unsharded build.
    """
    _refuse_cycles(plan)
    prefetcher = Prefetcher(default_workers() if workers is None else workers)
    try:
        # aggregates are known once the children exist, but a parent row is written before them:
        # a first walk (written nowhere, every shard's rows) computes them, the second writes
        # parents with them
        totals = None
        if any(s.aggregate_fields for s in plan.steps):
            totals = _walk(plan, metadata, _Nowhere(), dialect, None, prefetcher, None, None).totals
        return tuple(_walk(plan, metadata, sink, dialect, progress, prefetcher, totals, shard).reports)
    finally:
        prefetcher.close()


@dataclass(slots=True)
class _Walked:
    reports: list[StepReport]
    totals: Totals


class _Nowhere:
    """The sink of the first walk of a build with aggregates."""

    def write(self, table: sa.Table, rows: list[Row]) -> None:
        pass


def _walk(
    plan: Plan,
    metadata: sa.MetaData,
    sink: RowSink,
    dialect: str,
    progress: Progress | None,
    prefetcher: Prefetcher,
    totals: Totals | None,
    shard: Shard | None,
) -> _Walked:
    state = RunState()
    tables: dict[str, _BuiltTable] = {}
    reports = []
    after = plan.aggregate_updates()
    for step in plan.steps:
        table = table_of(metadata, step)
        if step.table not in tables:
            steps = [s for s in plan.steps if s.table == step.table]
            tables[step.table] = _BuiltTable.of(plan, table, steps, dialect)
        built = tables[step.table]
        run = _CountedStep(plan, step, table, state, prefetcher, dialect, built, sink, shard)
        run.known = totals
        report = run.run(progress)
        if report.created and built.ids is not None:
            built.ids.step_done(explicit=built.ids.column in step.all_columns)
        reports.append(report)
        for factory in after.get(step.id, ()):  # later steps read them (pools, named records)
            pool, named = state.pools.get(factory, Pool()), state.named.get(factory, {})
            settle(plan, factory, pool, named, totals if totals is not None else state.totals)
    return _Walked(reports, state.totals)


def _refuse_cycles(plan: Plan) -> None:
    """A ref deferred to break a foreign-key cycle is set by an UPDATE once its rows exist;
    build writes every row once, so it cannot express that yet."""
    for step in plan.steps:
        for f in step.deferred_fields:
            raise BuildError(
                Diagnostic(
                    code="E716",
                    message=f"step '{step.id}': column '{f.column}' of table '{step.table}' breaks a "
                    "foreign-key cycle (set after the rows it refers to exist); build cannot write it",
                    pointer=f.pointer,
                    hint="apply the spec to a database and export it from there (pg_dump, mysqldump, "
                    "sqlite3 .dump)",
                )
            )


def written_tables(plan: Plan, metadata: sa.MetaData) -> dict[str, sa.Table]:
    """Per table name (in step order), its definition."""
    return {step.table: table_of(metadata, step) for step in plan.steps}


def written_columns(plan: Plan, metadata: sa.MetaData) -> dict[str, tuple[str, ...]]:
    """Per table (in step order), the columns built rows may set, in the table's order."""
    columns: dict[str, tuple[sa.Table, set[str]]] = {}
    for step in plan.steps:
        table, names = columns.setdefault(step.table, (table_of(metadata, step), set()))
        names.update(step.all_columns, _defaults(table))
        if table.autoincrement_column is not None:
            names.add(table.autoincrement_column.name)
    return {
        name: tuple(c.name for c in table.columns if c.name in names)
        for name, (table, names) in columns.items()
    }


def _defaults(table: sa.Table) -> dict[str, Any]:
    """The constant Python-side defaults of the models (``default=False``): SQLAlchemy fills
    them in on insert, so a built row holds them too. Defaults computed by functions or by the
    server are left to the database."""
    return {
        c.name: c.default.arg
        for c in table.columns
        if isinstance(c.default, sa.ColumnDefault) and c.default.is_scalar
    }


class _Ids:
    """The ids an empty table's autoincrement column gives, in insertion order.

    SQLite and MySQL continue after the highest id stored, explicit ones included; PostgreSQL's
    sequence only moves when it gives an id, and apply realigns it after a step that set ids.
    """

    def __init__(self, column: sa.Column[Any], dialect: str) -> None:
        self.column = column.name
        self.start, self.increment = _counting(column, dialect)
        self.next = self.start
        self.highest: int | None = None
        self.deferred = dialect == "postgresql"

    def take(self, row: Row) -> None:
        """Give ``row`` its id, or note the one it sets."""
        value = row.get(self.column)
        if value is None:
            value = row[self.column] = self.next
            self.next += self.increment
        elif not self.deferred:
            self.next = max(self.next, value + 1)
        self.highest = value if self.highest is None else max(self.highest, value)

    def take_all(self, rows: list[Row]) -> None:
        """``take`` for each of ``rows``, in order: a batch that sets no id is numbered in one go."""
        column = self.column
        if not rows or any(row.get(column) is not None for row in rows):
            for row in rows:
                self.take(row)
            return
        numbers = range(self.next, self.next + len(rows) * self.increment, self.increment)
        for row, number in zip(rows, numbers, strict=True):
            row[column] = number
        self.next += len(rows) * self.increment
        extreme = max(numbers[0], numbers[-1])
        self.highest = extreme if self.highest is None else max(self.highest, extreme)

    def step_done(self, *, explicit: bool) -> None:
        """After a step: where apply ran ``setval`` (PostgreSQL, ids set by the spec)."""
        if self.deferred and explicit and self.highest is not None:
            self.next = self.highest + self.increment


def _counting(column: sa.Column[Any], dialect: str) -> tuple[int, int]:
    """(start, increment) of an autoincrement column on ``dialect``, as the models declare."""
    if dialect == "postgresql":
        declared = column.identity or (column.default if isinstance(column.default, sa.Sequence) else None)
        if declared is not None:
            return int(declared.start or 1), int(declared.increment or 1)
    if dialect in ("mysql", "mariadb"):
        options = column.table.dialect_options
        start = options["mysql"].get("auto_increment") or options["mariadb"].get("auto_increment")
        return int(start or 1), 1
    return 1, 1


@dataclass(slots=True)
class _BuiltTable:
    """What an empty table would hold so far, as far as later steps can ask: the id counter, the
    values of unique columns and, when another step writes the table too, each row's key with
    its key, pooled and compared columns (never whole rows)."""

    ids: _Ids | None
    kept: tuple[str, ...]
    unique: tuple[str, ...]
    remember: bool  # a later step may find these rows by key
    count: int = 0
    keys: dict[Key, Row] = field(default_factory=dict)
    values: dict[str, set[Any]] = field(default_factory=dict)

    @classmethod
    def of(cls, plan: Plan, table: sa.Table, steps: list[Step], dialect: str) -> _BuiltTable:
        kept: dict[str, None] = dict.fromkeys(table.primary_key.columns.keys())
        for s in steps:
            kept.update(dict.fromkeys((*s.key, *plan.columns_kept_for(s.factory))))
            kept.update(dict.fromkeys(Feeds(plan, s.factory, Totals()).reads))  # a found child counts
            if s.on_existing != "skip":  # they compare every column of a found row
                kept.update(dict.fromkeys(s.all_columns))
        autoinc = table.autoincrement_column
        return cls(
            ids=_Ids(autoinc, dialect) if autoinc is not None else None,
            kept=tuple(kept),
            unique=tuple(dict.fromkeys(c for s in steps for c in unique_columns(s, table.c.keys()))),
            remember=len(steps) > 1,
        )

    def add_all(self, keys: list[Key], rows: list[Row]) -> None:
        """Count ``rows`` (their ``keys``) as written: what later steps may ask of them kept."""
        self.count += len(rows)
        if self.remember:
            kept = self.kept
            for key, row in zip(keys, rows, strict=True):
                self.keys[key] = {c: row[c] for c in kept if c in row}
        for column in self.unique:
            values = self.values.setdefault(column, set())
            values.update(v for row in rows if (v := row.get(column)) is not None)
            if not values:  # as row by row: a column none of whose values was set has no entry
                del self.values[column]


class _CountedStep(StepRun):
    """One step of a build: rows found in the built table, created ones counted and written."""

    def __init__(
        self,
        plan: Plan,
        step: Step,
        table: sa.Table,
        state: RunState,
        prefetcher: Prefetcher,
        dialect: str,
        built: _BuiltTable,
        sink: RowSink,
        shard: Shard | None = None,
    ) -> None:
        self.table = table
        super().__init__(plan, step, table_shape(table), state, prefetcher, dialect=dialect, shard=shard)
        self.built, self.sink = built, sink
        self.defaults = _defaults(table)
        self.known: Totals | None = None  # the aggregates the first walk computed

    def _has_rows(self) -> bool:
        return self.built.count > 0

    def _lookup(self, keys: set[Key]) -> dict[Key, Row]:
        return {key: dict(self.built.keys[key]) for key in keys if key in self.built.keys}

    def _stored_values(self, column: str, values: set[Any]) -> set[Any]:
        return values & self.built.values.get(column, set())

    def _shared_columns(self) -> tuple[str, ...]:
        return self.built.kept

    def _skip_before(self, first: int) -> bool:
        """The only step writing an empty table, ids counted (none set by the spec): row ``first``
        gets the id ``first`` rows after the start, as rows are never dropped in a pure step."""
        built, ids = self.built, self.built.ids
        if built.remember or built.count:
            return False
        if ids is not None:
            if ids.column in self.step.all_columns or ids.next != ids.start or ids.highest is not None:
                return False
            ids.next = ids.start + first * ids.increment
        return True

    def _create(self, missing: list[tuple[RowSlot, Row]]) -> dict[Key, Row]:
        """Ids for every missing row, in the order apply inserts them; a shard writes its own."""
        created: dict[Key, Row] = {}
        for group in column_groups(missing):
            rows = self._stored_rows(group)
            written = (
                rows
                if self.rows is None
                else [r for (s, _), r in zip(group, rows, strict=True) if writes(self.rows, s)]
            )
            try:
                if written:
                    self.sink.write(self.table, written)
            except UnwritableValue as exc:
                raise self._unwritable(group[0][0], exc) from exc
            keys = self._keys(rows)
            created.update(zip(keys, rows, strict=True))
            self.built.add_all(keys, rows)
        return created

    def _stored_rows(self, group: list[tuple[RowSlot, Row]]) -> list[Row]:
        """The rows of ``group`` as an empty table would store them: defaults, ids in order."""
        defaults = self.defaults
        rows = [{**defaults, **generated} for _, generated in group]
        if self.built.ids is not None:
            self.built.ids.take_all(rows)
        if self.known is None and rows:  # the rows set the same columns: the first answers for all
            self._completed(group[0][0], rows[0])
            return rows
        for (slot, _), row in zip(group, rows, strict=True):
            self._completed(slot, row)
        return rows

    def _completed(self, slot: RowSlot, row: Row) -> None:
        """Aggregate columns filled in; a column later steps read and nothing sets refused."""
        if self.known is not None:
            for f in slot.fields:
                if isinstance(f.generator, Aggregate):
                    row[f.column] = value_for(self.step, f, row.get(f.generator.target), self.known)
        unknown = [c for c in self.kept if c not in row]
        if unknown:
            raise _unknown_column(self.step, slot, unknown[0])

    def _unwritable(self, slot: RowSlot, exc: UnwritableValue) -> BuildError:
        field = next((f for f in slot.fields if f.column == exc.column), None)
        return BuildError(
            Diagnostic(
                code="E715",
                message=f"step '{self.step.id}': column '{exc.column}' of table '{self.step.table}' "
                f"cannot be written in this format: {exc.reason}",
                pointer=field.pointer if field else self.step.pointer,
                hint=exc.hint
                or "this column type has no SQL literal on the dialect: build --format json or csv, "
                "or apply the spec to a database",
            )
        )

    def _update(self, changed: list[tuple[RowSlot, Row]], found: dict[Key, Row]) -> None:
        if changed:
            slot, row = changed[0]
            raise BuildError(
                Diagnostic(
                    code="E714",
                    message=f"step '{self.step.id}', row {slot.ordinal}: the key "
                    f"{dict(zip(self.step.key, self._key(row), strict=True))} is already a row an "
                    "earlier step built, and on_existing: update would rewrite it",
                    pointer=self.step.pointer,
                    hint="build writes every row once: give the steps distinct keys, or use "
                    "on_existing: skip (apply still updates on a database)",
                )
            )


def _unknown_column(step: Step, slot: RowSlot, column: str) -> BuildError:
    return BuildError(
        Diagnostic(
            code="E713",
            message=f"step '{step.id}', row {slot.ordinal}: other rows refer to column '{column}' of "
            f"table '{step.table}', which the database fills in; build cannot know its value",
            pointer=step.pointer,
            hint=f"set '{column}' in factory '{step.factory}' (a sequence, for instance), or apply "
            "the spec to a database instead",
        )
    )


def hooked_steps(plan: Plan) -> tuple[str, ...]:
    """The steps whose ``after_create`` hooks a build does not run (it has no database)."""
    return tuple(s.id for s in plan.steps if s.after_create)
