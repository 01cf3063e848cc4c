"""The rows a step makes, one slot each, and what generation remembers across steps."""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, NamedTuple

from seedspec.compiler.steps import derive_seed
from seedspec.generation.aggregates import Totals
from seedspec.generation.pools import NO_ROWS, Pool, PoolRow, matches
from seedspec.generation.seen import SeenValues
from seedspec.generation.skew import skewed_count
from seedspec.ir import Field, PythonCall, Ref, Sequence, Step, Uuid, drawn_by, templates_in
from seedspec.language.fakers import PinnedFaker, Providers, pinned_faker


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


@dataclass(slots=True)
class RunState:
    """What generation remembers across steps: pools, named records, values already used."""

    pools: dict[str, Pool] = field(default_factory=dict)
    named: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    unique_seen: dict[tuple[str, str], SeenValues] = field(default_factory=dict)
    distinct_used: dict[tuple[str, str], dict[Any, set[int]]] = field(default_factory=dict)
    pick_counts: dict[tuple[str, str], dict[Any, int]] = field(default_factory=dict)  # see max_picks
    fakers: dict[tuple[str, Providers, str], PinnedFaker] = field(default_factory=dict)
    sequences: dict[str, int] = field(default_factory=dict)
    start: dict[str, int] = field(default_factory=dict)  # step id -> index of its first generated row
    totals: Totals = field(default_factory=Totals)  # aggregates over the children so far

    def next_seq(self, definition: str) -> int:
        """The next number of the sequence defined at ``definition`` (a spec pointer).

        A sequence counts the rows that draw from it, in step order: the steps sharing a
        factory's sequence share its numbers; a step or state defining its own starts afresh.
        """
        value = self.sequences.get(definition, 0)
        self.sequences[definition] = value + 1
        return value

    def faker(self, locale: str, providers: Providers, now: str) -> PinnedFaker:
        """The Faker generator for ``locale`` with ``providers``, its clock pinned to ``now``
        (``settings.now``): one per run, locale, providers and reference time."""
        key = (locale, providers, now)
        if key not in self.fakers:
            self.fakers[key] = pinned_faker(locale, providers, now)
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


def batched(slots: Iterable[RowSlot], size: int) -> Iterator[list[RowSlot]]:
    """``slots`` in lists of ``size`` (the last one shorter)."""
    iterator = iter(slots)
    while batch := list(islice(iterator, size)):
        yield batch


def key_closure(step: Step) -> frozenset[str]:
    """The columns to generate before a key lookup: the key, every field whose value depends on
    the rows drawn before it (``unique`` redraws, ``distinct_per``), and all they read.

    The other fields are drawn from their own seeds alone, so they can be left for the rows that
    turn out to be missing and still get the values a full generation gives.
    """
    fields = step.fields
    needed = set(step.key)
    needed.update(f.column for f in fields if f.unique)
    needed.update(
        f.column
        for f in fields
        if isinstance(f.generator, Ref) and (f.generator.distinct_per or f.generator.max_picks)
    )
    return read_closure(step, needed)


def read_closure(step: Step, columns: Iterable[str]) -> frozenset[str]:
    """``columns`` and every field of the step they read, directly or not (a composite foreign
    key's columns together): what must be drawn to draw them."""
    fields = step.fields
    needed = set(columns)
    while True:
        before = len(needed)
        for i, f in enumerate(fields):
            if f.column not in needed and not (f.seed_name and f.seed_name in needed):
                continue
            needed.add(f.column)
            if f.seed_name:  # the columns of one composite foreign key share one pick
                needed.add(f.seed_name)
            gen = f.generator
            for read in templates_in(gen):
                needed.update(read.names)
            for g in drawn_by(gen):  # a v7 uuid reads its time field
                if isinstance(g, Uuid) and g.time:
                    needed.add(g.time)
            if isinstance(gen, Ref) and gen.distinct_per:
                needed.add(gen.distinct_per)
            elif isinstance(gen, Ref) and gen.via is not None:  # reads the row another field picked
                needed.add(gen.via[0])
            elif any(isinstance(g, PythonCall) for g in drawn_by(gen)):  # reads the whole row so far
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
    return tuple(
        (f.column, f.pointer) for f in fields if any(isinstance(g, Sequence) for g in drawn_by(f.generator))
    )


def parents_of(step: Step, state: RunState) -> Pool:
    """The parents of a ``for_each`` step: its factory's pool (only the rows its ``where`` keeps),
    or, for a tree level, the rows of the level above."""
    pool = state.pools.get(step.for_each or "", NO_ROWS)
    if step.parents is not None:
        pool = Pool(p for p in pool if p.step == step.parents)
    if step.parent_where:
        pool = Pool(p for p in pool if matches(p, step.parent_where))
    return pool


def count_for(step: Step, parent_id: str) -> int:
    """Rows of a step (per parent with for_each); a count range draws per parent, seeded
    (uniformly, or from the step's ``count_skew`` distribution within the range)."""
    if step.count_max is None:
        return step.count
    rng = random.Random(derive_seed(step.seed, parent_id, "#count"))
    if step.count_skew is not None:
        return skewed_count(step.count_skew, rng)
    return rng.randint(step.count, step.count_max)


def slot_count(step: Step, state: RunState) -> int:
    """How many rows ``row_slots`` will yield."""
    if not step.fields:
        return len(step.records)
    parents = parents_of(step, state).row_ids if step.for_each else [""]
    if step.count_max is None:
        return len(step.records) + step.count * len(parents)
    return len(step.records) + sum(count_for(step, p) for p in parents)
