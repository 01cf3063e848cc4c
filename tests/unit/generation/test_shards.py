"""Shards: the ranges of a step's rows, their file names, and how a shard holds others' rows."""

from __future__ import annotations

import json

import pytest

from seedspec.generation.pools import Pool, PoolRow
from seedspec.generation.shards import (
    UNDRAWN,
    Shard,
    draws_all,
    full_order,
    placeheld,
    pure_step,
    range_slots,
    writes,
)
from seedspec.generation.slots import RowSlot, RunState, row_slots, slot_count
from seedspec.ir import Field, Literal, Plan, Record, Ref, Sequence, Step, Template


@pytest.mark.parametrize("count", [1, 2, 3, 7, 12])
@pytest.mark.parametrize("total", [0, 1, 5, 100, 101])
def test_the_ranges_of_the_shards_cover_every_row_once_in_order(count: int, total: int) -> None:
    rows = [i for k in range(1, count + 1) for i in Shard(k, count).rows(total)]
    assert rows == list(range(total))
    sizes = [len(Shard(k, count).rows(total)) for k in range(1, count + 1)]
    assert max(sizes) - min(sizes) <= 1


def test_a_shard_is_parsed_from_k_slash_n() -> None:
    assert Shard.parse("2/8") == Shard(2, 8)
    for text in ("2", "0/3", "4/3", "x/3", "1/", "-1/3"):
        with pytest.raises(ValueError, match="shard"):
            Shard.parse(text)


def test_part_names_sort_in_shard_order() -> None:
    names = [Shard(k, 12).part for k in range(1, 13)]
    assert names[0] == "part-01-of-12"
    assert names == sorted(names)
    assert Shard(1, 1).part == "part-1-of-1"


def _slot(ordinal: int) -> RowSlot:
    return RowSlot(str(ordinal), ordinal, ordinal, {}, ())


def test_records_are_drawn_whole_by_every_shard_and_written_by_one() -> None:
    rows = Shard(2, 2).rows(10)  # 5..9 of a step whose first 2 rows are records
    assert [draws_all(rows, _slot(i), 2) for i in (0, 1, 2, 5)] == [True, True, False, True]
    assert [writes(rows, _slot(i)) for i in (0, 4, 5, 9)] == [False, False, True, True]
    assert draws_all(None, _slot(3), 0)
    assert writes(None, _slot(3))


def test_a_row_held_for_another_shard_keeps_the_full_column_order() -> None:
    order = full_order(["a", "b", "c", "d"], frozenset({"c"}))
    assert order == ["c", "a", "b", "d"]  # key first: the closure, then the rest
    assert full_order(["a", "b"], None) == ["a", "b"]
    held = placeheld({"d": 4, "c": 3}, order)
    assert list(held) == order
    assert held["c"] == 3
    assert held["a"] is UNDRAWN
    assert repr(UNDRAWN) == "<undrawn>"
    with pytest.raises(TypeError):
        json.dumps(held)  # never written silently


def _pure(**kw: object) -> Step:
    fields = (
        Field(column="code", generator=Sequence(format="A{n:04d}"), pointer="/f/code", unique=True),
        Field(column="name", generator=Template(source="{{ n }}", names=("n",)), pointer="/f/name"),
        Field(column="other", generator=Sequence(), pointer="/f/other"),
    )
    base: dict[str, object] = {
        "id": "a",
        "factory": "a",
        "table": "audits",
        "key": ("code",),
        "seed": 7,
        "pointer": "/seed/0",
        "count": 5,
        "fields": fields,
    }
    return Step(**{**base, **kw})  # type: ignore[arg-type]


def _plan(*steps: Step, pools: tuple[tuple[str, tuple[str, ...]], ...] = ()) -> Plan:
    return Plan(
        spec="s",
        digest="d",
        seed=1,
        locale="en_US",
        now="2024-01-01",
        batch_size=10,
        steps=steps,
        pool_columns=pools,
    )


def test_a_step_is_pure_when_no_earlier_row_can_change_a_later_one() -> None:
    step = _pure()
    assert pure_step(_plan(step), step)
    assert not pure_step(_plan(step, pools=(("a", ("id",)),)), step)  # later steps read its rows
    assert not pure_step(_plan(step), _pure(key=("name",)))  # a key that may repeat
    record = Record(name="x", index=0, fields=(), pointer="/r")
    assert not pure_step(_plan(step), _pure(records=(record,)))
    unique_text = (
        *step.fields[:1],
        Field(column="name", generator=Literal(value="x"), pointer="/n", unique=True),
    )
    assert not pure_step(_plan(step), _pure(fields=unique_text))
    lossy = (Field(column="code", generator=Sequence(format="A{n:.1e}"), pointer="/f/code"),)
    assert not pure_step(_plan(step), _pure(fields=lossy))
    still = (Field(column="code", generator=Sequence(start=5, step=0), pointer="/f/code"),)
    assert not pure_step(_plan(step), _pure(fields=still))
    picks = (
        *step.fields,
        Field(column="t", generator=Ref(factory="t", column="id", distinct_per="name"), pointer="/t"),
    )
    assert not pure_step(_plan(step), _pure(fields=picks))


@pytest.mark.parametrize("rows", [range(0), range(3), range(2, 7), range(6, 11), range(10, 11)])
def test_range_slots_are_the_slots_of_the_range_and_sequences_move_on_by_the_whole_step(rows: range) -> None:
    parents = Pool([PoolRow("p:0", {"id": 1}), PoolRow("p:1", {"id": 2}), PoolRow("p:2", {"id": 3})])
    step = _pure(for_each="p", count=2, count_max=5)
    whole, part = RunState(pools={"p": parents}), RunState(pools={"p": parents})
    whole.sequences["/f/code"] = part.sequences["/f/code"] = 40  # an earlier step drew 40
    expected = [s for s in row_slots(step, whole) if s.ordinal in rows]
    total = slot_count(step, RunState(pools={"p": parents}))
    assert list(range_slots(step, part, rows, total)) == expected
    assert part.sequences == whole.sequences
    flat = _pure()
    assert list(range_slots(flat, RunState(), range(1, 3), 5)) == list(row_slots(flat, RunState()))[1:3]
