"""Row generation: the rows of one step, each value drawn by its kind from its own seed.

Every value draws from its own seed, derived from (step seed, row identity, column), so adding
a step, a row or a field never changes the values already generated elsewhere.
"""

from __future__ import annotations

import dataclasses
import decimal
import random
from collections.abc import Callable, Mapping
from typing import Any, cast

from seedspec.compiler.steps import derive_seed
from seedspec.generation.columns import MAX_UNIQUE_TRIES, ColumnFiller, per_value_faker
from seedspec.generation.generrors import GenerationError, located, unique_hint
from seedspec.generation.picks import RefPicks
from seedspec.generation.pools import NO_ROWS
from seedspec.generation.prefetch import FAILED
from seedspec.generation.reads import readers, template_text
from seedspec.generation.seen import SeenValues
from seedspec.generation.slots import RowSlot, RunState
from seedspec.generators import registry
from seedspec.generators.base import Cell
from seedspec.ir import (
    Field,
    Plan,
    Ref,
    Step,
)
from seedspec.language.convert import NATIVE as _NATIVE
from seedspec.language.convert import convert, json_text, to_scale
from seedspec.language.fakers import Providers
from seedspec.spec.relations import TREE


class RowMaker:
    """Generates the rows of one step."""

    def __init__(self, plan: Plan, step: Step, state: RunState) -> None:
        self.plan, self.step, self.state = plan, step, state
        self.kinds = dict(step.kinds)
        self.scales = dict(step.scales)
        self.rng = random.Random()
        # first Faker draws made elsewhere: column -> local_id -> value
        self.prefetched: Mapping[str, Mapping[str, Any]] = {}
        self.refs = RefPicks(step, state, self._error)
        # generator version 3: a column at a time from counter-hash keys (generation.columns)
        self.columns = ColumnFiller(self) if plan.generator_version >= 3 else None

    def make(self, slot: RowSlot, columns: frozenset[str] | None = None) -> dict[str, Any]:
        """The row of ``slot`` (only ``columns`` when given), values converted to their columns'
        Python kinds. ``columns`` must be closed under what the fields read (``key_closure``)."""
        if self.columns is not None:
            return self.make_batch([slot], columns)[0]
        row: dict[str, Any] = {}
        for f in slot.fields:
            if columns is None or f.column in columns:
                row[f.column] = self._value(f, slot, row)
        return row

    def make_batch(
        self,
        slots: list[RowSlot],
        columns: frozenset[str] | None = None,
        *,
        elsewhere: tuple[frozenset[str], Callable[[RowSlot], bool]] | None = None,
    ) -> list[dict[str, Any]]:
        """The rows of ``slots``: what ``make`` gives for each, drawn a field at a time over the
        rows that share their fields (the generated rows of the step; records one by one).

        A field reads only the fields before it and its own seed, and what it remembers (unique
        values, distinct picks) is its own, so filling column by column gives the same values
        while the common cases (a worker's Faker value, the parent's id) cost a loop step each.
        ``elsewhere`` (a sharded build): the generated rows the predicate rejects draw only those
        columns (closed under reads), in the same order of rows as every other column.
        """
        if elsewhere is not None:
            return self._make_shared(slots, columns, *elsewhere)
        rows: list[dict[str, Any]] = [{} for _ in slots]
        if self.columns is not None:
            self.columns.fill_batch(slots, rows, columns, fresh=True)
            return rows
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

    def _make_shared(
        self,
        slots: list[RowSlot],
        columns: frozenset[str] | None,
        drawn: frozenset[str],
        mine: Callable[[RowSlot], bool],
    ) -> list[dict[str, Any]]:
        rows = self.make_batch([s for s in slots if s.fields is not self.step.fields], columns)
        made = iter(rows)
        rows = [{} if s.fields is self.step.fields else next(made) for s in slots]
        shared = [i for i, s in enumerate(slots) if s.fields is self.step.fields]
        own = [i for i in shared if mine(slots[i])]
        other = [i for i in shared if not mine(slots[i])]
        filler = self.columns
        if filler is not None:  # version 3: the keys of a row come from its identity alone
            bases = filler.bases([slots[i] for i in shared])
            at = {i: k for k, i in enumerate(shared)}
        for f in self.step.fields:
            wanted = own if columns is None or f.column in columns else []
            if f.column in drawn:
                wanted = shared if wanted else other
            if not wanted:
                continue
            some, theirs = [slots[i] for i in wanted], [rows[i] for i in wanted]
            if filler is None:
                self._fill(f, some, theirs)
            else:
                filler.fill(f, some, theirs, bases if wanted is shared else bases[[at[i] for i in wanted]])
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
        elif (
            isinstance(gen, Ref)
            and gen.record is None
            and not gen.where
            and not gen.where_row
            and not gen.via
        ):
            pool = self.state.pools.get(gen.factory, NO_ROWS)
            if pool:  # else each row reports the empty pool
                name, step_seed = f.seed_name or column, self.step.seed
                native = _NATIVE.get(self.kinds.get(column, "other"))
                for slot, row in zip(slots, rows, strict=True):
                    value = self.refs.pick(
                        gen, f, slot, row, pool, derive_seed(step_seed, slot.local_id, name)
                    )
                    row[column] = value if type(value) is native else self.convert(f, value, slot)
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
                    row[column] = self.convert(f, value, slot)
            return
        for slot, row in zip(slots, rows, strict=True):
            row[column] = self._value(f, slot, row)

    def per_value(self, fields: tuple[Field, ...]) -> tuple[Field, ...]:
        """The Faker fields among ``fields`` drawn one value at a time (what workers draw ahead)."""
        return fields if self.columns is None else per_value_faker(fields, self.plan.now)

    def complete_batch(self, slots: list[RowSlot], rows: list[dict[str, Any]]) -> None:
        """``complete`` of each row, a column at a time under generator version 3."""
        if self.columns is not None:
            self.columns.fill_batch(slots, rows, None)
            return
        for slot, row in zip(slots, rows, strict=True):
            self.complete(slot, row)

    def complete(self, slot: RowSlot, row: dict[str, Any]) -> None:
        """Fill in the fields ``make`` left out: the same values a full ``make`` gives."""
        if self.columns is not None:
            self.columns.fill_batch([slot], [row], None)
            return
        for f in slot.fields:
            if f.column not in row:
                row[f.column] = self._value(f, slot, row)

    def _drawn_by_worker(self, f: Field, slot: RowSlot) -> Any:
        """The first draw of ``f`` a worker made for ``slot``, or FAILED when there is none."""
        drawn = self.prefetched.get(f.column) if self.prefetched else None
        return FAILED if drawn is None else drawn.get(slot.local_id, FAILED)

    def later(self, f: Field, slot: RowSlot, row: dict[str, Any]) -> Any:
        """The value of a deferred field once the rows it refers to exist: what the ref draws from
        its seed and the complete pool (``make`` gives the field's placeholder)."""
        return self._value(dataclasses.replace(f, deferred=False), slot, row)

    def _value(self, f: Field, slot: RowSlot, row: dict[str, Any]) -> Any:
        if self.columns is None:
            return self.value_v2(f, slot, row)
        made = dict(row)
        made.pop(f.column, None)
        self.columns.fill(f, [slot], [made], self.columns.bases([slot]))
        return made[f.column]

    def value_v2(self, f: Field, slot: RowSlot, row: dict[str, Any]) -> Any:
        """The value of ``f`` for ``slot`` as generator version 2 draws it (one at a time)."""
        if f.deferred:  # breaks a cycle: the referenced rows do not exist yet
            return f.placeholder
        if not f.null_rate and not f.unique:  # values that need no seed of their own
            gen = f.generator
            if isinstance(gen, Ref) and gen.parent and slot.parent is not None:
                return slot.parent.values[gen.column]  # a stored id: already the column's type
            drawn = self._drawn_by_worker(f, slot)
            if drawn is not FAILED:
                return self.convert(f, drawn, slot)
        seed = derive_seed(self.step.seed, slot.local_id, f.seed_name or f.column)
        if f.null_rate:
            self.rng.seed(seed ^ 0x5EED)
            if self.rng.random() < f.null_rate:
                return None
        try:
            if not f.unique:
                return self.convert(f, self._draw(f, slot, row, seed), slot)
            return self._unique(f, slot, row, seed, 0, lambda _value: False)
        except GenerationError:
            raise
        except Exception as exc:  # templates, Faker arguments and custom generators are user input
            raise self.failed(f, slot, exc) from exc

    def failed(self, f: Field, slot: RowSlot, exc: Exception) -> GenerationError:
        """E507: drawing ``f`` for ``slot`` raised ``exc`` (user input: a template, Faker
        arguments, a custom generator)."""
        if isinstance(exc, GenerationError):
            return exc
        return self._error(
            "E507",
            f"generating '{f.column}' failed: {exc.__class__.__name__}: {exc}",
            f,
            slot,
            "check this field's template, Faker arguments or custom generator",
        )

    def retry_unique(
        self, column: str, slot: RowSlot, row: dict[str, Any], taken: Callable[[Any], bool]
    ) -> Any:
        """A new value for a unique ``column`` of ``row``, avoiding this run's values and ``taken``
        ones (those already stored in other rows of the table). The fields that read ``column``
        are drawn again from it (an email made from the username follows the new username); a
        key column that reads it cannot follow (the row was looked up by it): E503."""
        f = next(f for f in slot.fields if f.column == column)
        if self.columns is not None and self.columns.redraws(f, slot, row):
            row[column] = value = self.columns.retry(f, slot, row, taken)
        else:
            seed = derive_seed(self.step.seed, slot.local_id, f.seed_name or f.column)
            row[column] = value = self._unique(f, slot, row, seed, 1, taken)
        for reader in readers(slot.fields, column):
            if reader.column in self.step.key:
                raise self._error(
                    "E503",
                    f"'{column}' holds a value another stored row has, and key column "
                    f"'{reader.column}' is made from it",
                    f,
                    slot,
                    "a key should not be made from a unique non-key field: make the key from the "
                    "key's own fields, or put this field in the key",
                )
            row[reader.column] = self._value(reader, slot, row)
        return value

    def _unique(
        self,
        f: Field,
        slot: RowSlot,
        row: dict[str, Any],
        seed: int,
        first: int,
        taken: Callable[[Any], bool],
    ) -> Any:
        seen = self.state.unique_seen.setdefault((self.step.table, f.column), SeenValues())
        for attempt in range(first, first + MAX_UNIQUE_TRIES):
            value = self.convert(f, self._draw(f, slot, row, seed + attempt, attempt), slot)
            if value not in seen and not taken(value):
                seen.add(value)
                return value
        raise self.no_unique_value(f, slot)

    def no_unique_value(self, f: Field, slot: RowSlot) -> GenerationError:
        """E503: every try of unique field ``f`` for ``slot`` gave a value already used."""
        return self._error(
            "E503",
            f"no unique value for '{f.column}' after {MAX_UNIQUE_TRIES} tries",
            f,
            slot,
            unique_hint(self.step, f),
        )

    def _draw(self, f: Field, slot: RowSlot, row: dict[str, Any], seed: int, attempt: int = 0) -> Any:
        return registry.draw(self, Cell(f, slot, row), seed, attempt)

    # -- what the kinds' draws use (generators.base.Maker) -----------------------------------

    @property
    def named(self) -> Mapping[str, Any]:
        """The named records so far: templates read them as ``factory.name.column``."""
        return self.state.named

    def faker(self, locale: str, providers: Providers) -> Any:
        return self.state.faker(locale, providers, self.plan.now)

    def worker_draw(self, cell: Cell) -> tuple[Any, ...]:
        drawn = self._drawn_by_worker(cell.field, cast(RowSlot, cell.slot))
        return () if drawn is FAILED else (drawn,)

    def pick(self, cell: Cell, seed: int, wanted: tuple[tuple[str, str], ...] = ()) -> Any:
        gen = cell.field.generator
        assert isinstance(gen, Ref)
        return self.refs.draw(gen, cell.field, cast(RowSlot, cell.slot), cell.row, seed, wanted)

    def related(self, cell: Cell, name: str, via: tuple[str, str]) -> Mapping[str, Any]:
        slot = cast(RowSlot, cell.slot)
        if via[0] == TREE:  # a tree's roots have no row one level up
            raise self.error(
                "E518",
                f"'{cell.field.column}' reads {name}.* (the row one level up the tree) in a root row, "
                "which has none",
                cell,
                f'read the tree parent only where the row has one: {{when: "<tree field> is not none", '
                f"then: ..., else: ...}}, or read {name} in a step that is not the roots",
            )
        return self.related_row(name, via, slot, cell.row, cell.field)

    def related_row(
        self, name: str, via: tuple[str, str], slot: RowSlot, row: dict[str, Any], f: Field | None = None
    ) -> Mapping[str, Any]:
        """The kept columns of the ``name`` row ``slot``'s row is related to through ``via``: the
        parent, or the row the field ``via[0]`` picked (a failure is located at ``f``, else there)."""
        if not via[0]:
            assert slot.parent is not None, "validation allows parent columns only under for_each"
            return slot.parent.values
        at = f or next((g for g in slot.fields if g.column == via[0]), slot.fields[0])
        return self.refs.row_of(name, via, at, slot, row)

    def error(self, code: str, message: str, cell: Cell, hint: str) -> Exception:
        return self._error(code, message, cell.field, cast(RowSlot, cell.slot), hint)

    def convert(self, f: Field, value: Any, slot: RowSlot) -> Any:
        """``value`` as the Python kind of ``f``'s column (E504 when it cannot be)."""
        kind = self.kinds.get(f.column, "other")
        try:
            if kind == "json" and isinstance(value, str) and template_text(f.generator):
                return json_text(value)
            converted = convert(value, kind)
            scale = self.scales.get(f.column) if self.scales else None
            return converted if scale is None else to_scale(converted, scale)
        except (TypeError, ValueError, decimal.InvalidOperation) as exc:
            raise self._error(
                "E504",
                f"cannot use {value!r} as {kind} for column '{f.column}'",
                f,
                slot,
                f"the column holds {kind} values; {exc}",
            ) from exc

    def _error(self, code: str, message: str, f: Field, slot: RowSlot, hint: str) -> GenerationError:
        return located(self.step, code, message, f, slot.ordinal, hint)
