"""Shards: a step's rows split into ranges of row ordinals that separate runs compute and write.

A shard draws, for every row of the step, the columns whose values depend on the rows drawn
before them (the key, ``unique`` redraws, ``distinct_per`` picks: ``key_closure``), those that
later steps read (the pools and the stored keys) and what they read; the other columns only for
its own rows. Everything that orders or counts rows (repeated keys, ids, sequences, round-robin
picks) thus sees the same rows in every shard, so the rows a shard writes are, byte for byte,
those an unsharded run writes for the same range.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Final

from seedspec.generation.slots import RowSlot, RunState, count_for, parents_of
from seedspec.ir import Field, Plan, Ref, Sequence, Step


class _Undrawn:
    """The value of a column a shard left to another one: it is never written (writing it fails
    loudly: it is no JSON, CSV or SQL value)."""

    def __repr__(self) -> str:
        return "<undrawn>"


UNDRAWN: Final = _Undrawn()


@dataclass(frozen=True, slots=True)
class Shard:
    """Shard ``index`` (from 1) of ``count``: of a step's rows, in order, the ``index``-th of
    ``count`` ranges as equal as can be."""

    index: int
    count: int

    def __post_init__(self) -> None:
        if not 1 <= self.index <= self.count:
            raise ValueError(f"shard {self.index}/{self.count}: K/N needs 1 <= K <= N")

    @classmethod
    def parse(cls, text: str) -> Shard:
        """``K/N`` (as ``--shard`` takes it)."""
        index, sep, count = text.partition("/")
        if not sep or not index.strip().isdigit() or not count.strip().isdigit():
            raise ValueError(f"shard {text!r}: expected K/N, e.g. 2/8")
        return cls(int(index), int(count))

    def rows(self, total: int) -> range:
        """The ordinals this shard writes of a step with ``total`` rows."""
        return range(total * (self.index - 1) // self.count, total * self.index // self.count)

    @property
    def part(self) -> str:
        """The name of this shard's files: ``part-K-of-N``, K padded so names sort in order."""
        width = len(str(self.count))
        return f"part-{self.index:0{width}d}-of-{self.count}"


def placeheld(row: dict[str, Any], order: list[str]) -> dict[str, Any]:
    """A row another shard writes: its columns in the order a full row has them (the order
    decides which rows share an INSERT, and so the ids), the ones not drawn held by UNDRAWN."""
    return {c: row.get(c, UNDRAWN) for c in order}


def full_order(fields: list[str], closure: frozenset[str] | None) -> list[str]:
    """The columns of a generated row in the order the walk fills them: the key closure first
    when the step runs key first (the rest is completed afterwards), else the fields' order."""
    if closure is None:
        return fields
    return [c for c in fields if c in closure] + [c for c in fields if c not in closure]


def draws_all(rows: range | None, slot: RowSlot, records: int) -> bool:
    """Whether a run writing ``rows`` (None: all) draws every column of ``slot`` of a step with
    ``records`` records: records always (they come first, are few, and later steps read them
    whole), generated rows in its range."""
    return rows is None or slot.ordinal < records or slot.ordinal in rows


def writes(rows: range | None, slot: RowSlot) -> bool:
    """Whether a run writing ``rows`` (None: all) writes the row of ``slot``."""
    return rows is None or slot.ordinal in rows


_COUNTING = re.compile(r"\{n(?::0?\d*d)?\}")  # formats that keep every digit of n


def _never_repeats(f: Field) -> bool:
    """A field whose values are distinct in every row of a step: a sequence that keeps n."""
    gen = f.generator
    if not isinstance(gen, Sequence) or f.null_rate or f.deferred:
        return False
    return gen.step != 0 if gen.format is None else _COUNTING.search(gen.format) is not None


def pure_step(plan: Plan, step: Step) -> bool:
    """Whether a shard can compute its range of ``step`` without visiting the rows before it:
    no later step reads the step's rows (no pool), it has no records, its key holds a value no two
    rows share (so no row is dropped as a repeat), and nothing it draws remembers earlier draws
    (``unique`` only on such sequences, no ``distinct_per`` or ``max_picks``). Where rows go may
    add conditions (build: the ids, see ``StepRun._skip_before``)."""
    if plan.needs_pool(step.factory) or step.records or not step.fields or step.deferred_fields:
        return False
    by_column = {f.column: f for f in step.fields}
    pointers = [f.pointer for f in step.fields if isinstance(f.generator, Sequence)]
    if len(set(pointers)) < len(pointers):  # one sequence drawn twice a row
        return False
    if not any(c in by_column and _never_repeats(by_column[c]) for c in step.key):
        return False
    for f in step.fields:
        if f.unique and not _never_repeats(f):
            return False
        if isinstance(f.generator, Ref) and (f.generator.distinct_per or f.generator.max_picks):
            return False
    return True


def range_slots(step: Step, state: RunState, rows: range, total: int) -> Iterator[RowSlot]:
    """The slots of ``rows`` (ordinals) of a pure step (no records), as ``row_slots`` yields them,
    without making those before; the step's sequences move on by all ``total`` rows."""
    sequences = [(f.column, f.pointer) for f in step.fields if isinstance(f.generator, Sequence)]
    base = {column: state.sequences.get(pointer, 0) for column, pointer in sequences}
    for column, pointer in sequences:
        state.sequences[pointer] = base[column] + total
    fields = step.fields

    def numbers(ordinal: int) -> Mapping[str, int]:
        return {column: start + ordinal for column, start in base.items()}

    if step.for_each is None:
        first = state.start.get(step.id, 0)
        for ordinal in rows:
            i = first + ordinal
            yield RowSlot(str(i), i, ordinal, numbers(ordinal), fields)
        return
    ordinal = 0
    for parent in parents_of(step, state):
        count = count_for(step, parent.row_id)
        if ordinal + count > rows.start:
            for k in range(max(0, rows.start - ordinal), min(count, rows.stop - ordinal)):
                yield RowSlot(f"{parent.row_id}/{k}", k, ordinal + k, numbers(ordinal + k), fields, parent)
        ordinal += count
        if ordinal >= rows.stop:
            return
