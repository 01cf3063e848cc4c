"""The columns of related rows a pool carries (grandparents)."""

from __future__ import annotations

from typing import Any

from seedspec.generation.carry import Carried
from seedspec.generation.pools import Pool, PoolRow
from seedspec.generation.rowmaker import RowMaker
from seedspec.generation.slots import RowSlot, RunState
from seedspec.ir import Field, Literal, Plan, Ref, Step

FIELDS = (
    Field(column="author_id", generator=Ref(factory="user", column="id"), pointer="/a"),
    Field(column="title", generator=Literal(value="t"), pointer="/t"),
)
STEP = Step(
    id="post",
    factory="post",
    table="posts",
    key=("title",),
    seed=1,
    pointer="/seed/1",
    count=1,
    fields=FIELDS,
    links=(("user", "author_id", "id"),),
)
PLAN = Plan(
    spec="s",
    digest="d",
    seed=0,
    locale="en_US",
    now="2025-01-01T00:00:00",
    batch_size=10,
    steps=(STEP,),
    pool_columns=(("post", ("title", "user.email")), ("user", ("email", "id"))),
)


def test_a_step_carries_the_columns_later_rows_read_through_its_rows() -> None:
    carried = Carried.of(PLAN, STEP)
    assert carried.columns == ("user.email",)
    assert carried.fields_read == ("author_id",)  # a found row is read through its stored pick
    assert PLAN.columns_kept_for("post") == ("title",)


def test_the_carried_values_come_from_the_picked_rows_pool() -> None:
    users = Pool([PoolRow("0", {"email": "a@x", "id": 1}), PoolRow("1", {"email": "b@x", "id": 2})])
    state = RunState(pools={"user": users})
    slot = RowSlot("0", 0, 0, {}, FIELDS)
    row: dict[str, Any] = {"author_id": 2, "title": "t"}
    assert Carried.of(PLAN, STEP).values(RowMaker(PLAN, STEP, state), slot, row) == {"user.email": "b@x"}
