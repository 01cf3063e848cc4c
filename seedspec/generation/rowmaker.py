"""Row generation: one small unit per generator kind, each pure given its seed.

Every value draws from its own seed, derived from (step seed, row identity, column), so adding
a step, a row or a field never changes the values already generated elsewhere.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import random
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from itertools import accumulate
from typing import Any, NamedTuple, assert_never

from seedspec.compiler.steps import derive_seed
from seedspec.errors import Diagnostic, SeedspecError
from seedspec.generation.prefetch import FAILED
from seedspec.ir import (
    Choice,
    Distribution,
    FakerCall,
    Field,
    Literal,
    Plan,
    PythonCall,
    Range,
    Ref,
    Sequence,
    Step,
    Template,
)
from seedspec.language import templates
from seedspec.language import usercode as custom
from seedspec.language.convert import NATIVE as _NATIVE
from seedspec.language.convert import convert
from seedspec.language.fakers import Providers, create_faker

MAX_UNIQUE_TRIES = 100


class GenerationError(SeedspecError):
    """A value could not be generated (pool exhausted, no unique value left, bad conversion)."""


class RowSlot(NamedTuple):
    """Identity of one row to generate.

    ``local_id`` seeds it; ``n`` is what templates see: the row's index in its step, or under
    ``for_each`` its index among the parent's children (so adding parents never renumbers the
    children of others); ``ordinal`` is its position in the step, for messages and round-robin.
    Immutable like the other intermediate forms; a tuple, as a step makes one per row.
    """

    local_id: str
    n: int
    ordinal: int
    seqs: Mapping[str, int]  # column -> the row's number in each sequence it draws from
    fields: tuple[Field, ...]
    parent: PoolRow | None = None
    record: str | None = None


@dataclass(frozen=True, slots=True)
class PoolRow:
    """A row of a factory's pool, as refs and for_each need it: identity and kept columns."""

    row_id: str
    values: Mapping[str, Any]
    step: str = ""  # the id of the step that made or found it


class Pool:
    """A factory's rows as refs and ``for_each`` read them, stored column by column: a dict per
    row would cost several times the memory at a million rows. Reading a row gives a ``PoolRow``."""

    __slots__ = ("_columns", "_row_ids", "_steps", "_values")

    def __init__(self, rows: Iterable[PoolRow] = ()) -> None:
        self._columns: tuple[str, ...] | None = None  # those of the first row
        self._row_ids: list[str] = []
        self._steps: list[str] = []  # the step that made or found each row (one shared str per step)
        self._values: list[list[Any]] = []
        self.extend(rows)

    def append(self, row_id: str, values: Mapping[str, Any], step: str = "") -> None:
        """Add a row; its columns are those of the first row added."""
        if self._columns is None:
            self._columns = tuple(values)
            self._values = [[] for _ in self._columns]
        self._row_ids.append(row_id)
        self._steps.append(step)
        for column, kept in zip(self._columns, self._values, strict=True):
            kept.append(values.get(column))

    def extend(self, rows: Iterable[PoolRow]) -> None:
        """Add rows; another pool's are taken column by column."""
        if isinstance(rows, Pool) and rows._columns is not None and self._columns in (None, rows._columns):
            if self._columns is None:
                self._columns, self._values = rows._columns, [[] for _ in rows._columns]
            self._row_ids.extend(rows._row_ids)
            self._steps.extend(rows._steps)
            for mine, theirs in zip(self._values, rows._values, strict=True):
                mine.extend(theirs)
            return
        for row in rows:
            self.append(row.row_id, row.values, row.step)

    def update(self, index: int, values: Mapping[str, Any]) -> None:
        """Set some kept columns of row ``index``."""
        assert self._columns is not None, "an empty pool has no rows to update"
        for column, value in values.items():
            self._values[self._columns.index(column)][index] = value

    @property
    def row_ids(self) -> list[str]:
        """Every row's identity, in order (do not change the list)."""
        return self._row_ids

    def value(self, index: int, column: str) -> Any:
        """The ``column`` value of row ``index`` (what a ref picks)."""
        assert self._columns is not None, "an empty pool has no rows to read"
        return self._values[self._columns.index(column)][index]

    def column(self, column: str) -> list[Any]:
        """Every row's ``column`` value, in order."""
        return [] if self._columns is None else self._values[self._columns.index(column)]

    def row(self, index: int) -> PoolRow:
        columns = self._columns or ()
        values = {c: v[index] for c, v in zip(columns, self._values, strict=True)}
        return PoolRow(self._row_ids[index], values, self._steps[index])

    def rows(self, start: int = 0) -> list[PoolRow]:
        """The rows from ``start`` on (negative: counted from the end)."""
        return [self.row(i) for i in range(*slice(start, None).indices(len(self)))]

    def __len__(self) -> int:
        return len(self._row_ids)

    def __iter__(self) -> Iterator[PoolRow]:
        return (self.row(i) for i in range(len(self)))


