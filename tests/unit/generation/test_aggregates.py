"""Aggregates over the children a run keeps: sums exact, NULLs left out, min and max as the column's
type, the value of no children for a childless row; ``settle`` changes the pool and named records
and reports only what differs."""

from __future__ import annotations

from decimal import Decimal

import pytest

from seedspec.generation.aggregates import AggregateError, Feeds, Totals, settle
from seedspec.generation.pools import Pool
from seedspec.generators.template import of_source
from seedspec.ir import Aggregate, Field, Plan, Step


def _plan(*fields: tuple[str, Aggregate]) -> Plan:
    order = Step(
        id="order",
        factory="order",
        table="orders",
        key=("number",),
        seed=1,
        pointer="/seed/0",
        fields=tuple(Field(column=c, generator=g, pointer=f"/factories/order/fields/{c}") for c, g in fields),
        kinds=(("total", "decimal"), ("n", "int"), ("first", "date"), ("id", "int")),
        scales=(("total", 2),),
    )
    item = Step(id="item", factory="item", table="items", key=("id",), seed=2, pointer="/seed/1")
    return Plan(
        spec="s", digest="d", seed=0, locale="en_US", now="2025-01-01", batch_size=10, steps=(order, item)
    )


def _agg(function: str, **kw: str) -> Aggregate:
    return Aggregate(function=function, child="item", link="order_id", target="id", **kw)  # type: ignore[arg-type]


def _orders(*ids: int, **values: object) -> Pool:
    pool = Pool()
    for i in ids:
        pool.append(f"order:{i}", {"id": i, **values}, "order")
    return pool


def test_sum_count_min_max_over_the_children() -> None:
    plan = _plan(
        ("total", _agg("sum", value=of_source("{{ qty * price }}"))),
        ("n", _agg("count")),
        ("first", _agg("min", value_column="day")),
    )
    totals = Totals()
    feeds = Feeds(plan, "item", totals)
    assert set(feeds.reads) == {"order_id", "qty", "price", "day"}
    feeds.add({"order_id": 1, "qty": 2, "price": Decimal("0.10"), "day": "2024-03-02"})
    feeds.add({"order_id": 1, "qty": 1, "price": Decimal("0.20"), "day": "2024-01-05"})
    feeds.add({"order_id": 1, "qty": 0, "price": Decimal(1), "day": None})  # a NULL is left out of min
    pool = _orders(1, 2, total=Decimal(0), n=0, first=None)
    named = {"1": {"id": 1}}  # a named record: its row id is the step id and its name
    changes = settle(plan, "order", pool, named, totals)
    assert {(c.link, c.column, str(c.new)) for c in changes} == {
        (1, "total", "0.40"),
        (1, "n", "3"),
        (1, "first", "2024-01-05"),
    }
    assert pool.row(0).values["total"] == Decimal("0.40")
    assert pool.row(1).values == {"id": 2, "total": Decimal(0), "n": 0, "first": None}  # no children
    assert named["1"]["n"] == 3
    assert settle(plan, "order", pool, named, totals) == []  # settled: nothing differs


def test_a_found_row_is_told_from_a_created_one() -> None:
    plan = _plan(("n", _agg("count")))
    totals = Totals(created={"order": {"order:1"}})
    Feeds(plan, "item", totals).add({"order_id": 1})
    Feeds(plan, "item", totals).add({"order_id": 2})
    changes = settle(plan, "order", _orders(1, 2, n=0), {}, totals)
    assert [(c.link, c.created, c.old, c.new) for c in changes] == [(1, True, 0, 1), (2, False, 0, 1)]


def test_a_sum_of_text_is_e530() -> None:
    plan = _plan(("total", _agg("sum", value_column="note")))
    with pytest.raises(AggregateError) as caught:
        Feeds(plan, "item", Totals()).add({"order_id": 1, "note": "twelve"})
    assert caught.value.diagnostics[0].code == "E530"
    assert caught.value.diagnostics[0].pointer == "/factories/order/fields/total"


def test_children_whose_link_is_deferred_are_e530() -> None:
    plan = _plan(("n", _agg("count")))
    link = Field(column="order_id", pointer="/l", generator=_agg("count"), deferred=True)
    child = Step(id="item", factory="item", table="items", key=("id",), seed=2, pointer="/s", fields=(link,))
    with pytest.raises(AggregateError) as caught:
        Feeds(plan, "item", Totals()).refusing_deferred(child)
    assert "foreign-key cycle" in caught.value.diagnostics[0].message
