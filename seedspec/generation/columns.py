"""Generator version 3: the values of a step computed a column at a time from counter-hash keys.

A row's key for a column is ``counterhash.row_keys`` of the column's seed (from the step's
seed and the column) and the row's number (its ``n`` for the generated rows of a step without
for_each, a hash of its identity otherwise), so a value depends on (spec seed, step, row
identity, column) alone: never on the batch it is computed in, the batch size or the row range
a shard computes. Each kind's column form (``generators.base.Kind.column``) turns a batch of
keys into values; ``null_rate`` and random ``ref`` picks read the same keys. A field without a
column form (a Jinja template with logic, a custom generator, a Faker call without a vectorised
provider, a ref that filters or follows another field) is drawn one value at a time exactly as
version 2 draws it, its Faker values still drawn ahead by the workers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from seedspec.compiler.steps import derive_seed
from seedspec.generation.picks import parent_column
from seedspec.generation.pools import NO_ROWS, jump_hashes
from seedspec.generation.rowbatch import RowBatch, RowNumbers
from seedspec.generation.seen import SeenValues
from seedspec.generation.slots import RowSlot
from seedspec.generators import faker as faker_kind
from seedspec.generators import registry
from seedspec.generators.base import ColumnForm
from seedspec.ir import FakerCall, Field, Generator, Ref, Step
from seedspec.language.convert import NATIVE
from seedspec.language.counterhash import Keys, mix, unit

if TYPE_CHECKING:
    from seedspec.generation.rowmaker import RowMaker

NULL_SALT = 0x5EED_0000_0001  # the sub-stream that decides null_rate
RETRY_SALT = 0x5EED_0001_0000  # + attempt: the sub-stream of the attempt-th draw of a unique field
MAX_UNIQUE_TRIES = 100


def keyed_ref(f: Field) -> bool:
    """A ref whose pick is the consistent hash of the row's key over the whole pool (or round
    robin): the others (parent, named record, filters, via, skewed, capped, unique) pick as
    version 2 does."""
    gen = f.generator
    return (
        isinstance(gen, Ref)
        and not gen.parent
        and gen.record is None
        and not gen.where
        and not gen.where_row
        and gen.via is None
        and gen.skew is None
        and gen.max_picks is None
        and not f.unique
    )


_FORMS: dict[tuple[int, str], tuple[Generator, ColumnForm | None]] = {}
_MAX_FORMS = 4096


def column_form(gen: Generator, now: str) -> ColumnForm | None:
    """The column form of ``gen`` under ``settings.now`` (made once per generator object; a
    vectorised Faker provider reads Faker's locale data when made)."""
    cached = _FORMS.get((id(gen), now))
    if cached is None or cached[0] is not gen:
        if len(_FORMS) >= _MAX_FORMS:
            _FORMS.clear()
        cached = _FORMS[(id(gen), now)] = (gen, registry.column_form(gen, now))
    return cached[1]


def per_value(f: Field, now: str) -> bool:
    """Whether version 3 draws field ``f`` one value at a time (as version 2 does)."""
    return (
        not keyed_ref(f)
        and not (isinstance(f.generator, Ref) and f.generator.parent)
        and (column_form(f.generator, now) is None)
    )


def per_value_faker(fields: Sequence[Field], now: str) -> tuple[Field, ...]:
    """The Faker fields version 3 draws per value: what ``plan`` lists and the workers draw."""
    return tuple(f for f in fields if isinstance(f.generator, FakerCall) and per_value(f, now))


class ColumnFiller:
    """Fills the fields of a batch of rows a column at a time, for a ``RowMaker``."""

    def __init__(self, maker: RowMaker) -> None:
        self.maker, self.step, self.now = maker, maker.step, maker.plan.now
        self._seeds: dict[str, int] = {}
        self._numbers = RowNumbers(self.step.fields)
        self._constructs: dict[str, tuple[Generator, Any]] = {}  # see _constructed

    def bases(self, slots: Sequence[RowSlot]) -> NDArray[np.uint64]:
        """Each row's number, from its identity (``RowNumbers``)."""
        return self._numbers.of(slots)

    def keys(self, f: Field, bases: NDArray[np.uint64]) -> Keys:
        """The rows' keys for ``f`` (the columns of one composite foreign key share them)."""
        name = f.seed_name or f.column
        seed = self._seeds.get(name)
        if seed is None:
            seed = self._seeds[name] = derive_seed(self.step.seed, "#column", name)
        return mix(bases, seed)  # counterhash.row_keys of the rows' numbers

    def fill_batch(
        self,
        slots: Sequence[RowSlot],
        rows: Sequence[dict[str, Any]],
        columns: frozenset[str] | None,
        *,
        fresh: bool = False,
    ) -> None:
        """Fill each row's fields (only ``columns`` when given; only those a row lacks, unless
        the rows are ``fresh``, empty), the rows that share their fields a column at a time."""
        fields = self.step.fields
        groups: list[tuple[tuple[Field, ...], Sequence[RowSlot], Sequence[dict[str, Any]]]]
        if slots and all(slot.fields is fields for slot in slots):  # the common case: no record
            groups = [(fields, slots, rows)]
        else:
            by_fields: dict[int, tuple[tuple[Field, ...], list[int]]] = {}
            for i, slot in enumerate(slots):
                by_fields.setdefault(id(slot.fields), (slot.fields, []))[1].append(i)
            groups = [(fs, [slots[i] for i in ix], [rows[i] for i in ix]) for fs, ix in by_fields.values()]
        for fields, some, made in groups:
            bases = self.bases(some)
            for f in fields:
                if columns is not None and f.column not in columns:
                    continue
                lacking = range(len(made)) if fresh else [i for i, r in enumerate(made) if f.column not in r]
                if len(lacking) == len(made):
                    self.fill(f, some, made, bases)
                elif lacking:
                    rest = list(lacking)
                    self.fill(f, [some[i] for i in rest], [made[i] for i in rest], bases[rest])

    def fill(
        self, f: Field, slots: Sequence[RowSlot], rows: Sequence[dict[str, Any]], bases: NDArray[np.uint64]
    ) -> None:
        """Field ``f`` of every row."""
        maker, column = self.maker, f.column
        if f.deferred:  # breaks a cycle: the referenced rows do not exist yet
            for row in rows:
                row[column] = f.placeholder
            return
        picks = keyed_ref(f)
        form = None if picks else column_form(f.generator, self.now)
        if form is None and not picks:
            source = parent_column(f)  # the parent's value (a stored id), as value_v2 gives it
            for slot, row in zip(slots, rows, strict=True):
                parent = slot.parent
                if source is not None and parent is not None:
                    row[column] = parent.values[source]
                else:
                    row[column] = maker.value_v2(f, slot, row)
            return
        keys = self.keys(f, bases)
        nulls = (unit(mix(keys, NULL_SALT)) < f.null_rate).tolist() if f.null_rate else None
        values: Sequence[Any] | None
        if picks:
            values = self._picks(f, slots, rows, keys, nulls)
        else:
            assert form is not None
            values = self._drawn(f, form, RowBatch(keys, slots, rows, column))
            if values is None:  # the batch lacks a column the form reads: row by row, as version 2
                for slot, row in zip(slots, rows, strict=True):
                    row[column] = maker.value_v2(f, slot, row)
                return
        native = NATIVE.get(maker.kinds.get(column, "other"))
        if nulls is None and not f.unique and set(map(type, values)) <= {native}:
            for row, value in zip(rows, values, strict=True):  # the common case: as drawn
                row[column] = value
            return
        seeds = keys.tolist() if f.unique else None
        made: list[Sequence[Any] | None] = []  # the batch's values unique by construction, once asked

        def construct(i: int) -> Any | None:
            if not made:
                assert seeds is not None
                made.append(self._constructed(f, slots, seeds))
            return None if made[0] is None else made[0][i]

        for i, (slot, row, value) in enumerate(zip(slots, rows, values, strict=True)):
            if nulls is not None and nulls[i]:
                row[column] = None
                continue
            if type(value) is not native:
                value = maker.convert(f, value, slot)
            if seeds is not None:
                assert form is not None
                value = self._unique(f, form, slot, row, seeds[i], value, 0, _nothing_taken, construct, i)
            row[column] = value

    def redraws(self, f: Field, slot: RowSlot, row: dict[str, Any]) -> bool:
        """Whether this tier draws the unique field ``f`` of ``row`` again (``retry``), as it drew
        it first; else version 2 did, and does again."""
        form = column_form(f.generator, self.now)
        if keyed_ref(f) or form is None:
            return False
        keys = self.keys(f, self.bases([slot]))
        return self._drawn(f, form, RowBatch(keys, [slot], [row], f.column)) is not None

    def retry(self, f: Field, slot: RowSlot, row: dict[str, Any], taken: Callable[[Any], bool]) -> Any:
        """A new value for unique field ``f`` of ``row``, avoiding this run's and ``taken`` ones."""
        form = column_form(f.generator, self.now)
        assert form is not None
        (seed,) = self.keys(f, self.bases([slot])).tolist()

        def construct(_: int) -> Any | None:
            made = self._constructed(f, [slot], [seed])
            return None if made is None else made[0]

        return self._unique(f, form, slot, row, seed, None, 1, taken, construct, 0)

    def _drawn(self, f: Field, form: ColumnForm, batch: RowBatch) -> Sequence[Any] | None:
        """The form's values, a value a user's argument breaks reported at its row (E507)."""
        try:
            return form(batch)
        except Exception as first:
            for slot, row, key in zip(batch.slots, batch.rows, batch.keys, strict=True):
                try:
                    form(RowBatch(key.reshape(1), [slot], [row], batch.name, batch.attempt))
                except Exception as exc:
                    raise self.maker.failed(f, slot, exc) from exc
            raise self.maker.failed(f, batch.slots[0], first) from first

    def _picks(
        self,
        f: Field,
        slots: Sequence[RowSlot],
        rows: Sequence[dict[str, Any]],
        keys: Keys,
        nulls: list[bool] | None,
    ) -> list[Any]:
        gen = f.generator
        assert isinstance(gen, Ref)
        maker = self.maker
        pool = maker.state.pools.get(gen.factory, NO_ROWS)
        seeds = keys.tolist()
        indices: list[int | None] = [None] * len(seeds)
        if pool and gen.pick != "round_robin":
            hashed: list[int] = jump_hashes(keys, len(pool)).tolist()
            if gen.distinct_per is None and nulls is None:
                picked = pool.column(gen.column)
                return [picked[i] for i in hashed]
            if gen.distinct_per is not None:
                pairs = zip(hashed, nulls or [False] * len(hashed), strict=True)
                chosen = [None if n else i for i, n in pairs]  # a null row picks nothing
                return maker.refs.distinct(gen, f, slots, rows, pool, chosen)
            indices = list(hashed)
        values: list[Any] = []
        for i, (slot, row) in enumerate(zip(slots, rows, strict=True)):
            if nulls is not None and nulls[i]:
                values.append(None)
            elif not pool:  # reports the empty pool
                values.append(maker.refs.draw(gen, f, slot, row, seeds[i]))
            else:
                values.append(maker.refs.pick(gen, f, slot, row, pool, seeds[i], indices[i]))
        return values

    def _constructed(self, f: Field, slots: Sequence[RowSlot], seeds: list[int]) -> Sequence[Any] | None:
        """The first retry of a unique ``user_name`` or e-mail: the first draw with the row's
        number embedded (``jsmith.41@example.org``), distinct from every other row's by
        construction, so a collision costs one step whatever the count (docs/recipes/
        generator-versions.md). The number: ``n`` for a generated row of a step without
        for_each, else the row's ordinal in the step. A batch at once (made at its first repeat,
        one vectorised draw however many repeat). None for the other methods."""
        gen = f.generator
        if not isinstance(gen, FakerCall):
            return None
        cached = self._constructs.get(f.column)
        if cached is None or cached[0] is not gen:
            cached = self._constructs[f.column] = (gen, faker_kind.unique_column(gen))
        draw = cached[1]
        if draw is None:
            return None
        fields = self.step.fields
        numbers = [s.n if s.parent is None and s.fields is fields else s.ordinal for s in slots]
        return draw(np.array(seeds, dtype=np.uint64), numbers)

    def _unique(
        self,
        f: Field,
        form: ColumnForm,
        slot: RowSlot,
        row: dict[str, Any],
        seed: int,
        value: Any,
        first: int,
        taken: Callable[[Any], bool],
        construct: Callable[[int], Any | None],
        index: int,
    ) -> Any:
        """The first of the field's draws (``value`` being the 0th) that no row of the run and
        no ``taken`` value holds; the first retry is ``construct(index)`` where the method has a
        value unique by construction, else and after it the attempt-th draw reads the key's
        RETRY_SALT + attempt."""
        maker = self.maker
        seen = maker.state.unique_seen.setdefault((self.step.table, f.column), SeenValues())
        for attempt in range(first, first + MAX_UNIQUE_TRIES):
            if attempt == 1 and (made := construct(index)) is not None:
                value = maker.convert(f, made, slot)
            elif attempt:
                keys = mix(np.array([seed], dtype=np.uint64), RETRY_SALT + attempt)
                drawn = self._drawn(f, form, RowBatch(keys, [slot], [row], f.column, attempt))
                assert drawn is not None, "the row has every column its first draw read"
                value = maker.convert(f, drawn[0], slot)
            if value not in seen and not taken(value):
                seen.add(value)
                return value
        raise maker.no_unique_value(f, slot)


def _nothing_taken(_value: Any) -> bool:
    return False


def step_per_value_faker(step: Step, now: str) -> tuple[Field, ...]:
    """The Faker fields of ``step`` (and its records) that version 3 draws per value."""
    fields = [*step.fields, *(f for r in step.records for f in r.fields)]
    return per_value_faker(fields, now)