_NO_ROWS = Pool()


@dataclass(slots=True)
class RunState:
    """What generation remembers across steps: pools, named records, values already used."""

    pools: dict[str, Pool] = field(default_factory=dict)
    named: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    unique_seen: dict[tuple[str, str], set[Any]] = field(default_factory=dict)
    distinct_used: dict[tuple[str, str], dict[Any, set[int]]] = field(default_factory=dict)
    fakers: dict[tuple[str, Providers], Any] = field(default_factory=dict)
    sequences: dict[str, int] = field(default_factory=dict)
    start: dict[str, int] = field(default_factory=dict)  # step id -> index of its first generated row

    def next_seq(self, definition: str) -> int:
        """The next number of the sequence defined at ``definition`` (a spec pointer).

        A sequence counts the rows that draw from it, in step order: the steps sharing a
        factory's sequence share its numbers; a step or state defining its own starts afresh.
        """
        value = self.sequences.get(definition, 0)
        self.sequences[definition] = value + 1
        return value

    def faker(self, locale: str, providers: Providers = ()) -> Any:
        """The Faker generator for ``locale`` with ``providers`` (one per run, locale and providers)."""
        key = (locale, providers)
        if key not in self.fakers:
            self.fakers[key] = create_faker(locale, providers)
        return self.fakers[key]


def row_slots(step: Step, state: RunState) -> Iterator[RowSlot]:
    """The rows of a step in order: its records, then ``count`` rows (per parent with for_each).

    The generated rows of a step without for_each are numbered from ``state.start`` (0 unless
    set: a factory's next ``make`` or ``create`` continues where the last one stopped).
    """
    ordinal = 0
    for record in step.records:
        label = record.name if record.name is not None else f"r{record.index}"
        yield RowSlot(
            local_id=label,
            n=record.index,
            ordinal=ordinal,
            seqs=_sequence_numbers(_sequence_fields(record.fields), state),
            fields=record.fields,
            record=record.name,
        )
        ordinal += 1
    if not step.fields:
        return
    sequences, fields = _sequence_fields(step.fields), step.fields
    # positional arguments: (local_id, n, ordinal, seqs, fields, parent), one slot per row
    if step.for_each is None:
        first = state.start.get(step.id, 0)
        for i in range(first, first + count_for(step, "")):
            yield RowSlot(str(i), i, ordinal, _sequence_numbers(sequences, state), fields)
            ordinal += 1
        return
    for parent in parents_of(step, state):
        row_id = parent.row_id
        for k in range(count_for(step, row_id)):
            yield RowSlot(f"{row_id}/{k}", k, ordinal, _sequence_numbers(sequences, state), fields, parent)
            ordinal += 1


def key_closure(step: Step) -> frozenset[str]:
    """The columns to generate before a key lookup: the key, every field whose value depends on
    the rows drawn before it (``unique`` redraws, ``distinct_per``), and all they read.

    The other fields are drawn from their own seeds alone, so they can be left for the rows that
    turn out to be missing and still get the values a full generation gives.
    """
    fields = step.fields
    needed = set(step.key)
    needed.update(f.column for f in fields if f.unique)
    needed.update(f.column for f in fields if isinstance(f.generator, Ref) and f.generator.distinct_per)
    while True:
        before = len(needed)
        for i, f in enumerate(fields):
            if f.column not in needed and not (f.seed_name and f.seed_name in needed):
                continue
            needed.add(f.column)
            if f.seed_name:  # the columns of one composite foreign key share one pick
                needed.add(f.seed_name)
            gen = f.generator
            if isinstance(gen, Template):
                needed.update(gen.names)
            elif isinstance(gen, Ref) and gen.distinct_per:
                needed.add(gen.distinct_per)
            elif isinstance(gen, PythonCall):  # reads the whole row so far
                needed.update(g.column for g in fields[:i])
        if len(needed) == before:
            return frozenset(needed) & {f.column for f in fields}


_NO_SEQUENCES: Mapping[str, int] = {}


