"""``range``: bounds resolved against settings.now at compile time, a seeded uniform draw."""

from __future__ import annotations

import datetime as dt
import decimal
import random
from typing import Any

import pytest

from seedspec.generators import range as range_
from seedspec.ir import Range, Template


def test_compile_resolves_relative_bounds(ctx: Any, site: Any) -> None:
    gen = range_.compile({"range": ["-1d", "now"]}, site(), ctx)
    assert gen.kind == "datetime"
    assert gen.high == ctx.now
    assert gen.low == ctx.now - dt.timedelta(days=1)


def test_decimals_make_a_decimal_range(ctx: Any, site: Any) -> None:
    gen = range_.compile({"range": [1, 2], "decimals": 2}, site(), ctx)
    assert gen == Range(kind="decimal", low=1.0, high=2.0, decimals=2)


def test_draws_stay_in_bounds_and_on_step() -> None:
    rng = random.Random(1)
    ints = [range_.draw_range(Range(kind="int", low=1, high=3), rng) for _ in range(100)]
    assert set(ints) == {1, 2, 3}
    stepped = {range_.draw_range(Range(kind="float", low=0, high=1, step=0.5), rng) for _ in range(100)}
    assert stepped == {0.0, 0.5, 1.0}
    day = range_.draw_range(Range(kind="date", low=dt.date(2024, 1, 1), high=dt.date(2024, 1, 2)), rng)
    assert day in (dt.date(2024, 1, 1), dt.date(2024, 1, 2))
    assert isinstance(
        range_.draw_range(Range(kind="decimal", low=0.0, high=1.0, decimals=2), rng), decimal.Decimal
    )


def test_draw_is_seeded(maker: Any, cell: Any) -> None:
    gen = Range(kind="int", low=0, high=10**9)
    assert range_.draw(gen, maker, cell(gen), 3, 0) == range_.draw(gen, maker, cell(gen), 3, 0)


def test_check_reports_backwards_or_bad_bounds(scope: Any) -> None:
    [back] = range_.check({"range": [5, 1]}, "/f", scope)
    assert back.code == "E317"
    assert back.pointer == "/f/range"
    [bad] = range_.check({"range": ["x", 1]}, "/f", scope)
    assert "not two numbers" in bad.message
    assert list(range_.check({"range": [1, 5]}, "/f", scope)) == []


def test_describe() -> None:
    assert (
        range_.describe(Range(kind="float", low=0, high=1, step=0.5, decimals=1))
        == "range 0..1 step 0.5 (1 decimals)"
    )


def test_a_bound_written_as_a_template_is_rendered_per_row(
    ctx: Any, site: Any, maker: Any, cell: Any
) -> None:
    gen = range_.compile({"range": ["{{ customer.created_at }}", "now"]}, site(), ctx)
    assert gen.kind == "datetime"
    assert gen.low is None
    assert gen.high == ctx.now
    assert gen.low_template is not None
    assert gen.low_template.names == ("customer",)
    gen = range_.compile({"range": ["{{ start }}", "{{ start }} +30d"]}, site("id"), ctx)
    assert gen.kind == "int"  # the column's kind (users.id), no bound being written
    created = dt.datetime(2024, 12, 31, 10, 0)
    maker.related_rows["customer"] = {"created_at": created}
    bounded = Range(
        kind="datetime",
        low=None,
        high=dt.datetime(2025, 1, 1),
        low_template=Template(source="{{ customer.created_at }}", related=(("customer", "c", "id", ("x",)),)),
    )
    values = {range_.draw(bounded, maker, cell(bounded), seed, 0) for seed in range(50)}
    assert all(created <= v <= dt.datetime(2025, 1, 1) for v in values)
    assert len(values) > 40


def test_an_offset_follows_a_rendered_bound(maker: Any, cell: Any) -> None:
    gen = Range(
        kind="date",
        low=None,
        high=None,
        low_template=Template(source="{{ day }} +1d", names=("day",)),
        high_template=Template(source="{{ day }} +3d", names=("day",)),
    )
    c = cell(gen)
    c.row["day"] = dt.date(2024, 2, 28)
    days = {range_.draw(gen, maker, c, seed, 0) for seed in range(60)}
    assert days == {dt.date(2024, 2, 29), dt.date(2024, 3, 1), dt.date(2024, 3, 2)}


def test_bounds_backwards_for_a_row_are_e514(maker: Any, cell: Any) -> None:
    gen = Range(kind="int", low=None, high=5, low_template=Template(source="{{ x }}", names=("x",)))
    c = cell(gen)
    c.row["x"] = 9
    with pytest.raises(LookupError) as caught:
        range_.draw(gen, maker, c, 1, 0)
    assert caught.value.args[0] == "E514"


def test_check_of_templated_bounds_reads_the_written_one(scope: Any) -> None:
    assert list(range_.check({"range": ["{{ a }}", "now"]}, "/f", scope)) == []
    [bad] = range_.check({"range": ["{{ a }}", "soon"]}, "/f", scope)
    assert (bad.code, bad.pointer) == ("E317", "/f/range/1")
