"""What later steps read of a batch: its rows in the step's pool, named records whole, and the
children counted into their parents' aggregates.

Split from ``walk``: keeping is per row in general (a record, a repeated key, a carried column,
an aggregate) but a column at a time in the common case, a batch of generated rows that later
steps read by a few kept columns: one list per column and the ids as runs of numbers, not a
dict and an id string parsed back per row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from seedspec.generation.aggregates import Feeds
from seedspec.generation.carry import Carried
from seedspec.generation.pools import Pool
from seedspec.generation.rowmaker import RowMaker
from seedspec.generation.rows import Key, Row
from seedspec.generation.slots import RowSlot, RunState
from seedspec.ir import Step


class Keeper:
    """Keeps the rows of one step's batches for the steps after it."""

    def __init__(
        self,
        step: Step,
        state: RunState,
        maker: RowMaker,
        *,
        pool: Pool,
        kept: tuple[str, ...],
        carried: Carried,
        feeds: Feeds,
        pooled: bool,
    ) -> None:
        self.step, self.state, self.maker, self.pool = step, state, maker, pool
        self.kept, self.carried, self.feeds, self.pooled = kept, carried, feeds, pooled

    def keep(
        self, slots: list[RowSlot], rows: list[Row], keys: list[Key], found: dict[Key, Row], repeats: set[int]
    ) -> None:
        """The batch's rows as later steps see them: the kept columns of each in the step's pool
        (when a ref or for_each reads them), named records whole. A repeated key (``repeats``, by
        ordinal) is no row of its own: later steps see its first row only."""
        if not self.pooled and not self.feeds.over and not self.step.records:
            return  # nothing of the rows is read later
        if self.pooled and not repeats and not self.feeds.over and not self.carried.columns:
            fields = self.step.fields
            if all(slot.fields is fields for slot in slots):  # generated rows, no record
                self._columns(slots, rows, keys, found)
                return
        pool, kept, step_id = self.pool, self.kept, self.step.id
        for slot, row, key in zip(slots, rows, keys, strict=True):
            if slot.ordinal in repeats:
                continue
            stored = found.get(key)
            if self.feeds.over:
                self.feeds.add({**row, **stored} if stored else row)
            if slot.record is not None:
                self.state.named.setdefault(self.step.factory, {})[slot.record] = {**row, **(stored or {})}
            if self.pooled:
                values = (
                    {c: row.get(c) for c in kept}
                    if stored is None
                    else {c: stored[c] if c in stored else row.get(c) for c in kept}
                )
                if self.carried.columns:
                    values.update(
                        self.carried.values(self.maker, slot, row if stored is None else {**row, **stored})
                    )
                pool.append(f"{step_id}:{slot.local_id}", values, step_id)

    def _columns(self, slots: list[RowSlot], rows: list[Row], keys: list[Key], found: dict[Key, Row]) -> None:
        """The pool rows of generated rows, a column at a time: what the row loop appends."""
        values: dict[str, list[Any]] = {}
        stored = [found.get(key) for key in keys] if found else None
        for c in self.kept:
            if c in values:
                continue
            if stored is None:
                values[c] = [row.get(c) for row in rows]
            else:
                pairs = zip(rows, stored, strict=True)
                values[c] = [row.get(c) if s is None or c not in s else s[c] for row, s in pairs]
        self.pool.extend_columns(pool_ids(self.step, slots), values, self.step.id)


def pool_ids(step: Step, slots: Sequence[RowSlot]) -> list[tuple[str, list[int]]]:
    """The pool ids of generated rows (``step id:local id``) as runs of (prefix, numbers): a
    row's local id is its ``n``, under for_each its parent's row id, ``/`` and its ``n``
    (``slots.row_slots``), so the rows of one parent share a prefix."""
    if step.for_each is None:
        return [(f"{step.id}:", [slot.n for slot in slots])]
    runs: list[tuple[str, list[int]]] = []
    last: object = None
    numbers: list[int] = []
    for slot in slots:
        parent = slot.parent
        if parent is not last or not runs:
            assert parent is not None, "a generated row of a for_each step has a parent"
            last, numbers = parent, []
            runs.append((f"{step.id}:{parent.row_id}/", numbers))
        numbers.append(slot.n)
    return runs