def _sequence_numbers(sequences: tuple[tuple[str, str], ...], state: RunState) -> Mapping[str, int]:
    if not sequences:
        return _NO_SEQUENCES
    return {column: state.next_seq(definition) for column, definition in sequences}


def _sequence_fields(fields: tuple[Field, ...]) -> tuple[tuple[str, str], ...]:
    """(column, definition pointer) of every field drawn from a sequence."""
    return tuple((f.column, f.pointer) for f in fields if isinstance(f.generator, Sequence))


def parents_of(step: Step, state: RunState) -> Pool:
    """The parents of a ``for_each`` step: its factory's pool, or, for a tree level, the rows of
    the level above."""
    pool = state.pools.get(step.for_each or "", _NO_ROWS)
    return pool if step.parents is None else Pool(p for p in pool if p.step == step.parents)


def count_for(step: Step, parent_id: str) -> int:
    """Rows of a step (per parent with for_each); a count range draws per parent, seeded."""
    if step.count_max is None:
        return step.count
    return random.Random(derive_seed(step.seed, parent_id, "#count")).randint(step.count, step.count_max)


def slot_count(step: Step, state: RunState) -> int:
    """How many rows ``row_slots`` will yield."""
    if not step.fields:
        return len(step.records)
    parents = parents_of(step, state).row_ids if step.for_each else [""]
    if step.count_max is None:
        return len(step.records) + step.count * len(parents)
    return len(step.records) + sum(count_for(step, p) for p in parents)


