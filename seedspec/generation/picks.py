"""What a ref picks: a row of its factory's pool, by its seed, in turn, or distinct per a field.

A pick depends on the run (the pools so far, the picks already made for a ``distinct_per``
value), so it lives in generation; the ``ref`` kind's draw asks for it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from seedspec.errors import SeedspecError
from seedspec.generation.pools import NO_ROWS, Pool, PoolRow, jump_hash, matches
from seedspec.generation.skew import zipf_index
from seedspec.generation.slots import RowSlot, RunState
from seedspec.ir import Field, Ref, Step

Fault = Callable[[str, str, Field, RowSlot, str], SeedspecError]  # (code, message, field, slot, hint)


def parent_column(f: Field) -> str | None:
    """The column of the parent row that field ``f`` copies as it is (a ref to the parent, never
    null, not unique, not deferred), else None."""
    gen = f.generator
    if isinstance(gen, Ref) and gen.parent and not f.null_rate and not f.unique and not f.deferred:
        return gen.column
    return None


class RefPicks:
    """The picks of the refs of one step; ``fault`` makes the error a failed pick raises."""

    def __init__(self, step: Step, state: RunState, fault: Fault) -> None:
        self.step, self.state, self.fault = step, state, fault
        self._filtered_pools: dict[tuple[str, Any], tuple[int, Pool]] = {}  # see filtered
        self._groups: dict[tuple[str, Any], tuple[int, dict[tuple[str, ...], Any]]] = {}  # see matching
        self._by_value: dict[tuple[str, str], tuple[list[int], dict[Any, int]]] = {}  # see row_of

    def draw(
        self,
        gen: Ref,
        f: Field,
        slot: RowSlot,
        row: dict[str, Any],
        seed: int,
        wanted: tuple[tuple[str, str], ...] = (),
    ) -> Any:
        """The value of ref ``gen`` for ``slot``: the parent's, a named record's, or a pool pick."""
        if gen.parent and slot.parent is not None:
            return slot.parent.values[gen.column]
        if gen.record is not None:
            return self.state.named[gen.factory][gen.record][gen.column]
        pool = self.state.pools.get(gen.factory, NO_ROWS)
        if gen.where and pool:
            pool = self.filtered(gen, f, slot, pool)
        if wanted and pool:
            pool = self.matching(gen, f, slot, pool, wanted)
        if not pool:
            hint = (
                "a ref to the factory's own rows picks among rows of its earlier steps: start the tree "
                "with a step (or record) that sets this field to null or to a named record"
                if gen.factory == self.step.factory
                else f"add a step that creates '{gen.factory}' rows; a ref never creates parents"
            )
            raise self.fault("E501", f"ref to '{gen.factory}' but its pool is empty", f, slot, hint)
        return self.pick(gen, f, slot, row, pool, seed)

    def pick(
        self,
        gen: Ref,
        f: Field,
        slot: RowSlot,
        row: dict[str, Any],
        pool: Pool,
        seed: int,
        index: int | None = None,
    ) -> Any:
        """The value a ref picks from a non-empty ``pool``: by row in turn (round robin), or by
        its seed (``index``: its ``jump_hash`` over the pool, when computed already), moving on
        from the picks already made for the row's ``distinct_per`` value."""
        if gen.pick == "round_robin":
            return pool.value(slot.ordinal % len(pool), gen.column)
        if index is None:
            index = jump_hash(seed, len(pool)) if gen.skew is None else zipf_index(seed, len(pool), gen.skew)
        if gen.max_picks is not None:
            return self._capped(gen, f, slot, pool, index)
        if gen.distinct_per is None:
            return pool.value(index, gen.column)
        return self.distinct(gen, f, [slot], [row], pool, [index])[0]

    def forgets(self, column: str) -> bool:
        """Whether a ``distinct_per`` ref of the step remembers its picks per ``column`` value."""
        return any(
            isinstance(f.generator, Ref) and f.generator.distinct_per == column and not f.deferred
            for f in self.step.fields
        )

    def forget_past(self, field: Field, slots: Sequence[RowSlot], last: PoolRow | None) -> PoolRow | None:
        """Drop the distinct picks made for the values ``field`` (a parent's value) held in the
        parents before each parent change in ``slots`` (``last``: the parent the batch before
        ended with): no later row holds them. Returns the parent the batch ends with."""
        gen = field.generator
        assert isinstance(gen, Ref), "the scoping field is the parent's value"
        past: list[Any] = []
        for slot in slots:
            parent = slot.parent
            if parent is not last:
                if last is not None:
                    past.append(last.values[gen.column])
                last = parent
        for f in self.step.fields:
            if isinstance(f.generator, Ref) and f.generator.distinct_per == field.column and not f.deferred:
                used = self.state.distinct_used.get((self.step.id, f.column), {})
                for value in past:
                    used.pop(value, None)
        return last

    def distinct(
        self,
        gen: Ref,
        f: Field,
        slots: Sequence[RowSlot],
        rows: Sequence[dict[str, Any]],
        pool: Pool,
        indices: Sequence[int | None],
    ) -> list[Any]:
        """The ``distinct_per`` picks of a batch of rows (a row's index None: a null, no pick):
        each moves on from its ``jump_hash`` index past the rows already picked for its row's
        ``distinct_per`` value, in row order."""
        used_by = self.state.distinct_used.setdefault((self.step.id, f.column), {})
        per = gen.distinct_per
        assert per is not None, "only a distinct_per ref picks distinct rows"
        column, size = pool.column(gen.column), len(pool)
        values: list[Any] = []
        for slot, row, index in zip(slots, rows, indices, strict=True):
            if index is None:
                values.append(None)
                continue
            value = row.get(per)
            used = used_by.get(value)
            if used is None:
                used = used_by[value] = set()
            elif len(used) >= size:
                raise self.fault(
                    "E502",
                    f"distinct_per '{per}': all {size} '{gen.factory}' rows are already used for this value",
                    f,
                    slot,
                    f"lower the count per {per}, or create more '{gen.factory}' rows",
                )
            while index in used:
                index = (index + 1) % size
            used.add(index)
            values.append(column[index])
        return values

    def _capped(self, gen: Ref, f: Field, slot: RowSlot, pool: Pool, index: int) -> Any:
        """The first row from ``index`` on (wrapping) that this field has picked fewer than
        ``max_picks`` times in the step; rows are counted by the value picked, across filters."""
        counts = self.state.pick_counts.setdefault((self.step.id, f.column), {})
        cap = gen.max_picks or 0
        for _ in range(len(pool)):
            value = pool.value(index, gen.column)
            if counts.get(value, 0) < cap:
                counts[value] = counts.get(value, 0) + 1
                return value
            index = (index + 1) % len(pool)
        raise self.fault(
            "E517",
            f"max_picks {cap}: all {len(pool)} '{gen.factory}' rows this row could pick are already "
            f"picked {cap} times in this step",
            f,
            slot,
            f"raise max_picks, lower the step's count, or create more '{gen.factory}' rows",
        )

    def filtered(self, gen: Ref, f: Field, slot: RowSlot, pool: Pool) -> Pool:
        """The rows of ``pool`` that ``gen.where`` keeps, computed once per pool size."""
        key = (gen.factory, gen.where)
        cached = self._filtered_pools.get(key)
        if cached is None or cached[0] != len(pool):
            kept = Pool(row for row in pool if matches(row, gen.where))
            cached = self._filtered_pools[key] = (len(pool), kept)
        if not cached[1]:
            wanted = ", ".join(f"{c} in {list(allowed)!r}" for c, allowed in gen.where)
            raise self.fault(
                "E512",
                f"ref to '{gen.factory}' where {wanted}: none of its {len(pool)} rows matches",
                dataclasses.replace(f, pointer=f.pointer + "/where"),
                slot,
                f"create '{gen.factory}' rows that match (an earlier step, or a state that sets the "
                "column), or widen the filter",
            )
        return cached[1]

    def row_of(
        self, factory: str, via: tuple[str, str], f: Field, slot: RowSlot, row: dict[str, Any]
    ) -> Mapping[str, Any]:
        """The kept columns of the ``factory`` row that the row's field ``via[0]`` picked: the one
        whose ``via[1]`` column holds that field's value (indexed as the pool grows)."""
        pool = self.state.pools.get(factory, NO_ROWS)
        done, index = self._by_value.setdefault((factory, via[1]), ([0], {}))
        if done[0] > len(pool):  # another pool object: index it afresh
            done[0] = 0
            index.clear()
        for i, value in enumerate(pool.column(via[1])[done[0] :], start=done[0]):
            index.setdefault(value, i)
        done[0] = len(pool)
        found = index.get(row.get(via[0]), -1)
        if found < 0:
            raise self.fault(
                "E513",
                f"'{f.column}' reads the '{factory}' row that '{via[0]}' picked, but no kept "
                f"'{factory}' row has {via[1]} = {row.get(via[0])!r}",
                f,
                slot,
                f"'{via[0]}' must pick a '{factory}' row of this run (not a value set later or by hand)",
            )
        return pool.row(found).values

    def matching(
        self, gen: Ref, f: Field, slot: RowSlot, pool: Pool, wanted: tuple[tuple[str, str], ...]
    ) -> Pool:
        """The rows of ``pool`` whose columns hold the values the row's filter rendered (compared
        as text, as a template renders them), grouped once per pool size."""
        key = (gen.factory, (gen.where, tuple(c for c, _ in wanted)))
        cached = self._groups.get(key)
        if cached is None or cached[0] != len(pool):
            groups: dict[tuple[str, ...], Any] = {}  # the indices of a group, then its Pool
            columns = [pool.column(c) for c, _ in wanted]
            for i in range(len(pool)):
                values = tuple(column[i] for column in columns)
                if None not in values:
                    groups.setdefault(tuple(str(v) for v in values), []).append(i)
            cached = self._groups[key] = (len(pool), groups)
        group = tuple(text for _, text in wanted)
        found: Any = cached[1].get(group)
        if not found:
            shown = ", ".join(f"{c} = {text!r}" for c, text in wanted)
            raise self.fault(
                "E512",
                f"ref to '{gen.factory}' where {shown} (from the row): none of its {len(pool)} rows matches",
                dataclasses.replace(f, pointer=f.pointer + "/where"),
                slot,
                f"create '{gen.factory}' rows for every value the row can hold (an earlier step, "
                "for_each the shared parent), or widen the filter",
            )
        if not isinstance(found, Pool):  # the rows of a group, made once
            found = cached[1][group] = Pool(pool.row(i) for i in found)
        pooled: Pool = found
        return pooled
