"""``aggregate``: the child's link and the parent column it holds, ``each`` as a template or a
column, the value of no children drawn for the insert."""

from __future__ import annotations

from typing import Any

from seedspec.generators import aggregate
from seedspec.generators.template import of_source
from seedspec.ir import Aggregate


def test_the_target_is_what_the_child_foreign_key_points_to(ctx: Any, site: Any) -> None:
    raw = {"aggregate": "sum", "of": "post", "by": "author", "each": "{{ id * 2 }}"}
    gen = aggregate.compile(raw, site("score", "users"), ctx)
    assert gen == Aggregate(
        function="sum", child="post", link="author", target="id", value=of_source("{{ id * 2 }}")
    )


def test_each_may_name_a_column_and_count_needs_none(ctx: Any, site: Any) -> None:
    top = aggregate.compile(
        {"aggregate": "max", "of": "post", "by": "author", "each": "id"}, site("x", "users"), ctx
    )
    assert (top.value, top.value_column) == (None, "id")
    count = aggregate.compile({"aggregate": "count", "of": "post", "by": "author"}, site("x", "users"), ctx)
    assert (count.value, count.value_column) == (None, None)


def test_the_insert_holds_the_value_of_no_children(maker: Any, cell: Any) -> None:
    for function, empty in (("sum", 0), ("count", 0), ("min", None), ("max", None)):
        gen = Aggregate(function=function, child="post", link="author", target="id", value_column="id")
        assert aggregate.draw(gen, maker, cell(gen), 1, 0) == empty


def test_describe() -> None:
    gen = Aggregate(function="sum", child="item", link="order_id", target="id", value_column="qty")
    assert aggregate.describe(gen) == "aggregate sum(item: qty) over item.order_id = id"
    count = Aggregate(function="count", child="item", link="order_id", target="id")
    assert aggregate.describe(count) == "aggregate count(item) over item.order_id = id"