class RowMaker:
    """Generates the rows of one step."""

    def __init__(self, plan: Plan, step: Step, state: RunState) -> None:
        self.plan, self.step, self.state = plan, step, state
        self.kinds = dict(step.kinds)
        self.rng = random.Random()
        # first Faker draws made elsewhere: column -> local_id -> value
        self.prefetched: Mapping[str, Mapping[str, Any]] = {}
        self._filtered_pools: dict[tuple[str, Any], tuple[int, Pool]] = {}  # see _filtered

    def make(self, slot: RowSlot, columns: frozenset[str] | None = None) -> dict[str, Any]:
        """The row of ``slot`` (only ``columns`` when given), values converted to their columns'
        Python kinds. ``columns`` must be closed under what the fields read (``key_closure``)."""
        row: dict[str, Any] = {}
        for f in slot.fields:
            if columns is None or f.column in columns:
                row[f.column] = self._value(f, slot, row)
        return row

    def make_batch(self, slots: list[RowSlot], columns: frozenset[str] | None = None) -> list[dict[str, Any]]:
        """The rows of ``slots``: what ``make`` gives for each, drawn a field at a time over the
        rows that share their fields (the generated rows of the step; records one by one).

        A field reads only the fields before it and its own seed, and what it remembers (unique
        values, distinct picks) is its own, so filling column by column gives the same values
        while the common cases (a worker's Faker value, the parent's id) cost a loop step each.
        """
        rows: list[dict[str, Any]] = [{} for _ in slots]
        shared = [i for i, slot in enumerate(slots) if slot.fields is self.step.fields]
        if len(shared) < len(slots):  # records: their own fields, one by one
            for i, slot in enumerate(slots):
                if slot.fields is not self.step.fields:
                    rows[i] = self.make(slot, columns)
        if shared:
            some = [slots[i] for i in shared] if len(shared) < len(slots) else slots
            made = [rows[i] for i in shared] if len(shared) < len(slots) else rows
            for f in self.step.fields:
                if columns is None or f.column in columns:
                    self._fill(f, some, made)
        return rows

    def _fill(self, f: Field, slots: list[RowSlot], rows: list[dict[str, Any]]) -> None:
        """Field ``f`` of every row: the same values ``_value`` gives, the frequent cases inline."""
        column, gen = f.column, f.generator
        if f.deferred or f.null_rate or f.unique:
            pass
        elif isinstance(gen, Ref) and gen.parent:
            source = gen.column
            for slot, row in zip(slots, rows, strict=True):
                parent = slot.parent
                row[column] = parent.values[source] if parent is not None else self._value(f, slot, row)
            return
        elif isinstance(gen, Ref) and gen.record is None and not gen.where:
            pool = self.state.pools.get(gen.factory, _NO_ROWS)
            if pool:  # else each row reports the empty pool
                name, step_seed = f.seed_name or column, self.step.seed
                native = _NATIVE.get(self.kinds.get(column, "other"))
                for slot, row in zip(slots, rows, strict=True):
                    value = self._pick(gen, f, slot, row, pool, derive_seed(step_seed, slot.local_id, name))
                    row[column] = value if type(value) is native else self._convert(f, value, slot)
                return
        elif (drawn := self.prefetched.get(column)) is not None:
            native = _NATIVE.get(self.kinds.get(column, "other"))
            for slot, row in zip(slots, rows, strict=True):
                value = drawn.get(slot.local_id, FAILED)
                if value is FAILED:
                    row[column] = self._value(f, slot, row)
                elif type(value) is native:
                    row[column] = value
                else:
                    row[column] = self._convert(f, value, slot)
            return
        for slot, row in zip(slots, rows, strict=True):
            row[column] = self._value(f, slot, row)

    def complete(self, slot: RowSlot, row: dict[str, Any]) -> None:
        """Fill in the fields ``make`` left out: the same values a full ``make`` gives."""
        for f in slot.fields:
            if f.column not in row:
                row[f.column] = self._value(f, slot, row)

    def forget_picks(self, column: str, value: Any) -> None:
        """Drop the distinct picks of the rows whose ``column`` holds ``value``: the caller knows
        that no later row of the step holds it."""
        for f in self.step.fields:
            if isinstance(f.generator, Ref) and f.generator.distinct_per == column and not f.deferred:
                self.state.distinct_used.get((self.step.id, f.column), {}).pop(value, None)

    def _drawn_by_worker(self, f: Field, slot: RowSlot) -> Any:
        """The first draw of ``f`` a worker made for ``slot``, or FAILED when there is none."""
        drawn = self.prefetched.get(f.column) if self.prefetched else None
        return FAILED if drawn is None else drawn.get(slot.local_id, FAILED)

    def later(self, f: Field, slot: RowSlot, row: dict[str, Any]) -> Any:
        """The value of a deferred field once the rows it refers to exist: what the ref draws from
        its seed and the complete pool (``make`` gives the field's placeholder)."""
        return self._value(dataclasses.replace(f, deferred=False), slot, row)

    def _value(self, f: Field, slot: RowSlot, row: dict[str, Any]) -> Any:
        if f.deferred:  # breaks a cycle: the referenced rows do not exist yet
            return f.placeholder
        if not f.null_rate and not f.unique:  # values that need no seed of their own
            gen = f.generator
            if isinstance(gen, Ref) and gen.parent and slot.parent is not None:
                return slot.parent.values[gen.column]  # a stored id: already the column's type
            drawn = self._drawn_by_worker(f, slot)
            if drawn is not FAILED:
                return self._convert(f, drawn, slot)
        seed = derive_seed(self.step.seed, slot.local_id, f.seed_name or f.column)
        if f.null_rate:
            self.rng.seed(seed ^ 0x5EED)
            if self.rng.random() < f.null_rate:
                return None
        try:
            if not f.unique:
                return self._convert(f, self._draw(f, slot, row, seed), slot)
            return self._unique(f, slot, row, seed, 0, lambda _value: False)
        except GenerationError:
            raise
        except Exception as exc:  # templates, Faker arguments and custom generators are user input
            raise self._error(
                "E507",
                f"generating '{f.column}' failed: {exc.__class__.__name__}: {exc}",
                f,
                slot,
                "check this field's template, Faker arguments or custom generator",
            ) from exc

    def retry_unique(
        self, column: str, slot: RowSlot, row: dict[str, Any], taken: Callable[[Any], bool]
    ) -> Any:
        """A new value for a unique ``column`` of ``row``, avoiding this run's values and ``taken``
        ones (those already stored in other rows of the table)."""
        f = next(f for f in slot.fields if f.column == column)
        seed = derive_seed(self.step.seed, slot.local_id, f.seed_name or f.column)
        return self._unique(f, slot, row, seed, 1, taken)

    def _unique(
        self,
        f: Field,
        slot: RowSlot,
        row: dict[str, Any],
        seed: int,
        first: int,
        taken: Callable[[Any], bool],
    ) -> Any:
        seen = self.state.unique_seen.setdefault((self.step.table, f.column), set())
        for attempt in range(first, first + MAX_UNIQUE_TRIES):
            value = self._convert(f, self._draw(f, slot, row, seed + attempt, attempt), slot)
            if value not in seen and not taken(value):
                seen.add(value)
                return value
        raise self._error(
            "E503",
            f"no unique value for '{f.column}' after {MAX_UNIQUE_TRIES} tries",
            f,
            slot,
            "the generator has too few distinct values for this count: widen it or lower the count",
        )

    def _draw(self, f: Field, slot: RowSlot, row: dict[str, Any], seed: int, attempt: int = 0) -> Any:
        gen = f.generator
        if isinstance(gen, Literal):
            return gen.value
        if isinstance(gen, FakerCall):
            if attempt == 0 and (drawn := self._drawn_by_worker(f, slot)) is not FAILED:
                return drawn
            fake = self.state.faker(gen.locale, gen.providers)
            fake.seed_instance(seed)
            return getattr(fake, gen.method)(*gen.args, **dict(gen.kwargs))
        if isinstance(gen, Sequence):
            n = slot.seqs[f.column] + attempt  # a taken number moves on to the next one
            return gen.format.format(n=n) if gen.format is not None else gen.start + n * gen.step
        if isinstance(gen, Choice):
            self.rng.seed(seed)
            return self.rng.choices(gen.values, weights=gen.weights)[0]
        if isinstance(gen, Template):
            return self._render(gen, slot, row, seed)
        if isinstance(gen, Ref):
            return self._ref(gen, f, slot, row, seed)
        if isinstance(gen, Range):
            self.rng.seed(seed)
            return draw_range(gen, self.rng)
        if isinstance(gen, Distribution):
            self.rng.seed(seed)
            return draw_distribution(gen, self.rng)
        if isinstance(gen, PythonCall):
            return self._python(gen, f, slot, row, seed)
        assert_never(gen)

    def _python(self, gen: PythonCall, f: Field, slot: RowSlot, row: dict[str, Any], seed: int) -> Any:
        try:
            function = custom.resolve(gen.target, gen.base_dir)
        except custom.ImportTargetError as exc:
            raise self._error(
                "E506", exc.describe("custom generator", gen.target), f, slot, exc.hint
            ) from exc
        self.rng.seed(seed)
        fake = self.state.faker(self.plan.locale, self.plan.faker_providers)
        fake.seed_instance(seed)
        return function(dict(row), slot.n, self.rng, fake, **dict(gen.kwargs))

    def _render(self, gen: Template, slot: RowSlot, row: dict[str, Any], seed: int) -> str:
        context = {**self.state.named, **row, "n": slot.n}
        if "params" in gen.names:
            context["params"] = dict(self.plan.params)
        if "fake" in gen.names:  # reseeding costs as much as a cheap Faker call: only when read
            context["fake"] = fake = self.state.faker(self.plan.locale, self.plan.faker_providers)
            fake.seed_instance(seed)
        return str(_compiled_template(gen.source).render(context))

    def _ref(self, gen: Ref, f: Field, slot: RowSlot, row: dict[str, Any], seed: int) -> Any:
        if gen.parent and slot.parent is not None:
            return slot.parent.values[gen.column]
        if gen.record is not None:
            return self.state.named[gen.factory][gen.record][gen.column]
        pool = self.state.pools.get(gen.factory, _NO_ROWS)
        if gen.where and pool:
            pool = self._filtered(gen, f, slot, pool)
        if not pool:
            hint = (
                "a ref to the factory's own rows picks among rows of its earlier steps: start the tree "
                "with a step (or record) that sets this field to null or to a named record"
                if gen.factory == self.step.factory
                else f"add a step that creates '{gen.factory}' rows; a ref never creates parents"
            )
            raise self._error("E501", f"ref to '{gen.factory}' but its pool is empty", f, slot, hint)
        return self._pick(gen, f, slot, row, pool, seed)

    def _pick(self, gen: Ref, f: Field, slot: RowSlot, row: dict[str, Any], pool: Pool, seed: int) -> Any:
        """The value a ref picks from a non-empty ``pool``: by row in turn (round robin), or by
        its seed, moving on from the picks already made for the row's ``distinct_per`` value."""
        if gen.pick == "round_robin":
            return pool.value(slot.ordinal % len(pool), gen.column)
        index = jump_hash(seed, len(pool))
        if gen.distinct_per is None:
            return pool.value(index, gen.column)
        used = self.state.distinct_used.setdefault((self.step.id, f.column), {}).setdefault(
            row.get(gen.distinct_per), set()
        )
        if len(used) >= len(pool):
            raise self._error(
                "E502",
                f"distinct_per '{gen.distinct_per}': all {len(pool)} '{gen.factory}' rows "
                "are already used for this value",
                f,
                slot,
                f"lower the count per {gen.distinct_per}, or create more '{gen.factory}' rows",
            )
        while index in used:
            index = (index + 1) % len(pool)
        used.add(index)
        return pool.value(index, gen.column)

    def _filtered(self, gen: Ref, f: Field, slot: RowSlot, pool: Pool) -> Pool:
        """The rows of ``pool`` that ``gen.where`` keeps, computed once per pool size."""
        key = (gen.factory, gen.where)
        cached = self._filtered_pools.get(key)
        if cached is None or cached[0] != len(pool):
            kept = Pool(row for row in pool if all(row.values.get(c) in allowed for c, allowed in gen.where))
            cached = self._filtered_pools[key] = (len(pool), kept)
        if not cached[1]:
            wanted = ", ".join(f"{c} in {list(allowed)!r}" for c, allowed in gen.where)
            raise self._error(
                "E512",
                f"ref to '{gen.factory}' where {wanted}: none of its {len(pool)} rows matches",
                dataclasses.replace(f, pointer=f.pointer + "/where"),
                slot,
                f"create '{gen.factory}' rows that match (an earlier step, or a state that sets the "
                "column), or widen the filter",
            )
        return cached[1]

    def _convert(self, f: Field, value: Any, slot: RowSlot) -> Any:
        kind = self.kinds.get(f.column, "other")
        try:
            return convert(value, kind)
        except (TypeError, ValueError, decimal.InvalidOperation) as exc:
            raise self._error(
                "E504",
                f"cannot use {value!r} as {kind} for column '{f.column}'",
                f,
                slot,
                f"the column holds {kind} values; {exc}",
            ) from exc

    def _error(self, code: str, message: str, f: Field, slot: RowSlot, hint: str) -> GenerationError:
        return GenerationError(
            Diagnostic(
                code=code,
                message=f"step '{self.step.id}', row {slot.ordinal}: {message}",
                pointer=f.pointer,
                hint=hint,
            )
        )


