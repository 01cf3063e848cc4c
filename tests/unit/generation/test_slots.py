"""Slots: the rows of a step, their numbers and sequences; what the run remembers."""

from __future__ import annotations

from seedspec.generation.pools import Pool, PoolRow
from seedspec.generation.slots import (
    RunState,
    count_for,
    key_closure,
    parents_of,
    row_slots,
    slot_count,
)
from seedspec.ir import Field, Literal, Record, Ref, Sequence, Step, Template


def _step(**kw: object) -> Step:
    fields = (
        Field(column="n", generator=Sequence(), pointer="/factories/u/fields/n"),
        Field(column="name", generator=Template(source="{{ n }}", names=("n",)), pointer="/x"),
        Field(column="bio", generator=Literal(value="b"), pointer="/y"),
    )
    base: dict[str, object] = {
        "id": "u",
        "factory": "u",
        "table": "users",
        "key": ("name",),
        "seed": 7,
        "pointer": "/seed/0",
        "count": 3,
        "fields": fields,
    }
    return Step(**{**base, **kw})  # type: ignore[arg-type]


def test_records_come_first_then_count_rows_with_sequence_numbers() -> None:
    record = Record(name="admin", index=0, fields=(), pointer="/r")
    slots = list(row_slots(_step(records=(record,)), RunState()))
    assert [s.local_id for s in slots] == ["admin", "0", "1", "2"]
    assert [s.ordinal for s in slots] == [0, 1, 2, 3]
    assert [s.seqs.get("n") for s in slots[1:]] == [0, 1, 2]
    assert slots[0].record == "admin"


def test_a_sequence_continues_across_steps_sharing_its_definition() -> None:
    state = RunState()
    list(row_slots(_step(), state))
    assert [s.seqs["n"] for s in row_slots(_step(id="u#2"), state)] == [3, 4, 5]
    assert state.next_seq("/other") == 0


def test_for_each_rows_are_numbered_per_parent() -> None:
    state = RunState(pools={"p": Pool([PoolRow("a", {"id": 1}), PoolRow("b", {"id": 2})])})
    step = _step(for_each="p", count=2)
    assert [(s.local_id, s.n) for s in row_slots(step, state)] == [
        ("a/0", 0),
        ("a/1", 1),
        ("b/0", 0),
        ("b/1", 1),
    ]
    assert slot_count(step, state) == 4
    assert len(parents_of(step, state)) == 2


def test_a_tree_level_has_only_the_rows_of_the_level_above_as_parents() -> None:
    pool = Pool([PoolRow("a", {"id": 1}, "t"), PoolRow("b", {"id": 2}, "t/2")])
    state = RunState(pools={"p": pool})
    assert [p.row_id for p in parents_of(_step(for_each="p", parents="t/2"), state)] == ["b"]


def test_a_count_range_draws_per_parent_from_the_seed() -> None:
    step = _step(count=1, count_max=5)
    drawn = [count_for(step, str(i)) for i in range(30)]
    assert set(drawn) <= {1, 2, 3, 4, 5}
    assert len(set(drawn)) > 1
    assert drawn == [count_for(step, str(i)) for i in range(30)]


def test_key_closure_holds_the_key_and_what_it_reads() -> None:
    assert key_closure(_step()) == {"name", "n"}
    distinct = Field(
        column="owner", generator=Ref(factory="p", column="id", distinct_per="bio"), pointer="/z"
    )
    assert key_closure(_step(fields=(*_step().fields, distinct))) == {"name", "n", "owner", "bio"}


def test_the_start_offsets_a_steps_generated_rows() -> None:
    state = RunState(start={"u": 10})
    assert [s.n for s in row_slots(_step(), state)] == [10, 11, 12]


def test_a_where_keeps_only_the_matching_parents_and_counts_per_matching_parent() -> None:
    pool = Pool([PoolRow("a", {"id": 1, "status": "paid"}), PoolRow("b", {"id": 2, "status": "new"})])
    pool.append("c", {"id": 3, "status": "paid"})
    state = RunState(pools={"p": pool})
    step = _step(for_each="p", count=2, parent_where=(("status", ("paid",)),))
    assert [s.local_id for s in row_slots(step, state)] == ["a/0", "a/1", "c/0", "c/1"]
    assert slot_count(step, state) == 4
    # the children of a parent keep their identity whichever other parents match
    assert [p.row_id for p in parents_of(_step(for_each="p"), state)] == ["a", "b", "c"]


def test_a_sequence_inside_a_condition_counts_every_row() -> None:
    from seedspec.ir import When

    condition = Template(source="{% if n %}1{% endif %}", names=("n",))
    gen = When(expression="n", condition=condition, then=Sequence(), otherwise=Literal(value=None))
    step = _step(fields=(Field(column="n", generator=gen, pointer="/seq"),))
    assert [s.seqs["n"] for s in row_slots(step, RunState())] == [0, 1, 2]


def test_a_skewed_count_draws_from_its_distribution_within_the_range() -> None:
    from seedspec.ir import Distribution

    skew = Distribution(name="zipf", params=(("a", 2.0),), low=0, high=6, decimals=0)
    step = _step(count=0, count_max=6, count_skew=skew)
    drawn = [count_for(step, str(i)) for i in range(200)]
    assert set(drawn) <= set(range(7))
    assert drawn.count(0) > len(drawn) / 2
    assert drawn == [count_for(step, str(i)) for i in range(200)]
    assert slot_count(step, RunState(pools={})) == 0  # no for_each: counts the step once


def test_key_closure_holds_a_uuid_time() -> None:
    from seedspec.ir import Uuid

    key = Field(column="id", generator=Uuid(version="v7", time="bio"), pointer="/k")
    assert key_closure(_step(fields=(*_step().fields, key), key=("id",))) == {"id", "bio"}
