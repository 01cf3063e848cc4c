"""Plan-wide decisions: step order by dependencies, the columns pools keep, a step's source."""

from __future__ import annotations

from pathlib import Path

import pytest

from seedspec.compiler.ordering import aggregate_waits, order_steps, pool_columns, step_source
from seedspec.errors import Location
from seedspec.ir import Aggregate, Field, Literal, Record, Ref, Step
from seedspec.source import SourceMap


def _step(sid: str, factory: str, depends_on: tuple[str, ...] = (), fields: tuple[Field, ...] = ()) -> Step:
    return Step(
        id=sid,
        factory=factory,
        table=factory,
        key=("id",),
        seed=0,
        pointer="/s",
        depends_on=depends_on,
        fields=fields,
    )


def test_a_step_waits_for_every_step_of_its_dependencies_else_spec_order() -> None:
    steps = [
        _step("post", "post", ("user",)),
        _step("tag", "tag"),
        _step("user", "user"),
        _step("user#2", "user"),
    ]
    assert [s.id for s in order_steps(steps)] == ["tag", "user", "user#2", "post"]


def test_a_dependency_cycle_is_an_assertion() -> None:
    with pytest.raises(AssertionError):
        order_steps([_step("a", "a", ("b",)), _step("b", "b", ("a",))])


def test_pools_keep_the_picked_and_filtered_columns() -> None:
    ref = Ref(factory="user", column="id", where=(("role", ("admin",)),))
    rec = Record(
        name=None,
        index=0,
        pointer="/r",
        fields=(Field(column="x", generator=Ref(factory="tag", column="name"), pointer="/x"),),
    )
    steps = [
        _step(
            "post",
            "post",
            fields=(
                Field(column="author", generator=ref, pointer="/a"),
                Field(column="t", generator=Literal(value=1), pointer="/t"),
            ),
        ),
        Step(id="p2", factory="post", table="post", key=("id",), seed=0, pointer="/s", records=(rec,)),
    ]
    assert pool_columns(steps) == (("tag", ("name",)), ("user", ("id", "role")))


def test_a_steps_source_is_relative_to_the_spec_folder(tmp_path: Path) -> None:
    inner = tmp_path / "parts" / "users.yaml"
    outside = tmp_path.parent / "elsewhere.yaml"
    source_map = SourceMap(
        {
            "/seed/0": Location(file=str(inner), line=4, column=3),
            "/seed/1": Location(file=str(outside), line=2, column=1),
        }
    )
    assert step_source(source_map, "/seed/0/values", tmp_path) == "parts/users.yaml:4"
    assert step_source(source_map, "/seed/1", tmp_path) == f"{outside}:2"
    assert step_source(source_map, "/seed/9", tmp_path) == ""


def test_a_step_reading_an_aggregate_waits_for_its_children_and_pools_keep_it() -> None:
    total = Field(
        column="total",
        pointer="/t",
        generator=Aggregate(function="sum", child="item", link="order_id", target="id", value_column="qty"),
    )
    amount = Field(column="amount", pointer="/a", generator=Ref(factory="order", column="total"))
    other = Field(column="order_id", pointer="/o", generator=Ref(factory="order", column="id"))
    steps = [
        _step("order", "order", fields=(total,)),
        _step("item", "item", ("order",), fields=(other,)),
        _step("payment", "payment", ("order",), fields=(amount,)),
        _step("note", "note", ("order",), fields=(other,)),  # reads the id only: no wait
    ]
    waited = aggregate_waits(steps)
    assert [s.depends_on for s in waited] == [(), ("order",), ("item", "order"), ("order",)]
    assert dict(pool_columns(waited))["order"] == ("id", "total")


def test_a_carried_column_is_kept_by_the_pool_it_is_read_from() -> None:
    from seedspec.ir import Template

    read = Template(
        source="{{ comment.post.user.email }}",
        names=("comment",),
        related=(("comment", "", "", ("post.user.email",)),),
    )
    reader = _step("r", "reply", fields=(Field(column="x", generator=read, pointer="/x"),))
    kept = dict(pool_columns([reader]))
    assert kept == {"comment": ("post.user.email",), "post": ("user.email",), "user": ("email",)}
