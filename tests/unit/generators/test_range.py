"""``range``: bounds resolved against settings.now at compile time, a seeded uniform draw."""

from __future__ import annotations

import datetime as dt
import decimal
import random
from typing import Any

from seedspec.generators import range as range_
from seedspec.ir import Range


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
