"""A step's keys: how a row's key is read (MySQL folds case), and which generated keys a run
must remember to recognise a repeated one.

Split from ``walk`` so that the rules on keys, which apply and build share through ``StepRun``,
read on their own: they depend on the step and its parents' pool, not on where rows go.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from seedspec.generation.pools import Pool, PoolRow
from seedspec.generation.rows import Key, Row
from seedspec.generation.slots import RowSlot, RunState
from seedspec.ir import Field, Ref, Step


def norm(value: Any, casefold: bool) -> Any:
    """``value`` as the database compares it: MySQL compares strings case-insensitively and
    ignores trailing spaces."""
    if casefold and isinstance(value, str):
        return value.rstrip(" ").casefold()
    return value


def row_key(row: Row, key: tuple[str, ...], casefold: bool) -> Key:
    """One row's key, as the database would match it."""
    if not casefold:
        return tuple([row.get(c) for c in key])
    return tuple(norm(row.get(c), casefold) for c in key)


def batch_keys(rows: list[Row], key: tuple[str, ...], casefold: bool) -> list[Key]:
    """Each row's key (``row_key``), a batch at once: the common one- and two-column keys
    without a call per row."""
    if casefold:
        return [row_key(row, key, casefold) for row in rows]
    if len(key) == 1:
        (a,) = key
        return [(row.get(a),) for row in rows]
    if len(key) == 2:
        a, b = key
        return [(row.get(a), row.get(b)) for row in rows]
    return [tuple([row.get(c) for c in key]) for row in rows]


def scoping_parent(step: Step, state: RunState, normed: Callable[[Any], Any]) -> Field | None:
    """Under ``for_each``, the field holding the parent's own value, when that value differs
    from parent to parent: rows of different parents then never share it, so what is kept per
    value of it (seen keys, distinct picks) can be dropped once the walk leaves the parent."""
    if step.for_each is None:
        return None
    parents = state.pools.get(step.for_each, Pool())
    for f in step.fields:
        gen = f.generator
        if not isinstance(gen, Ref) or not gen.parent or f.null_rate or f.unique or f.deferred:
            continue
        if parents.all_distinct(gen.column, normed):
            return f
    return None


def seen_scope(step: Step, parent_field: Field | None, casefold: bool) -> str:
    """Which generated keys must be kept to recognise a repeat: ``none`` when a key column is
    ``unique`` in every row (its values never repeat in a run), ``parent`` when the key holds
    the parent's own value (only the current parent's keys; a for_each step has no records),
    else ``all``."""
    every = (step.fields, *(r.fields for r in step.records))
    if not casefold:  # case-folded keys may repeat where the values do not
        for column in step.key:
            if all(
                any(f.column == column and f.unique and not f.null_rate for f in fields) for fields in every
            ):
                return "none"
    if parent_field is not None and parent_field.column in step.key and not step.records:
        return "parent"
    return "all"


class SeenKeys:
    """The keys a run generated so far, to recognise a repeated key (a duplicate); ``scope`` (see
    ``seen_scope``) says which must be kept."""

    def __init__(self) -> None:
        self.keys: set[Key] = set()
        self.scope = "all"
        self.parent: PoolRow | None = None

    def is_repeat(self, slot: RowSlot, key: Key) -> bool:
        """Whether an earlier row of this step had ``key``; remembers it for later rows."""
        if self.scope == "none":
            return False
        if self.scope == "parent" and slot.parent is not self.parent:
            self.parent = slot.parent
            self.keys.clear()
        if key in self.keys:
            return True
        self.keys.add(key)
        return False

    def repeated(self, slots: list[RowSlot], keys: list[Key]) -> set[int]:
        """The indices in a batch of the rows whose key an earlier row had (``is_repeat`` of
        each row in turn, without a call per row)."""
        if self.scope == "none":
            return set()
        found: set[int] = set()
        seen = self.keys
        if self.scope == "parent":
            for i, (slot, key) in enumerate(zip(slots, keys, strict=True)):
                if slot.parent is not self.parent:
                    self.parent = slot.parent
                    seen.clear()
                if key in seen:
                    found.add(i)
                else:
                    seen.add(key)
            return found
        for i, key in enumerate(keys):
            if key in seen:
                found.add(i)
            else:
                seen.add(key)
        return found
