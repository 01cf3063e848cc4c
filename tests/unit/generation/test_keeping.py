"""Keeping a batch for later steps: the columnar path keeps the very pool rows the row loop keeps."""

from __future__ import annotations

from typing import Any

from seedspec.generation.aggregates import Feeds
from seedspec.generation.carry import Carried
from seedspec.generation.keeping import Keeper, pool_ids
from seedspec.generation.pools import Pool, PoolRow
from seedspec.generation.rowmaker import RowMaker
from seedspec.generation.slots import RowSlot, RunState, row_slots
from seedspec.ir import Field, Literal, Plan, Record, Ref, Step

FIELDS = (
    Field(column="user_id", generator=Ref(factory="user", column="id", parent=True), pointer="/u"),
    Field(column="title", generator=Literal(value="t"), pointer="/t"),
)


def _step(for_each: str | None, records: tuple[Record, ...] = ()) -> Step:
    return Step(
        id="post<user" if for_each else "post",
        factory="post",
        table="posts",
        key=("title",),
        seed=1,
        pointer="/seed/1",
        count=3,
        fields=FIELDS if for_each else FIELDS[1:],
        for_each=for_each,
        records=records,
    )


def _plan(step: Step) -> Plan:
    return Plan(
        spec="s",
        digest="d",
        seed=0,
        locale="en_US",
        now="2025-01-01T00:00:00",
        batch_size=10,
        steps=(step,),
        pool_columns=(("post", ("id", "title", "user_id")),),
    )


def _keeper(step: Step, state: RunState) -> Keeper:
    plan = _plan(step)
    return Keeper(
        step,
        state,
        RowMaker(plan, step, state),
        pool=Pool(),
        kept=plan.columns_kept_for("post"),
        carried=Carried.of(plan, step),
        feeds=Feeds(plan, "post", state.totals),
        pooled=True,
    )


def _batch(step: Step, state: RunState) -> tuple[list[RowSlot], list[dict[str, Any]]]:
    slots = list(row_slots(step, state))
    rows = [
        {"title": f"t{s.ordinal}", **({"user_id": s.parent.values["id"]} if s.parent else {})} for s in slots
    ]
    return slots, rows


def _kept_both_ways(step: Step, found_every: int) -> tuple[list[PoolRow], list[PoolRow]]:
    """The pool rows kept a column at a time and by the row loop (a repeat of no row's ordinal
    turns the columnar path off and changes nothing else)."""
    kept = []
    for repeats in (set(), {-1}):
        state = RunState(pools={"user": Pool(PoolRow(f"user:{i}", {"id": 10 + i}, "user") for i in range(4))})
        keeper = _keeper(step, state)
        slots, rows = _batch(step, state)
        keys = [(row["title"],) for row in rows]
        found = {key: {"id": 100 + i} for i, key in enumerate(keys) if i % found_every == 0}
        keeper.keep(slots, rows, keys, found, repeats)
        kept.append(list(keeper.pool))
    return kept[0], kept[1]


def test_a_for_each_batch_is_kept_as_the_row_loop_keeps_it() -> None:
    columnar, by_row = _kept_both_ways(_step("user"), found_every=2)
    assert columnar == by_row
    assert [r.row_id for r in columnar][:4] == [
        "post<user:user:0/0",
        "post<user:user:0/1",
        "post<user:user:0/2",
        "post<user:user:1/0",
    ]
    assert columnar[0].values == {"id": 100, "title": "t0", "user_id": 10}
    assert columnar[1].values == {"id": None, "title": "t1", "user_id": 10}


def test_a_batch_without_for_each_is_kept_as_the_row_loop_keeps_it() -> None:
    columnar, by_row = _kept_both_ways(_step(None), found_every=1)
    assert columnar == by_row
    assert [r.row_id for r in columnar] == ["post:0", "post:1", "post:2"]


def test_records_take_the_row_loop_and_are_kept_by_name() -> None:
    record = Record(
        index=0,
        name="first",
        pointer="/seed/0/records/0",
        fields=(Field(column="title", generator=Literal(value="r"), pointer="/r"),),
    )
    columnar, by_row = _kept_both_ways(_step(None, (record,)), found_every=1)
    assert columnar == by_row
    assert [r.row_id for r in columnar] == ["post:first", "post:0", "post:1", "post:2"]


def test_pool_ids_run_per_parent() -> None:
    state = RunState(pools={"user": Pool(PoolRow(f"user:{i}", {"id": i}, "user") for i in range(2))})
    step = _step("user")
    assert pool_ids(step, list(row_slots(step, state))) == [
        ("post<user:user:0/", [0, 1, 2]),
        ("post<user:user:1/", [0, 1, 2]),
    ]