def jump_hash(key: int, buckets: int) -> int:
    """A bucket in ``range(buckets)`` for ``key`` (Lamping and Veach's jump consistent hash).

    Uniform, and when ``buckets`` grows from m to m' only (m' - m) / m' of the keys move, all of
    them to the new buckets: a random ref keeps its pick when rows are appended to the pool.
    """
    key &= _U64
    bucket, j = -1, 0
    while j < buckets:
        bucket = j
        key = (key * 2862933555777941757 + 1) & _U64
        j = int((bucket + 1) * (_2_POW_31 / ((key >> 33) + 1)))
    return bucket


_U64 = (1 << 64) - 1
_2_POW_31 = float(1 << 31)


def draw_range(gen: Range, rng: random.Random) -> Any:
    """A uniform value between the inclusive bounds of ``gen``."""
    if gen.kind in ("date", "datetime"):
        span = gen.high - gen.low
        if gen.kind == "date":
            return gen.low + dt.timedelta(days=rng.randint(0, span.days))
        return gen.low + dt.timedelta(seconds=rng.randint(0, int(span.total_seconds())))
    if gen.step:
        value = gen.low + gen.step * rng.randint(0, int((gen.high - gen.low) // gen.step))
    elif gen.kind == "int":
        value = rng.randint(gen.low, gen.high)
    else:
        value = rng.uniform(gen.low, gen.high)
    return _rounded(value, gen.decimals) if gen.kind != "int" else value


def draw_distribution(gen: Distribution, rng: random.Random) -> Any:
    """A value drawn from the distribution, clamped and rounded."""
    params = dict(gen.params)
    if gen.name == "normal":
        value: float = rng.gauss(params["mean"], params["stddev"])
    elif gen.name == "lognormal":
        value = rng.lognormvariate(params["mu"], params["sigma"])
    else:
        n = int(params["n"])
        value = rng.choices(range(1, n + 1), cum_weights=_zipf_weights(params["a"], n))[0]
    if gen.low is not None:
        value = max(value, gen.low)
    if gen.high is not None:
        value = min(value, gen.high)
    return _rounded(value, gen.decimals)


@cache
def _zipf_weights(a: float, n: int) -> list[float]:
    return list(accumulate(1.0 / k**a for k in range(1, n + 1)))


def _rounded(value: float, decimals: int | None) -> Any:
    if decimals is None:
        return value
    if decimals == 0:
        return round(value)
    return decimal.Decimal(str(round(value, decimals)))


@cache
def _compiled_template(source: str) -> Any:
    return templates.environment().from_string(source)
